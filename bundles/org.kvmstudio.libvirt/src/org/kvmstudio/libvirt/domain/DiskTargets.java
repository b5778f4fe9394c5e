package org.kvmstudio.libvirt.domain;

import java.util.ArrayList;
import java.util.List;

/**
 * Assigns target device names to disks, so that callers never pick them and the same disks always get the
 * same names.
 * <p>
 * On each bus, disks are numbered in list order with libvirt's own scheme ({@code vda} ... {@code vdz},
 * {@code vdaa} ...). IDE is the exception, because its four names are fixed positions (primary master
 * {@code hda}, primary slave {@code hdb}, secondary master {@code hdc}, secondary slave {@code hdd}) and PCs
 * put the CD-ROM on the secondary channel: CD-ROMs are placed first, taking {@code hdc}, {@code hdd},
 * {@code hdb}, {@code hda} in that order; hard disks then take the free names in the order {@code hda},
 * {@code hdb}, {@code hdc}, {@code hdd}. One disk and one CD-ROM thus give {@code hda} and {@code hdc}
 * whatever their order in the list.
 */
public final class DiskTargets {

    private static final List<String> IDE_CDROM_ORDER = List.of("hdc", "hdd", "hdb", "hda");
    private static final List<String> IDE_DISK_ORDER = List.of("hda", "hdb", "hdc", "hdd");

    private DiskTargets() {
    }

    /**
     * The target device name of each disk, in the order of {@code disks}.
     *
     * @throws InvalidDomainSpecException when a bus gets more disks than it takes
     */
    public static List<String> assign(List<DiskSpec> disks) {
        String[] names = new String[disks.size()];
        for (DiskBus bus : DiskBus.values()) {
            long count = disks.stream().filter(disk -> disk.bus() == bus).count();
            if (count > bus.maxDevices()) {
                throw new InvalidDomainSpecException(count + " disks are on the " + bus.libvirtName()
                        + " bus, which takes "
                        + bus.maxDevices() + (bus == DiskBus.IDE ? " (hda, hdb, hdc, hdd)" : "")
                        + "; put some on another bus.");
            }
        }
        List<String> freeIde = new ArrayList<>(IDE_DISK_ORDER);
        for (int i = 0; i < names.length; i++) {
            if (disks.get(i).bus() == DiskBus.IDE && disks.get(i).device() == DiskDevice.CDROM) {
                String name = IDE_CDROM_ORDER.stream().filter(freeIde::contains).findFirst().orElseThrow();
                freeIde.remove(name);
                names[i] = name;
            }
        }
        int[] next = new int[DiskBus.values().length];
        for (int i = 0; i < names.length; i++) {
            DiskBus bus = disks.get(i).bus();
            if (bus == DiskBus.IDE) {
                if (names[i] == null) {
                    names[i] = freeIde.remove(0);
                }
            } else {
                names[i] = bus.targetPrefix() + letters(next[bus.ordinal()]++);
            }
        }
        return List.of(names);
    }

    /** libvirt's disk suffix for a 0-based index: a ... z, aa ... az, ba ... (as {@code virIndexToDiskName}). */
    static String letters(int index) {
        StringBuilder suffix = new StringBuilder();
        for (int i = index; i >= 0; i = i / 26 - 1) {
            suffix.insert(0, (char) ('a' + i % 26));
        }
        return suffix.toString();
    }
}
