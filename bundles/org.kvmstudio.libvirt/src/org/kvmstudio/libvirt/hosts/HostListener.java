package org.kvmstudio.libvirt.hosts;

/** Told, on a worker thread, of what happens on hosts. */
public interface HostListener {

    /** Something happened to domain {@code domainName} on {@code hostId}: look at it again. */
    void domainChanged(String hostId, String domainName);

    /** {@code hostId} answers again (or for the first time): reconcile what it has. */
    void hostUp(String hostId);

    /** {@code hostId} stopped answering, for {@code reason}. */
    void hostDown(String hostId, String reason);
}
