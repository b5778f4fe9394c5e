package org.kvmstudio.libvirt.domain;

import java.util.Set;

/**
 * One disk of a domain. Callers never pick target names ({@code vda}, {@code hdc}...): {@link DiskTargets}
 * assigns them from the bus and the order of disks, so two specs with the same disks get the same names.
 * <p>
 * Combinations libvirt or QEMU would refuse at start are refused here, where the user can still be told:
 * floppies only on {@link DiskBus#FDC} and nothing else there, CD-ROMs only on IDE or SCSI (a virtio disk
 * "does not support ejectable media"), and no read-only IDE hard disk ("readonly ide disks are not
 * supported"). A CD-ROM is always read-only, as libvirt makes it anyway; the record says so, so a spec
 * compares equal with what libvirt reports.
 *
 * @param format image format of {@code <driver type='...'>}: raw, qcow2, qcow, qed, vmdk, vdi, vpc or vhdx
 * @param cache libvirt's cache mode, or {@code null} for the hypervisor's default
 * @param bootOrder position in the boot order (1 first), or {@code null} to not boot from this disk
 */
public record DiskSpec(DiskSource source, DiskDevice device, String format, DiskBus bus, String cache,
        boolean readOnly, Integer bootOrder) {

    static final Set<String> FORMATS = Set.of("raw", "qcow2", "qcow", "qed", "vmdk", "vdi", "vpc", "vhdx");

    static final Set<String> CACHE_MODES = Set.of("default", "none", "writethrough", "writeback", "directsync",
            "unsafe");

    public DiskSpec {
        Checks.required(source, "The disk source");
        Checks.required(device, "The disk device");
        Checks.required(bus, "The disk bus");
        if (!FORMATS.contains(Checks.required(format, "The disk format"))) {
            throw new InvalidDomainSpecException("The disk format " + Checks.quote(format)
                    + " is not one of " + sorted(FORMATS) + ".");
        }
        if (cache != null && !CACHE_MODES.contains(cache)) {
            throw new InvalidDomainSpecException("The disk cache mode " + Checks.quote(cache)
                    + " is not one of " + sorted(CACHE_MODES) + ".");
        }
        if ((device == DiskDevice.FLOPPY) != (bus == DiskBus.FDC)) {
            throw new InvalidDomainSpecException("A " + device.libvirtName() + " cannot be on the " + bus.libvirtName()
                    + " bus: floppy drives go on the fdc bus, and only they do.");
        }
        if (device == DiskDevice.CDROM && bus != DiskBus.IDE && bus != DiskBus.SCSI) {
            throw new InvalidDomainSpecException("A CD-ROM cannot be on the " + bus.libvirtName()
                    + " bus, which has no removable media; use ide or scsi.");
        }
        if (device == DiskDevice.CDROM) {
            readOnly = true;
        }
        if (readOnly && device == DiskDevice.DISK && bus == DiskBus.IDE) {
            throw new InvalidDomainSpecException("An IDE hard disk cannot be read-only (libvirt refuses it);"
                    + " use virtio or scsi for a read-only disk.");
        }
        if (bootOrder != null && bootOrder < 1) {
            throw new InvalidDomainSpecException("The boot order " + bootOrder + " is not positive.");
        }
    }

    private static String sorted(Set<String> values) {
        return String.join(", ", values.stream().sorted().toList());
    }
}
