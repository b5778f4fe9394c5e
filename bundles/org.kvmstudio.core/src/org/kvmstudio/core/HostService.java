package org.kvmstudio.core;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.core.provisioning.BackendSession;
import org.kvmstudio.core.provisioning.Orphan;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.model.ConflictException;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.HostStatus;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.UnknownInstanceException;
import org.kvmstudio.workspace.Workspace;

/**
 * The hypervisor hosts of a workspace (SlapOS's computers): stored like partitions, checked before
 * they are added, and described by the backends that connect to them.
 */
public final class HostService {

    private final Workspace workspace;
    private final RequestEngine engine;
    private final Supplier<List<BackendSession>> sessions;

    HostService(Workspace workspace, RequestEngine engine, Supplier<List<BackendSession>> sessions) {
        this.workspace = workspace;
        this.engine = engine;
        this.sessions = sessions;
    }

    public List<Host> hosts() {
        return workspace.hosts();
    }

    public Optional<Host> host(String id) {
        return workspace.host(id);
    }

    /** What the backends know of each host now. */
    public List<HostStatus> statuses() {
        List<HostStatus> all = new ArrayList<>();
        sessions.get().forEach(s -> all.addAll(s.hostStatuses()));
        return all;
    }

    /**
     * Connects to {@code host} once and, if it answers, stores it: nothing is stored for a URI that is
     * wrong or a host that does not answer.
     *
     * @throws InvalidRequestException with libvirt's reason when it cannot be reached
     * @throws ConflictException when a host with that id exists with another URI
     */
    public HostStatus add(Host host) throws IOException {
        Optional<Host> existing = workspace.host(host.id());
        if (existing.isPresent() && !existing.get().uri().equals(host.uri())) {
            throw new ConflictException("host '" + host.id() + "' exists with URI " + existing.get().uri()
                    + "; remove it first to give it another");
        }
        HostStatus status = probe(host);
        workspace.save(host);
        sessions.get().forEach(BackendSession::hostsChanged);
        return status;
    }

    /** Checks {@code host} without storing it. */
    public HostStatus probe(Host host) {
        List<BackendSession> open = sessions.get();
        ProvisioningException last = null;
        for (BackendSession s : open) {
            try {
                return s.probe(host);
            } catch (ProvisioningException e) {
                last = e;
            }
        }
        throw new InvalidRequestException("host '" + host.id() + "' (" + host.uri() + ") cannot be used: "
                + (last == null ? "no backend that manages hosts is installed" : last.getMessage()), last);
    }

    /** What the backends found on the hosts with this workspace's mark that no partition owns. */
    public List<Orphan> orphans() {
        List<Orphan> all = new ArrayList<>();
        sessions.get().forEach(s -> all.addAll(s.orphans()));
        return all;
    }

    /**
     * Makes a partition again for an orphan, under its old instance guid and reference (or
     * {@code reference} when given), with the parameters the host's copy shows.
     */
    public org.kvmstudio.model.Partition adopt(Orphan orphan, String reference) throws IOException {
        for (BackendSession s : sessions.get()) {
            if (s.orphans().contains(orphan)) {
                try {
                    org.kvmstudio.model.Parameters parameters = s.describe(orphan);
                    return engine.adopt(orphan.instanceGuid(), org.kvmstudio.model.InstanceRequest.of(orphan.releaseUri(),
                            reference == null ? orphan.reference() : reference).withSoftwareType(orphan.softwareType())
                            .withParameters(parameters), orphan.hostId());
                } catch (ProvisioningException e) {
                    throw new IOException("cannot adopt " + orphan.name() + ": " + e.getMessage(), e);
                }
            }
        }
        throw new IOException(orphan.name() + " is not an orphan any more");
    }

    /** Deletes an orphan for good. */
    public void remove(Orphan orphan) throws IOException {
        ProvisioningException last = null;
        for (BackendSession s : sessions.get()) {
            if (s.orphans().contains(orphan)) {
                try {
                    s.remove(orphan);
                    return;
                } catch (ProvisioningException e) {
                    last = e;
                }
            }
        }
        throw new IOException(last == null ? orphan.name() + " is not an orphan any more" : last.getMessage(), last);
    }

    /**
     * Forgets a host. Refused while partitions are placed on it: destroy them (or forget them) first,
     * since their domains would be left there unmanaged.
     */
    public void remove(String id) throws IOException {
        workspace.host(id).orElseThrow(() -> new UnknownInstanceException("there is no host " + Excerpt.quoted(id)));
        List<String> placed = engine.partitions().stream().filter(p -> id.equals(p.hostId())).map(Partition::reference).toList();
        if (!placed.isEmpty()) {
            throw new ConflictException("host '" + id + "' still has " + placed.size() + " partition(s): " + placed
                    + "; destroy them first");
        }
        workspace.deleteHost(id);
        sessions.get().forEach(BackendSession::hostsChanged);
    }
}
