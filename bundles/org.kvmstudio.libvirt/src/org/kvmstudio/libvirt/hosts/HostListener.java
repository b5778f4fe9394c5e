package org.kvmstudio.libvirt.hosts;

/** Told, on a worker thread, of what happens on hosts. */
public interface HostListener {

    /**
     * Something happened to domain {@code domainName} on {@code hostId}: look at it again.
     *
     * @param event  libvirt's event type ({@code STOPPED}, {@code STARTED}, ...)
     * @param detail libvirt's detail of it ({@code FAILED}: QEMU ended without being asked, {@code CRASHED}, {@code DESTROYED}...)
     */
    void domainChanged(String hostId, String domainName, String event, String detail);

    /** {@code hostId} answers again (or for the first time): reconcile what it has. */
    void hostUp(String hostId);

    /** {@code hostId} stopped answering, for {@code reason}. */
    void hostDown(String hostId, String reason);
}
