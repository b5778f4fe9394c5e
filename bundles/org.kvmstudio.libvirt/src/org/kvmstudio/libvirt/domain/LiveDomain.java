package org.kvmstudio.libvirt.domain;

import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * What libvirt says a domain is, as far as KVM Studio compares it with a {@link DomainSpec}: identity,
 * ownership (the {@link InstanceMetadata}, empty when the domain is not ours), size, disks and console ports.
 *
 * @param type libvirt's hypervisor type as given ({@code kvm}, {@code qemu}; {@code test} under the test
 *            driver); see {@link #virtType()}
 * @param memoryKiB libvirt's {@code <memory>} in KiB, its own unit
 */
public record LiveDomain(String name, UUID uuid, String type, Optional<String> title, Optional<String> description,
        long memoryKiB, int vcpus, List<LiveDisk> disks, LiveGraphics graphics, Optional<InstanceMetadata> metadata) {

    public LiveDomain {
        Checks.required(name, "The name");
        Checks.required(uuid, "The UUID");
        Checks.required(type, "The type");
        Checks.required(title, "The title");
        Checks.required(description, "The description");
        disks = List.copyOf(Checks.required(disks, "The disks"));
        Checks.required(graphics, "The graphics");
        Checks.required(metadata, "The metadata");
    }

    /** The type, when it is one KVM Studio writes. */
    public Optional<VirtType> virtType() {
        return VirtType.fromLibvirt(type);
    }

    /** Memory in whole MiB, rounded down (libvirt keeps what it was given in MiB exactly). */
    public long memoryMiB() {
        return memoryKiB / 1024;
    }
}
