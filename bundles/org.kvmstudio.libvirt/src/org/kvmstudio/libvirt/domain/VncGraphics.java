package org.kvmstudio.libvirt.domain;

import java.util.regex.Pattern;

/**
 * A VNC console, on ports libvirt allocates from its configured ranges ({@code port='-1' autoport='yes'}), with
 * a websocket port for the browser viewer when {@code websocket} is set.
 * <p>
 * The password is a secret: {@link #toString()} leaves it out, and {@link DomainXmlWriter#writeWithoutSecrets}
 * gives the XML without it for plans and logs. VNC's authentication uses at most 8 characters and libvirt
 * refuses longer passwords ("VNC password is 9 characters long, only 8 permitted"); they are printable ASCII
 * here, since VNC turns them into bytes without saying how.
 *
 * @param listenAddress an IPv4 or IPv6 address, usually {@code 127.0.0.1}: the console is reached through the
 *            application, never directly from the network
 * @param keymap QEMU's keyboard map (e.g. {@code en-us}, {@code de-ch}), or {@code null} for its default
 */
public record VncGraphics(String listenAddress, String password, String keymap, boolean websocket) {

    private static final Pattern PASSWORD = Pattern.compile("[\\x20-\\x7E]{1,8}");
    private static final Pattern KEYMAP = Pattern.compile("[a-z]{2,8}(-[a-z]{2,8})?");

    public VncGraphics {
        Checks.required(listenAddress, "The VNC listen address");
        if (!Checks.isIpv4(listenAddress) && !Checks.isIpv6(listenAddress)) {
            throw new InvalidDomainSpecException("The VNC listen address " + Checks.quote(listenAddress)
                    + " is not an IPv4 or IPv6 address.");
        }
        if (!PASSWORD.matcher(Checks.required(password, "The VNC password")).matches()) {
            // never echo the password itself
            throw new InvalidDomainSpecException("The VNC password must be 1 to 8 printable ASCII characters.");
        }
        if (keymap != null && !KEYMAP.matcher(keymap).matches()) {
            throw new InvalidDomainSpecException("The keyboard map " + Checks.quote(keymap)
                    + " is not a QEMU keymap name such as en-us or de-ch.");
        }
    }

    @Override
    public String toString() {
        return "VncGraphics[listenAddress=" + listenAddress + ", password=(hidden), keymap=" + keymap
                + ", websocket=" + websocket + "]";
    }
}
