package org.kvmstudio.libvirt.domain;

import java.util.Optional;

/**
 * How the guest runs: {@link #KVM} with hardware virtualisation, or {@link #QEMU} in QEMU's own emulator
 * (TCG). Which one a host can do is probed from its capabilities, never assumed: a host whose CPU lacks
 * vmx/svm may still have {@code /dev/kvm}, and a guest under {@code kvm} there fails.
 */
public enum VirtType {
    KVM("kvm"),
    QEMU("qemu");

    private final String libvirtName;

    VirtType(String libvirtName) {
        this.libvirtName = libvirtName;
    }

    /** The value of {@code <domain type='...'>}. */
    public String libvirtName() {
        return libvirtName;
    }

    /** The type of {@code <domain type='...'>}; empty for other hypervisors (the test driver says {@code test}). */
    public static Optional<VirtType> fromLibvirt(String name) {
        for (VirtType type : values()) {
            if (type.libvirtName.equals(name)) {
                return Optional.of(type);
            }
        }
        return Optional.empty();
    }
}
