package org.kvmstudio.libvirt.kvm;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;

import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.kvmstudio.model.StudioException;

/**
 * A KVM's own entry on a frontend, as the 2012 kvm had: a shared {@code frontend} instance, requested
 * in the KVM's instance tree under the KVM's reference, that exposes the VM's VNC websocket at
 * {@code https://<domain>:<port>/<reference>}. The frontend chosen is the one the parameters name
 * ({@code frontend-instance-guid}), else the only one there is; without one the KVM runs all the same.
 * The entry follows its VM: started with it on the websocket's current port, stopped with it (so
 * that a port libvirt gives to another VM is never reached through this entry), destroyed with it
 * by the engine.
 */
final class FrontendEntry {

    /** The websocket port the entry was last requested with, kept to stop it when the VM stops. */
    static final String PORT_STATE = "frontend-entry-port";

    /** What following the VM gave: the entry's URL once its frontend published one, else why not yet. */
    record Outcome(Optional<String> url, String note) {
        static final Outcome NONE = new Outcome(Optional.empty(), "");
    }

    private FrontendEntry() {
    }

    /**
     * Requests the entry again (requests are idempotent) as the VM now is: {@code phase}, with its VNC
     * websocket reached at {@code console} from this machine, whose frontends serve the entry.
     */
    static Outcome follow(ProvisioningContext context, Status.Phase phase, GuestConsole.Reach console) {
        OptionalInt websocketPort = followedPort(phase, console);
        try {
            if (phase == Status.Phase.STARTED && websocketPort.isEmpty() && !console.unreachable().isBlank()) {
                // an entry requested while the console was reached (before its host counted as another
                // machine, say) would relay to a port of this machine that is not this guest's
                stopLast(context);
                return new Outcome(Optional.empty(), console.unreachable());
            }
            if (websocketPort.isPresent()) {
                context.state().put(PORT_STATE, websocketPort.getAsInt()); // no write when the deployment kept it already
                return outcome(context.request(request(context, websocketPort.getAsInt(), RequestedState.STARTED)));
            }
            if (phase == Status.Phase.STOPPED) {
                stopLast(context);
            }
            return Outcome.NONE;
        } catch (StudioException e) {
            return new Outcome(Optional.empty(), "running; its frontend entry cannot be requested: " + e.getMessage());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot keep the frontend entry's port in the partition's state", e);
        }
    }

    /** The websocket port the entry is requested with (and {@link #PORT_STATE} keeps) for a VM in {@code phase}. */
    static OptionalInt followedPort(Status.Phase phase, GuestConsole.Reach console) {
        return phase == Status.Phase.STARTED ? console.port() : OptionalInt.empty();
    }

    /** Requests the entry stopped, on the port it was last requested with, if it ever was. */
    private static void stopLast(ProvisioningContext context) throws IOException {
        Optional<Integer> last = context.state().get(PORT_STATE).filter(Number.class::isInstance).map(n -> ((Number) n).intValue());
        if (last.isPresent()) {
            context.request(request(context, last.get(), RequestedState.STOPPED));
        }
    }

    private static InstanceRequest request(ProvisioningContext context, int websocketPort, RequestedState state) {
        Partition vm = context.partition();
        Parameters p = context.effectiveParameters();
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("host", "127.0.0.1");
        entry.put("port", websocketPort);
        entry.put("https", false);
        InstanceRequest request = InstanceRequest.of(text(p, "frontend-software-url", "kvm"), vm.reference())
                .withSoftwareType(text(p, "frontend-software-type", "frontend")).withShared(true)
                .withParameters(Parameters.of(entry)).withState(state);
        String guid = text(p, "frontend-instance-guid", "");
        return guid.isBlank() ? request : request.withFilter(Filter.of(Map.of(Filter.INSTANCE_GUID, guid)));
    }

    private static Outcome outcome(Partition entry) {
        Optional<String> url = entry.connectionParameters().get("url").map(Object::toString);
        if (url.isPresent()) {
            return new Outcome(url, "");
        }
        String why = entry.status().message();
        return new Outcome(Optional.empty(), "running; no frontend serves its console yet" + (why.isBlank() ? "" : ": " + why));
    }

    private static String text(Parameters p, String name, String otherwise) {
        return p.get(name).map(Object::toString).filter(s -> !s.isBlank()).orElse(otherwise);
    }
}
