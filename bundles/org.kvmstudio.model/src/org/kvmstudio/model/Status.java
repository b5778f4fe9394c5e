package org.kvmstudio.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What is known of an instance's actual state: its phase, a sentence a person can read, and when
 * it last changed.
 */
public record Status(Phase phase, String message, Instant since) {

    public enum Phase {
        /** Requested but not (yet) deployed as asked; {@link Status#message()} says why. */
        NOT_READY,
        STARTED,
        STOPPED,
        DESTROYED,
        /** The last provisioning attempt failed; {@link Status#message()} holds the error. */
        FAILED
    }

    public Status {
        Objects.requireNonNull(phase, "phase");
        message = message == null ? "" : message;
        since = since == null ? Instant.EPOCH : since;
    }

    public static Status notReady(String reason, Instant now) {
        return new Status(Phase.NOT_READY, reason, now);
    }

    public static Status failed(String error, Instant now) {
        return new Status(Phase.FAILED, error, now);
    }

    /** The phase an instance reaches once it is deployed in {@code state}. */
    public static Phase phaseOf(RequestedState state) {
        return switch (state) {
            case STARTED -> Phase.STARTED;
            case STOPPED -> Phase.STOPPED;
            case DESTROYED -> Phase.DESTROYED;
        };
    }
}
