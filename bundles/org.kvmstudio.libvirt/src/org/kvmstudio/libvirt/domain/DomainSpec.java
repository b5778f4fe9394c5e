package org.kvmstudio.libvirt.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A libvirt domain as KVM Studio wants it, checked when built so that {@link DomainXmlWriter} can only write
 * XML libvirt accepts. A spec with the same values always gives the same XML, which is what a plan compares.
 *
 * @param name libvirt's domain name: {@code [A-Za-z0-9_.+-]}, 1 to 64 characters, not starting with {@code .}
 *            or {@code -} (it names files and appears on virsh command lines); see {@link #nameFor(String)}
 * @param uuid given rather than left to libvirt, so that the XML is deterministic and the domain keeps its
 *            identity when redefined
 * @param title a one-line label, or {@code null}: libvirt refuses line breaks in a title, so control characters
 *            become spaces; an empty title counts as none, since libvirt refuses an empty one too
 * @param description free text, or {@code null}; line ends are normalised to {@code \n}
 * @param memoryMiB guest memory in MiB, positive
 * @param vcpus virtual CPUs, positive (the machine type sets the upper limit, which libvirt checks)
 * @param machine QEMU machine type, e.g. {@code pc} or {@code q35}
 * @param disks in the order their target names are assigned (see {@link DiskTargets})
 * @param graphics a VNC console, or {@code null} for none (then there is no video device either)
 * @param network a user-mode network, or {@code null} for no network
 * @param serialLogPath a host file receiving the guest's serial console, or {@code null} for no serial port
 */
public record DomainSpec(String name, UUID uuid, String title, String description, VirtType virtType,
        long memoryMiB, int vcpus, String machine, InstanceMetadata metadata, List<DiskSpec> disks,
        VncGraphics graphics, UserNetwork network, String serialLogPath) {

    /** What every KVM Studio domain name starts with, so that a person reading {@code virsh list} knows whose it is. */
    public static final String NAME_PREFIX = "kvmstudio-";

    /** libvirt's limit is the host's file-name length; 64 keeps names readable and paths short. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_+][A-Za-z0-9_.+-]{0,63}");
    private static final Pattern MACHINE = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}");

    /** libvirt's own limit: memory in KiB at most 2^53 - 1. */
    public static final long MAX_MEMORY_MIB = ((1L << 53) - 1) / 1024;

    static final int MAX_TITLE = 1024;
    static final int MAX_DESCRIPTION = 65536;

    public DomainSpec {
        if (!NAME.matcher(Checks.required(name, "The domain name")).matches()) {
            throw new InvalidDomainSpecException("The domain name " + Checks.quote(name) + " is not 1 to 64"
                    + " letters, digits and _ . + - (not starting with . or -).");
        }
        Checks.required(uuid, "The domain UUID");
        if (title != null) {
            title = Checks.singleLine(Checks.maxLength(title, MAX_TITLE, "The title"));
            title = title.isEmpty() ? null : title;
        }
        if (description != null) {
            description = Checks.xmlText(Checks.maxLength(description, MAX_DESCRIPTION, "The description"));
        }
        Checks.required(virtType, "The virtualisation type");
        if (memoryMiB < 1 || memoryMiB > MAX_MEMORY_MIB) {
            throw new InvalidDomainSpecException("The memory size " + memoryMiB + " MiB is not between 1 and "
                    + MAX_MEMORY_MIB + " MiB.");
        }
        if (vcpus < 1) {
            throw new InvalidDomainSpecException("The number of virtual CPUs " + vcpus + " is not positive.");
        }
        if (!MACHINE.matcher(Checks.required(machine, "The machine type")).matches()) {
            throw new InvalidDomainSpecException("The machine type " + Checks.quote(machine)
                    + " is not a QEMU machine name such as pc or q35.");
        }
        Checks.required(metadata, "The instance metadata");
        Checks.required(disks, "The list of disks").forEach(disk -> Checks.required(disk, "A disk"));
        disks = List.copyOf(disks);
        DiskTargets.assign(disks);
        Set<Integer> bootOrders = new HashSet<>();
        for (DiskSpec disk : disks) {
            if (disk.bootOrder() != null && !bootOrders.add(disk.bootOrder())) {
                throw new InvalidDomainSpecException("Two disks have the boot order " + disk.bootOrder() + ".");
            }
        }
        if (serialLogPath != null) {
            Checks.absolutePath(serialLogPath, "The serial log path");
        }
    }

    /** The domain name of an instance: {@code kvmstudio-SOFTINST-12}. */
    public static String nameFor(String instanceGuid) {
        String name = NAME_PREFIX + Checks.required(instanceGuid, "The instance guid");
        if (!NAME.matcher(name).matches()) {
            throw new InvalidDomainSpecException("The instance guid " + Checks.quote(instanceGuid)
                    + " cannot be part of a domain name.");
        }
        return name;
    }
}
