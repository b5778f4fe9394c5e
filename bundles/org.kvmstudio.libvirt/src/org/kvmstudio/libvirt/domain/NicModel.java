package org.kvmstudio.libvirt.domain;

/**
 * The network adapters a guest can get, by QEMU {@code -device} name (the values of SlapOS's {@code nic-model}).
 * A fixed list, because the name goes into a QEMU command line: anything else is refused, not passed on.
 */
public enum NicModel {
    VIRTIO_NET_PCI("virtio-net-pci", true),
    E1000("e1000", true),
    NE2K_ISA("ne2k_isa", false),
    NE2K_PCI("ne2k_pci", true),
    PCNET("pcnet", true),
    RTL8139("rtl8139", true),
    USB_NET("usb-net", false),
    VMXNET3("vmxnet3", true);

    private final String qemuName;
    private final boolean pci;

    NicModel(String qemuName, boolean pci) {
        this.qemuName = qemuName;
        this.pci = pci;
    }

    /** The QEMU {@code -device} driver name. */
    public String qemuName() {
        return qemuName;
    }

    /** Whether the adapter sits on the PCI bus, and so gets an explicit slot. */
    public boolean isPci() {
        return pci;
    }

    /** @throws InvalidDomainSpecException for a name not in the list, with the list */
    public static NicModel fromQemuName(String name) {
        for (NicModel model : values()) {
            if (model.qemuName.equals(name)) {
                return model;
            }
        }
        StringBuilder known = new StringBuilder();
        for (NicModel model : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(model.qemuName);
        }
        throw new InvalidDomainSpecException("The network adapter model " + Checks.quote(name)
                + " is not supported; use one of " + known + ".");
    }
}
