package org.kvmstudio.core.provisioning;

import java.util.Objects;

import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Status;

/**
 * What a master achieved for one of its slaves: the phase it reached, why not the requested one when
 * it did not, and the connection parameters it publishes for it.
 */
public record SlaveDeployment(Status.Phase phase, String message, Parameters connectionParameters) {

    public SlaveDeployment {
        Objects.requireNonNull(phase, "phase");
        message = message == null ? "" : message;
        connectionParameters = connectionParameters == null ? Parameters.EMPTY : connectionParameters;
    }

    public static SlaveDeployment reached(Status.Phase phase, Parameters published) {
        return new SlaveDeployment(phase, "", published);
    }
}
