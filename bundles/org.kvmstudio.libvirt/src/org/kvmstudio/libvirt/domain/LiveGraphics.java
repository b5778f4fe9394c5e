package org.kvmstudio.libvirt.domain;

import java.util.OptionalInt;

/**
 * The ports libvirt gave a running domain's VNC console, from its {@code port} and {@code websocket}
 * attributes. Empty while not allocated ({@code -1}: the domain is not running) or when there is no such
 * console.
 */
public record LiveGraphics(OptionalInt vncPort, OptionalInt websocketPort) {

    /** No VNC console, or none of its ports allocated. */
    public static final LiveGraphics NONE = new LiveGraphics(OptionalInt.empty(), OptionalInt.empty());

    public LiveGraphics {
        Checks.required(vncPort, "The VNC port");
        Checks.required(websocketPort, "The websocket port");
    }
}
