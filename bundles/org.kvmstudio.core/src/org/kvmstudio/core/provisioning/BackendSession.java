package org.kvmstudio.core.provisioning;

import java.util.List;

import org.kvmstudio.model.Host;
import org.kvmstudio.model.HostStatus;

/** A backend at work for one workspace. */
public interface BackendSession extends AutoCloseable {

    List<Provisioner> provisioners();

    /** What is known of each host this backend connects to; empty for backends without hosts. */
    default List<HostStatus> hostStatuses() {
        return List.of();
    }

    /**
     * Connects to {@code host} once, to check it before it is added: its URI is right, it answers,
     * and what it offers.
     *
     * @throws ProvisioningException with libvirt's reason when it cannot be reached
     */
    default HostStatus probe(Host host) throws ProvisioningException {
        throw new ProvisioningException("this backend does not manage hosts");
    }

    /**
     * The owner's controller starts: connect to every host now and report what they have, rather
     * than on first use (a short-lived command only connects to the hosts it needs).
     */
    default void reconcile() {
    }

    /** The workspace's hosts changed (one added or removed): connect to new ones, let go of removed ones. */
    default void hostsChanged() {
    }

    /** Things this backend found on its hosts that carry this workspace's mark but that no partition owns. */
    default List<Orphan> orphans() {
        return List.of();
    }

    /**
     * The parameters an orphan would be adopted with, read from what the host has (a VM's memory,
     * vCPUs and disk size), so that adopting it changes nothing of it.
     */
    default org.kvmstudio.model.Parameters describe(Orphan orphan) throws ProvisioningException {
        throw new ProvisioningException("this backend has no orphans to describe");
    }

    /** Deletes an orphan for good (a domain with its volumes, an export with its image). */
    default void remove(Orphan orphan) throws ProvisioningException {
        throw new ProvisioningException("this backend has no orphans to remove");
    }

    @Override
    void close();
}
