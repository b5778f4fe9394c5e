package org.kvmstudio.libvirt;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;

import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.core.provisioning.BackendSession;
import org.kvmstudio.core.provisioning.BackendSite;
import org.kvmstudio.core.provisioning.Observation;
import org.kvmstudio.core.provisioning.Orphan;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.libvirt.domain.DomainSpec;
import org.kvmstudio.libvirt.domain.DomainXmlException;
import org.kvmstudio.libvirt.domain.DomainXmlReader;
import org.kvmstudio.libvirt.domain.InstanceMetadata;
import org.kvmstudio.libvirt.hosts.HostConnection;
import org.kvmstudio.libvirt.hosts.HostListener;
import org.kvmstudio.libvirt.hosts.Hosts;
import org.kvmstudio.libvirt.hosts.LibvirtErrors;
import org.kvmstudio.libvirt.hosts.Placement;
import org.kvmstudio.libvirt.kvm.KvmProvisioner;
import org.kvmstudio.libvirt.nbd.NbdProvisioner;
import org.kvmstudio.libvirt.storage.LocalStorage;
import org.kvmstudio.libvirt.storage.PoolStorage;
import org.kvmstudio.libvirt.storage.Storage;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.HostStatus;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Status;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * The libvirt backend at work for one workspace: the connections to its hosts, their storage, and
 * the KVM and NBD provisioners. What libvirt tells of domains (lifecycle events) and hosts (lost,
 * back) becomes observations of the partitions concerned, and wakes the owner's controller.
 */
public final class LibvirtSession implements BackendSession, HostListener {

    /** System property: seconds a guest is given to shut down before it is forced off. */
    public static final String SHUTDOWN_TIMEOUT = "kvmstudio.shutdownTimeout";
    /** System property: how much memory placement may promise, as a multiple of a host's memory. */
    public static final String MEMORY_OVERCOMMIT = "kvmstudio.memoryOvercommit";

    private final BackendSite site;
    private final ScheduledExecutorService scheduler;
    private final ExecutorService callbacks;
    private final Hosts hosts;
    private final KvmProvisioner kvm;
    private final NbdProvisioner nbd;
    private final Placement placement;
    private final Map<String, Storage> storages = new HashMap<>();

    /** The host a new workspace gets: the hypervisor embedded in its owner. */
    public static final Host EMBEDDED = new Host("local", "This machine (embedded QEMU)", Host.EMBEDDED_URI);

    LibvirtSession(BackendSite site) throws java.io.IOException {
        this.site = site;
        if (site.hosts().isEmpty() && site.engine().partitions().isEmpty()) {
            site.saveHost(EMBEDDED);
        }
        this.scheduler = Executors.newSingleThreadScheduledExecutor(daemon("libvirt reconnect"));
        // one thread, so that what libvirt reports is handled in the order it happened
        this.callbacks = Executors.newSingleThreadExecutor(daemon("libvirt events"));
        this.placement = new Placement(Double.parseDouble(System.getProperty(MEMORY_OVERCOMMIT, "1.5")));
        this.hosts = new Hosts(site.workspaceDirectory(), site::hosts, this, scheduler, callbacks);
        this.kvm = new KvmProvisioner(this);
        this.nbd = new NbdProvisioner(this);
        hosts.sync();
    }

