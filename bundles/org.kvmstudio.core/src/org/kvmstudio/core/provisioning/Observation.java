package org.kvmstudio.core.provisioning;

import java.util.Objects;

import org.kvmstudio.model.Status;

/**
 * What a backend sees of a partition outside any deployment: a VM that stopped or crashed, a domain
 * that vanished, an export that is not served. The engine records it as the partition's status; a
 * phase other than the requested one makes the partition not ready, so the controller deploys it again.
 *
 * @param message what happened, in plain words ("shut off: crashed", "the domain is gone"); empty when as expected
 */
public record Observation(Status.Phase phase, String message) {

    public Observation {
        Objects.requireNonNull(phase, "phase");
        message = message == null ? "" : message;
    }
}
