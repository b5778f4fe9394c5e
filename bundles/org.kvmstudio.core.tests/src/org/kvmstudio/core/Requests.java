package org.kvmstudio.core;

import java.util.Map;

import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;

/** The requests the engine tests make: a VM, a frontend master, a slave on it. */
final class Requests {

    private Requests() {
    }

    static InstanceRequest kvm(String reference, Map<String, ?> parameters) {
        return InstanceRequest.of("kvm", reference).withParameters(Parameters.of(parameters));
    }

    static InstanceRequest frontend(String reference) {
        return InstanceRequest.of("kvm", reference).withSoftwareType("frontend")
                .withParameters(Parameters.of(Map.of("domain", "mydomain.com")));
    }

    static InstanceRequest slave(String reference, int port) {
        return InstanceRequest.of("kvm", reference).withSoftwareType("frontend").withShared(true)
                .withParameters(Parameters.of(Map.of("host", "10.0.0.2", "port", port)));
    }

    static InstanceRequest slave(String reference) {
        return slave(reference, 6080);
    }
}
