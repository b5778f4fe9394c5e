package org.kvmstudio.libvirt.domain;

import java.util.Optional;

/**
 * A disk of a domain as libvirt reports it. Bus and device are libvirt's words as given (a domain not made
 * by KVM Studio may use buses this package does not write, such as {@code sata}).
 *
 * @param source empty for a drive without media, or for a source this package does not write (a block
 *            device, another network protocol, a path it would refuse)
 */
public record LiveDisk(String targetDev, String bus, String device, Optional<DiskSource> source) {

    public LiveDisk {
        Checks.required(targetDev, "The target device");
        Checks.required(bus, "The bus");
        Checks.required(device, "The device");
        Checks.required(source, "The source");
    }
}
