package org.kvmstudio.libvirt.hosts;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.HostStatus;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;

/**
 * The connections to a workspace's hosts, kept in step with the hosts stored in it. The embedded
 * host ({@code qemu:///embed}) is opened on the workspace's own root.
 */
public final class Hosts implements AutoCloseable {

    private final Path workspace;
    private final Supplier<List<Host>> stored;
    private final HostListener listener;
    private final ScheduledExecutorService scheduler;
    private final Executor callbacks;
    private final Map<String, HostConnection> connections = new HashMap<>();

    public Hosts(Path workspace, Supplier<List<Host>> stored, HostListener listener, ScheduledExecutorService scheduler,
            Executor callbacks) {
        this.workspace = workspace;
        this.stored = stored;
        this.listener = listener;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
    }

    /** Connects to hosts added since, closes those removed; connections are opened on first use or by {@link #connectAll}. */
    public synchronized void sync() {
        Map<String, Host> wanted = new HashMap<>();
        stored.get().forEach(h -> wanted.put(h.id(), h));
        connections.entrySet().removeIf(e -> {
            Host now = wanted.get(e.getKey());
            if (now == null || !now.uri().equals(e.getValue().host().uri())) {
                e.getValue().close();
                return true;
            }
            return false;
        });
        for (Host h : wanted.values()) {
            if (!connections.containsKey(h.id())) {
                connections.put(h.id(), new HostConnection(h, uriOf(h), listener, scheduler, callbacks));
            }
        }
    }

    /** Tries every host now, in the background; each reports up or down to the listener. */
    public void connectAll() {
        for (HostConnection c : all()) {
            scheduler.execute(() -> {
                try {
                    c.connect();
                } catch (ProvisioningException down) {
                    callbacks.execute(() -> listener.hostDown(c.host().id(), down.getMessage()));
                }
            });
        }
    }

    public synchronized List<HostConnection> all() {
        return new ArrayList<>(connections.values());
    }

    public synchronized Optional<HostConnection> get(String hostId) {
        return Optional.ofNullable(connections.get(hostId));
    }

    /** The connection to {@code hostId}, or an error naming the hosts there are. */
    public HostConnection require(String hostId) throws ProvisioningException {
        return get(hostId).orElseThrow(() -> new ProvisioningException("there is no host '" + hostId
                + "' in this workspace (hosts: " + all().stream().map(c -> c.host().id()).sorted().toList()
                + "); add it with: kvmstudio hosts add " + hostId + " <libvirt URI>"));
    }

    public List<HostStatus> statuses() {
        return all().stream().map(HostConnection::status).toList();
    }

    /** Opens {@code host} once to check it, and says what it offers; the connection is closed again. */
    public HostStatus probe(Host host) throws ProvisioningException {
        Optional<HostConnection> open = get(host.id()).filter(c -> c.host().uri().equals(host.uri()));
        if (open.isPresent()) {
            open.get().connect();
            return open.get().refresh();
        }
        try {
            LibvirtEventLoop.ensureRunning();
            Connect c = new Connect(uriOf(host));
            try {
                var node = c.nodeInfo();
                String virt = Capabilities.virtualization(c.getCapabilities()).libvirtName();
                return new HostStatus(host.id(), true, "", node.cpus, node.memory / 1024, c.getFreeMemory() / (1024 * 1024),
                        virt, Instant.now());
            } finally {
                c.close();
            }
        } catch (LibvirtException e) {
            throw new ProvisioningException(LibvirtErrors.describe(e), e);
        } catch (RuntimeException e) {
            throw new ProvisioningException(e.getMessage(), e);
        }
    }

    /** The URI a host is opened with: the embedded one gets the workspace's root (written first). */
    private String uriOf(Host host) {
        if (!host.embedded()) {
            return host.uri();
        }
        Path root = EmbeddedRoot.of(workspace);
        try {
            EmbeddedRoot.prepare(root);
        } catch (IOException e) {
            throw new IllegalStateException("cannot prepare the embedded hypervisor's folder " + root + ": " + e.getMessage(), e);
        }
        return EmbeddedRoot.uri(root);
    }

    @Override
    public synchronized void close() {
        connections.values().forEach(HostConnection::close);
        connections.clear();
    }
}
