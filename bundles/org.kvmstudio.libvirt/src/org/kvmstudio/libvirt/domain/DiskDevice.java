package org.kvmstudio.libvirt.domain;

/** What the guest sees: a hard disk, a CD-ROM drive (always read-only) or a floppy drive. */
public enum DiskDevice {
    DISK("disk"),
    CDROM("cdrom"),
    FLOPPY("floppy");

    private final String libvirtName;

    DiskDevice(String libvirtName) {
        this.libvirtName = libvirtName;
    }

    /** The value of {@code <disk device='...'>}. */
    public String libvirtName() {
        return libvirtName;
    }
}
