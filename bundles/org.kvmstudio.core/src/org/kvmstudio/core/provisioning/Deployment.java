package org.kvmstudio.core.provisioning;

import java.util.Map;
import java.util.Objects;

import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Status;

/**
 * What a provisioner achieved: the partition's phase, the connection parameters it publishes and,
 * for a master, the connection parameters of each slave it deployed (by slave id).
 *
 * @param message why the partition is not yet in its requested state, when it is not
 */
public record Deployment(Status.Phase phase, String message, Parameters connectionParameters,
        Map<String, Parameters> slaveConnectionParameters) {

    public Deployment {
        Objects.requireNonNull(phase, "phase");
        message = message == null ? "" : message;
        connectionParameters = connectionParameters == null ? Parameters.EMPTY : connectionParameters;
        slaveConnectionParameters = slaveConnectionParameters == null ? Map.of() : Map.copyOf(slaveConnectionParameters);
    }

    public static Deployment reached(Status.Phase phase, Parameters published) {
        return new Deployment(phase, "", published, Map.of());
    }

    public Deployment withSlaves(Map<String, Parameters> slaves) {
        return new Deployment(phase, message, connectionParameters, slaves);
    }
}
