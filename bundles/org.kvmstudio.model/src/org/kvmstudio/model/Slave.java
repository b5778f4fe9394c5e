package org.kvmstudio.model;

import java.util.Objects;

/**
 * A shared instance as its master sees it (SlapOS's {@code slave_instance_list} entry): the
 * master deploys one entry per slave and publishes connection parameters for each.
 *
 * @param id        the slave's instance guid
 * @param reference the slave's partition reference, as the requester named it
 * @param parameters what the requester asked of the master for this slave
 * @param state     {@link RequestedState#DESTROYED} when the master must drop it
 */
public record Slave(String id, String reference, Parameters parameters, RequestedState state) {

    public Slave {
        Objects.requireNonNull(id, "id");
        InstanceRequest.checkReference(reference);
        parameters = parameters == null ? Parameters.EMPTY : parameters;
        Objects.requireNonNull(state, "state");
    }

    public static Slave of(Partition shared) {
        if (!shared.shared()) {
            throw new IllegalArgumentException(shared.reference() + " is not a shared instance");
        }
        return new Slave(shared.id(), shared.reference(), shared.parameters(), shared.requestedState());
    }
}
