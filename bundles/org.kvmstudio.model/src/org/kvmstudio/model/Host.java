package org.kvmstudio.model;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.regex.Pattern;

/**
 * A hypervisor host partitions are placed on: SlapOS's computer, reached through a libvirt URI
 * ({@code qemu:///embed} for the one embedded in the workspace's owner, {@code qemu+ssh://...},
 * {@code qemu+tcp://...}, {@code qemu:///system}).
 *
 * @param id the computer guid used by {@link Filter#COMPUTER_GUID}; it names the host's file
 */
public record Host(String id, String title, String uri) {

    /** Ids name files and appear in URLs: letters, digits, '.', '-' and '_'. */
    private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    /** The host embedded in the process that owns the workspace (libvirt's {@code qemu:///embed}). */
    public static final String EMBEDDED_URI = "qemu:///embed";

    public Host {
        checkId(id);
        title = title == null || title.isBlank() ? id : title;
        uri = checkUri(uri);
    }

    public static void checkId(String id) {
        if (id == null || !ID.matcher(id).matches()) {
            throw new InvalidRequestException("host id " + (id == null ? "null" : Excerpt.quoted(id))
                    + " is not valid: use 1 to 64 letters, digits, '.', '-' or '_', starting with a letter or digit");
        }
    }

    /** A libvirt URI has a scheme ({@code qemu}, {@code qemu+ssh}, ...) and nothing that is not a URI. */
    private static String checkUri(String uri) {
        if (uri == null || uri.isBlank()) {
            throw new InvalidRequestException("a host needs a libvirt URI, such as qemu+ssh://root@example.com/system");
        }
        try {
            URI parsed = new URI(uri);
            if (parsed.getScheme() == null || !parsed.getScheme().matches("[a-z][a-z0-9+]*")) {
                throw new InvalidRequestException(Excerpt.quoted(uri) + " is not a libvirt URI: it needs a driver such as qemu:// or qemu+ssh://");
            }
        } catch (URISyntaxException e) {
            throw new InvalidRequestException(Excerpt.quoted(uri) + " is not a libvirt URI: " + e.getReason(), e);
        }
        return uri;
    }

    public boolean embedded() {
        return uri.equals(EMBEDDED_URI);
    }

    /**
     * Whether its guests run on this machine ({@code qemu:///embed}, {@code qemu:///system}, a URI
     * naming localhost): what they listen on at loopback is reachable from here.
     */
    public boolean onThisMachine() {
        String host = URI.create(uri.startsWith("qemu:///") ? "qemu://localhost/" : uri).getHost();
        return host == null || host.equalsIgnoreCase("localhost") || host.equals("127.0.0.1") || host.equals("[::1]");
    }
}