    @Override
    public void reconcile() {
        hosts.connectAll();
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        return r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        };
    }

    @Override
    public List<Provisioner> provisioners() {
        return List.of(kvm, nbd);
    }

    public RequestEngine engine() {
        return site.engine();
    }

    public void wakeUp() {
        site.wakeUp();
    }

    public Hosts hosts() {
        return hosts;
    }

    public Placement placement() {
        return placement;
    }

    /** The workspace's id, as its domains' metadata carry it. */
    public String workspaceId() {
        return site.workspaceId();
    }

    /** The first eight characters of the workspace's id: part of every domain and pool name this workspace makes. */
    public String workspaceMark() {
        return site.workspaceId().replace("-", "").substring(0, 8);
    }

    public Duration shutdownTimeout() {
        return Duration.ofSeconds(Long.parseLong(System.getProperty(SHUTDOWN_TIMEOUT, "60")));
    }

    /** The hosts with their free memory as it is now, for placement. */
    public List<HostStatus> refreshedHostStatuses() {
        return hosts.all().stream().map(HostConnection::refreshFreeMemory).toList();
    }

    /** The storage pool KVM Studio uses on {@code hostId}. */
    public synchronized Storage storage(String hostId) throws ProvisioningException {
        Storage s = storages.get(hostId);
        if (s == null) {
            HostConnection host = hosts.require(hostId);
            s = host.host().embedded() ? new LocalStorage(pools().resolve(hostId))
                    : new PoolStorage(host, workspaceMark(), pools().resolve(".staging"));
            storages.put(hostId, s);
        }
        return s;
    }

    /** NBD exports are served by this machine, from a pool of its own. */
    public LocalStorage nbdStorage() {
        return new LocalStorage(pools().resolve("nbd"));
    }

    private Path pools() {
        return site.workspaceDirectory().resolve("pools");
    }

    /** Each host as it is now: connected (or tried) on the way, since a person asked. */
    @Override
    public List<HostStatus> hostStatuses() {
        return hosts.all().stream().map(HostConnection::refresh).toList();
    }

    @Override
    public HostStatus probe(Host host) throws ProvisioningException {
        return hosts.probe(host);
    }

    @Override
    public void hostsChanged() {
        hosts.sync();
        synchronized (this) {
            storages.keySet().removeIf(id -> hosts.get(id).isEmpty());
        }
    }

    // what libvirt reports, on the callbacks thread

    @Override
    public void domainChanged(String hostId, String domainName, String event, String detail) {
        partitionOf(domainName).ifPresent(p -> hosts.get(hostId).ifPresent(host -> {
            engine().observeWhenIdle(p.id(), () -> {
                try {
                    Observation seen = kvm.observe(host.connect(), domainName);
                    if (seen.phase() == Status.Phase.STOPPED && event.equals("STOPPED") && seen.message().isEmpty()) {
                        seen = new Observation(Status.Phase.STOPPED, stoppedBecause(detail));
                    }
                    return Optional.of(seen);
                } catch (ProvisioningException down) {
                    return Optional.empty(); // the host went away meanwhile: hostDown reports it
                }
            });
            wakeUp();
        }));
    }

    /** libvirt's detail of a STOPPED event, as a person would say it. */
    static String stoppedBecause(String detail) {
        return switch (detail) {
            case "FAILED" -> "shut off: QEMU ended unexpectedly (killed or crashed)";
            case "CRASHED" -> "shut off: the guest crashed";
            case "DESTROYED" -> "shut off: forced off outside KVM Studio";
            case "SHUTDOWN" -> "shut off: the guest shut itself down";
            default -> "shut off (" + detail.toLowerCase(java.util.Locale.ROOT) + ")";
        };
    }

    /** Whether a controller keeps this workspace converged (a long-lived owner), or a short command owns it. */
    public boolean converging() {
        return site.converging();
    }

    @Override
    public void hostUp(String hostId) {
        for (Partition p : engine().partitions()) {
            if (hostId.equals(p.hostId())) {
                engine().observe(p.id());
            }
        }
        wakeUp();
    }

    @Override
    public void hostDown(String hostId, String reason) {
        for (Partition p : engine().partitions()) {
            if (hostId.equals(p.hostId())) {
                engine().observed(p.id(), new Observation(Status.Phase.NOT_READY, "host '" + hostId + "' is down: " + reason));
            }
        }
    }

    /** The partition a domain of this workspace belongs to, from its name alone (cheap, in a callback). */
    private Optional<Partition> partitionOf(String domainName) {
        String prefix = DomainSpec.NAME_PREFIX + workspaceMark() + "-";
        if (!domainName.startsWith(prefix)) {
            return Optional.empty();
        }
        return engine().partition(domainName.substring(prefix.length()));
    }

    @Override
    public List<Orphan> orphans() {
        List<Orphan> found = new ArrayList<>();
        for (HostConnection host : hosts.all()) {
            try {
                Connect conn = host.connect();
                for (Domain d : conn.listAllDomains(0)) {
                    try {
                        Optional<InstanceMetadata> mark = DomainXmlReader.metadata(d.getXMLDesc(0));
                        if (mark.isPresent() && mark.get().workspaceId().equals(site.workspaceId())
                                && !ownedByAVm(mark.get().instanceGuid())) {
                            found.add(new Orphan("domain", host.host().id(), d.getName(), mark.get().instanceGuid(),
                                    mark.get().releaseUri(), mark.get().reference(), mark.get().softwareType()));
                        }
                    } catch (DomainXmlException | LibvirtException unreadable) {
                        // not a domain KVM Studio wrote, or one gone since it was listed: not ours to report
                    } finally {
                        d.free();
                    }
                }
            } catch (ProvisioningException | LibvirtException down) {
                // a host that is down has nothing to report now; its status says why
            }
        }
        return found;
    }

    /** Whether a VM partition has this guid (an entry or an export that happens to have it owns no domain). */
    private boolean ownedByAVm(String instanceGuid) {
        return engine().partition(instanceGuid).filter(p -> !p.shared() && kvm.softwareTypes().contains(p.softwareType())).isPresent();
    }

    /** An orphan VM's size as its host has it: adopting it keeps its memory, vCPUs and disk. */
    @Override
    public org.kvmstudio.model.Parameters describe(Orphan orphan) throws ProvisioningException {
        HostConnection host = hosts.require(orphan.hostId());
        try {
            Domain d = host.connect().domainLookupByName(orphan.name());
            try {
                var live = DomainXmlReader.read(d.getXMLDesc(0));
                java.util.Map<String, Object> p = new java.util.LinkedHashMap<>();
                p.put("ram-size", live.memoryMiB() / 512 * 512);
                p.put("cpu-count", live.vcpus());
                String disk = orphan.instanceGuid() + "-disk";
                if (storage(orphan.hostId()).exists(disk)) {
                    p.put("disk-size", Math.max(1, storage(orphan.hostId()).capacity(disk) >> 30));
                }
                return org.kvmstudio.model.Parameters.of(p);
            } finally {
                d.free();
            }
        } catch (LibvirtException e) {
            throw new ProvisioningException(LibvirtErrors.describe(e), e);
        } catch (DomainXmlException e) {
            throw new ProvisioningException(e.getMessage(), e);
        }
    }

    @Override
    public void remove(Orphan orphan) throws ProvisioningException {
        HostConnection host = hosts.require(orphan.hostId());
        try {
            Connect conn = host.connect();
            Domain d = conn.domainLookupByName(orphan.name());
            try {
                Optional<InstanceMetadata> mark = DomainXmlReader.metadata(d.getXMLDesc(0));
                if (mark.isEmpty() || !mark.get().workspaceId().equals(site.workspaceId())
                        || ownedByAVm(mark.get().instanceGuid())) {
                    throw new ProvisioningException(orphan.name() + " is not an orphan of this workspace");
                }
                if (d.isActive() == 1) {
                    d.destroy();
                }
                d.undefine();
            } finally {
                d.free();
            }
            Storage storage = storage(orphan.hostId());
            for (String volume : storage.list(orphan.instanceGuid() + "-")) {
                storage.delete(volume, false);
            }
        } catch (LibvirtException e) {
            throw new ProvisioningException("cannot remove " + orphan.name() + ": " + LibvirtErrors.describe(e), e);
        } catch (DomainXmlException e) {
            throw new ProvisioningException("cannot read " + orphan.name() + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void close() {
        nbd.close();
        kvm.close();
        hosts.close();
        scheduler.shutdownNow();
        callbacks.shutdownNow();
    }
}
