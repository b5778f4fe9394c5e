package org.kvmstudio.frontend.server;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * One entry of a frontend: {@code /<resource>/} serves the console page, and its websocket is relayed
 * to {@code backend}, a VNC websocket (QEMU's own).
 *
 * @param slaveId   the slave this route is for, to name it in messages
 * @param websocket whether the console's websocket is let through
 */
public record Route(String resource, String slaveId, URI backend, boolean websocket) {

    /**
     * What a path segment of ours may hold: letters, digits and {@code _ . ~}, not starting with a dot.
     * Nothing that needs percent-encoding, so a request path is matched as it was sent.
     */
    private static final Pattern RESOURCE = Pattern.compile("[A-Za-z0-9_~][A-Za-z0-9_.~]{0,99}");

    public Route {
        if (!RESOURCE.matcher(Objects.requireNonNull(resource, "resource")).matches()) {
            throw new IllegalArgumentException("not a frontend resource: " + resource);
        }
        Objects.requireNonNull(slaveId, "slaveId");
        String scheme = Objects.requireNonNull(backend, "backend").getScheme();
        if (!("ws".equals(scheme) || "wss".equals(scheme)) || backend.getHost() == null || backend.getPort() < 1) {
            throw new IllegalArgumentException("a console backend is a ws: or wss: address with a host and a port, not " + backend);
        }
    }

    /**
     * The path segment a slave is published at: its reference without "-", as the 2012 frontend
     * did; empty when what is left cannot be a path segment of ours.
     */
    public static Optional<String> resourceOf(String reference) {
        String resource = reference.replace("-", "");
        return RESOURCE.matcher(resource).matches() ? Optional.of(resource) : Optional.empty();
    }

    /** The websocket address of a backend: {@code host} and {@code port}, over TLS when {@code secure}. */
    public static URI backend(String host, int port, boolean secure, String path) {
        try {
            return new URI(secure ? "wss" : "ws", null, host, port, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a backend address: host " + host + ", port " + port + ", path " + path, e);
        }
    }
}
