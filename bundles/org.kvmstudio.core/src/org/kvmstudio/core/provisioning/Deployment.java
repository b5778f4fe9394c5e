package org.kvmstudio.core.provisioning;

import java.util.Map;
import java.util.Objects;

import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Status;

/**
 * What a provisioner achieved: the partition's phase, the connection parameters it publishes and,
 * for a master, what it achieved for each slave it was given (by slave id). A slave it says nothing
 * of stays not ready; a slave to destroy that it reports {@code DESTROYED} is dropped even when the
 * master itself is behind.
 *
 * @param message why the partition is not in its requested state, when it is not; when it is, a note
 *                of what around it is still missing (shown as its status message)
 */
public record Deployment(Status.Phase phase, String message, Parameters connectionParameters,
        Map<String, SlaveDeployment> slaves) {

    public Deployment {
        Objects.requireNonNull(phase, "phase");
        message = message == null ? "" : message;
        connectionParameters = connectionParameters == null ? Parameters.EMPTY : connectionParameters;
        slaves = slaves == null ? Map.of() : Map.copyOf(slaves);
    }

    public static Deployment reached(Status.Phase phase, Parameters published) {
        return new Deployment(phase, "", published, Map.of());
    }

    /** Not (yet) in the requested state, for {@code reason}; what is already published is kept. */
    public static Deployment behind(Status.Phase phase, String reason, Parameters published) {
        return new Deployment(phase, reason, published, Map.of());
    }

    /** In the requested state, with a note of what around it is still missing. */
    public static Deployment reached(Status.Phase phase, Parameters published, String note) {
        return new Deployment(phase, note, published, Map.of());
    }

    public Deployment withSlaves(Map<String, SlaveDeployment> deployedSlaves) {
        return new Deployment(phase, message, connectionParameters, deployedSlaves);
    }
}
