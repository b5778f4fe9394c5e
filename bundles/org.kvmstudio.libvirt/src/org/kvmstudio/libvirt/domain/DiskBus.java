package org.kvmstudio.libvirt.domain;

/**
 * The controller a disk hangs on, with the prefix of its target names ({@code vda}, {@code hda}, {@code sda},
 * {@code fda}) and how many devices it takes.
 * <p>
 * Limits: IDE has two channels of two devices; a floppy controller two drives. Virtio and SCSI are capped so
 * that the PCI slots libvirt assigns to virtio disks, SCSI controllers (one per 7 disks) and the memory
 * balloon stay below slot 0x1e, which the user-mode NIC takes (see {@link UserNetwork}): libvirt does not
 * know that NIC, and would otherwise hand its slot to another device.
 */
public enum DiskBus {
    VIRTIO("virtio", "vd", 20),
    IDE("ide", "hd", 4),
    SCSI("scsi", "sd", 14),
    FDC("fdc", "fd", 2);

    private final String libvirtName;
    private final String targetPrefix;
    private final int maxDevices;

    DiskBus(String libvirtName, String targetPrefix, int maxDevices) {
        this.libvirtName = libvirtName;
        this.targetPrefix = targetPrefix;
        this.maxDevices = maxDevices;
    }

    /** The value of {@code <target bus='...'>}. */
    public String libvirtName() {
        return libvirtName;
    }

    /** The prefix of target device names on this bus: {@code vd}, {@code hd}, {@code sd}, {@code fd}. */
    public String targetPrefix() {
        return targetPrefix;
    }

    public int maxDevices() {
        return maxDevices;
    }

    /** The device a SlapOS disk of this bus is: a floppy on {@link #FDC}, a disk elsewhere. */
    public DiskDevice defaultDevice() {
        return this == FDC ? DiskDevice.FLOPPY : DiskDevice.DISK;
    }

    /**
     * The bus for a SlapOS {@code disk-type} parameter. {@code floppy} is a floppy drive on the {@link #FDC} bus
     * (see {@link #defaultDevice()}).
     *
     * @throws UnsupportedDiskTypeException for {@code sd}, {@code mtd}, {@code pflash} and unknown values, with a
     *             sentence for the user
     */
    public static DiskBus fromSlapOs(String diskType) {
        if (diskType == null) {
            throw new UnsupportedDiskTypeException(null,
                    "The disk-type parameter is missing; use virtio, ide, scsi or floppy.");
        }
        return switch (diskType) {
            case "virtio" -> VIRTIO;
            case "ide" -> IDE;
            case "scsi" -> SCSI;
            case "floppy" -> FDC;
            case "sd" -> throw new UnsupportedDiskTypeException(diskType, "The disk-type 'sd' (SD card) cannot be used:"
                    + " x86 PC machines have no SD card bus, so QEMU refuses it (\"machine type does not support"
                    + " if=sd\"); use virtio, ide, scsi or floppy.");
            case "mtd" -> throw new UnsupportedDiskTypeException(diskType, "The disk-type 'mtd' (flash memory device)"
                    + " cannot be used: libvirt's QEMU driver has no MTD disk bus; use virtio, ide, scsi or floppy.");
            case "pflash" -> throw new UnsupportedDiskTypeException(diskType, "The disk-type 'pflash' (parallel"
                    + " flash) cannot be used: in libvirt, flash holds the firmware (<loader>/<nvram>) and is not a"
                    + " disk; use virtio, ide, scsi or floppy.");
            default -> throw new UnsupportedDiskTypeException(diskType, "The disk-type " + Checks.quote(diskType)
                    + " is unknown; use virtio, ide, scsi or floppy.");
        };
    }
}
