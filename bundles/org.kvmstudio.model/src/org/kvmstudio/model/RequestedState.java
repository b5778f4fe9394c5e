package org.kvmstudio.model;

import java.util.Locale;

/** The state a requester asks an instance to be in, with SlapOS's names. */
public enum RequestedState {
    STARTED, STOPPED, DESTROYED;

    /** The SlapOS spelling: {@code started}, {@code stopped}, {@code destroyed}. */
    public String slapName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Parses a SlapOS state name; {@code null} or blank means {@code started}, as in {@code slap.py}. */
    public static RequestedState parse(String name) {
        if (name == null || name.isBlank()) {
            return STARTED;
        }
        for (RequestedState s : values()) {
            if (s.slapName().equals(name.trim().toLowerCase(Locale.ROOT))) {
                return s;
            }
        }
        throw new InvalidRequestException(
                "unknown requested state " + Excerpt.quoted(name) + ": expected started, stopped or destroyed");
    }
}
