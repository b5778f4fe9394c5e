package org.kvmstudio.libvirt.kvm;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kvmstudio.model.Parameters;

/**
 * A virtual machine's parameters (the kvm release's {@code default} and {@code kvm+} types), read from
 * the effective parameters the engine gives: already checked against the schema and completed with
 * its defaults, so each value has its type here.
 */
record VmParameters(long ramMiB, int cpus, long diskGiB, String diskType, String diskFormat, String diskCache,
        String networkAdapter, List<Integer> natRules, Optional<String> nbdHost, int nbdPort, Optional<String> nbd2Host,
        int nbd2Port, List<BootImage> bootImages, Optional<String> hardDriveUrl, Optional<String> hardDriveMd5,
        boolean novnc, String keymap, boolean wipeOnDestroy, List<ExternalDisk> externalDisks) {

    /** One line of {@code boot-image-url-list}: {@code URL#MD5}. */
    record BootImage(String url, String md5) {
    }

    record ExternalDisk(String name, String path, long index, String cache, String format) {
    }

    static VmParameters of(Parameters p) {
        return new VmParameters(number(p, "ram-size", 1024), (int) number(p, "cpu-count", 1), number(p, "disk-size", 10),
                text(p, "disk-type").orElse("virtio"), text(p, "disk-format").orElse("qcow2"),
                text(p, "disk-cache").orElse("writeback"), text(p, "network-adapter").orElse("virtio-net-pci"),
                natRules(p), text(p, "nbd-host"), (int) number(p, "nbd-port", 1024), text(p, "nbd2-host"),
                (int) number(p, "nbd2-port", 1024), bootImages(p), text(p, "virtual-hard-drive-url"),
                text(p, "virtual-hard-drive-md5sum"), flag(p, "enable-novnc-server", true),
                text(p, "keyboard-layout-language").orElse("en-us"), flag(p, "wipe-disk-ondestroy", false),
                externalDisks(p));
    }

    private static Optional<String> text(Parameters p, String name) {
        return p.get(name).filter(String.class::isInstance).map(String.class::cast).filter(s -> !s.isBlank());
    }

    private static long number(Parameters p, String name, long fallback) {
        return p.get(name).filter(Number.class::isInstance).map(n -> ((Number) n).longValue()).orElse(fallback);
    }

    private static boolean flag(Parameters p, String name, boolean fallback) {
        return p.get(name).filter(Boolean.class::isInstance).map(Boolean.class::cast).orElse(fallback);
    }

    private static List<Integer> natRules(Parameters p) {
        List<Integer> rules = new ArrayList<>();
        if (p.get("nat-rules").orElse(null) instanceof List<?> list) {
            list.stream().filter(Number.class::isInstance).map(n -> ((Number) n).intValue()).forEach(rules::add);
        }
        return rules;
    }

    private static List<BootImage> bootImages(Parameters p) {
        List<BootImage> images = new ArrayList<>();
        text(p, "boot-image-url-list").ifPresent(list -> list.lines().map(String::strip).filter(l -> !l.isEmpty())
                .forEach(line -> {
                    int hash = line.lastIndexOf('#');
                    images.add(new BootImage(line.substring(0, hash), line.substring(hash + 1)));
                }));
        return images;
    }

    private static List<ExternalDisk> externalDisks(Parameters p) {
        List<ExternalDisk> disks = new ArrayList<>();
        if (p.get("external-disk").orElse(null) instanceof Map<?, ?> map) {
            map.forEach((name, value) -> {
                if (value instanceof Map<?, ?> d && d.get("path") instanceof String path) {
                    disks.add(new ExternalDisk(name.toString(), path,
                            d.get("index") instanceof Number n ? n.longValue() : 0,
                            d.get("cache") instanceof String c ? c : "writeback",
                            d.get("format") instanceof String f ? f : "autodetect"));
                }
            });
        }
        disks.sort(Comparator.comparingLong(ExternalDisk::index).thenComparing(ExternalDisk::name));
        return disks;
    }
}
