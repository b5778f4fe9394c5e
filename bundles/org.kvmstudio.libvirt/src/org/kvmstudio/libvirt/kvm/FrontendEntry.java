package org.kvmstudio.libvirt.kvm;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;

/**
 * A running KVM's own entry on a frontend, as the 2012 kvm did: a shared {@code frontend} instance,
 * requested in the KVM's instance tree under the KVM's reference, that exposes the VM's VNC websocket
 * at {@code https://<domain>:<port>/<reference>}. The frontend chosen is the one the parameters name
 * ({@code frontend-instance-guid}), else the only one there is; without one the KVM runs all the same.
 */
final class FrontendEntry {

    /** What asking for the entry gave: its URL once its frontend published one, else why not yet. */
    record Outcome(Optional<String> url, String note) {
    }

    private FrontendEntry() {
    }

    /**
     * Requests (again: requests are idempotent) the entry of the VM whose VNC websocket listens on
     * {@code websocketPort} of the host's loopback.
     */
    static Outcome request(ProvisioningContext context, int websocketPort) {
        Partition vm = context.partition();
        Parameters p = context.effectiveParameters();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("host", "127.0.0.1");
        entry.put("port", websocketPort);
        entry.put("https", false);
        InstanceRequest request = InstanceRequest.of(text(p, "frontend-software-url", "kvm"), vm.reference())
                .withSoftwareType(text(p, "frontend-software-type", "frontend")).withShared(true)
                .withParameters(Parameters.of(entry));
        String guid = text(p, "frontend-instance-guid", "");
        if (!guid.isBlank()) {
            request = request.withFilter(Filter.of(Map.of(Filter.INSTANCE_GUID, guid)));
        }
        Partition requested;
        try {
            requested = context.request(request);
        } catch (RuntimeException e) {
            return new Outcome(Optional.empty(), "running; its frontend entry cannot be requested: " + e.getMessage());
        }
        Optional<String> url = requested.connectionParameters().get("url").map(Object::toString);
        if (url.isPresent()) {
            return new Outcome(url, "");
        }
        String why = requested.status().message();
        return new Outcome(Optional.empty(), "running; no frontend serves its console yet" + (why.isBlank() ? "" : ": " + why));
    }

    private static String text(Parameters p, String name, String otherwise) {
        return p.get(name).map(Object::toString).filter(s -> !s.isBlank()).orElse(otherwise);
    }
}
