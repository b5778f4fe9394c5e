package org.kvmstudio.libvirt.domain;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The QEMU command-line arguments of a {@link UserNetwork}: {@code -netdev user,id=...,hostfwd=...} and a
 * {@code -device} for the adapter.
 * <p>
 * These are the only strings in this package built by concatenation, and that is safe because every piece is
 * a typed value whose text cannot contain QEMU's separators ({@code ,} {@code =}) or a JSON quote: an IPv4
 * address from {@link java.net.Inet4Address#getHostAddress()} (digits and dots), ports that are {@code int}s,
 * an adapter name from {@link NicModel}'s fixed list, and constants. No user text ever reaches them; the
 * final pattern check only guards that promise against a future edit.
 * <p>
 * The device is given in QEMU's JSON syntax because QEMU creates every {@code -device} in the old
 * {@code key=value} syntax before all JSON ones, and libvirt writes its own devices as JSON: in the old
 * syntax, {@code usb-net} finds no USB bus yet ("No 'usb-bus' bus found"). PCI adapters get slot 0x1e,
 * which keeps their guest-visible address (and so the guest's interface name) the same whatever disks the
 * domain has; without an explicit slot an old-syntax adapter took slot 2 before libvirt's VGA ("slot 2
 * function 0 not available for cirrus-vga").
 */
final class QemuNetArgs {

    static final String NETDEV_ID = "kvmstudio-net0";
    static final String DEVICE_ID = "kvmstudio-nic0";
    static final String PCI_SLOT = "0x1e";

    private static final Pattern SAFE = Pattern.compile("[-A-Za-z0-9_.:,=\"{}]+");

    private QemuNetArgs() {
    }

    static List<String> of(UserNetwork network) {
        StringBuilder netdev = new StringBuilder("user,id=").append(NETDEV_ID);
        for (PortForward forward : network.forwards()) {
            netdev.append(",hostfwd=tcp:").append(forward.hostAddress().getHostAddress()).append(':')
                    .append(forward.hostPort()).append("-:").append(forward.guestPort());
        }
        StringBuilder device = new StringBuilder("{\"driver\":\"").append(network.adapterModel().qemuName())
                .append("\",\"netdev\":\"").append(NETDEV_ID).append("\",\"id\":\"").append(DEVICE_ID).append('"');
        if (network.adapterModel().isPci()) {
            device.append(",\"addr\":\"").append(PCI_SLOT).append('"');
        }
        device.append('}');
        List<String> args = List.of("-netdev", netdev.toString(), "-device", device.toString());
        for (String arg : args) {
            if (!SAFE.matcher(arg).matches()) {
                throw new IllegalStateException("unexpected character in QEMU argument " + arg);
            }
        }
        return args;
    }
}
