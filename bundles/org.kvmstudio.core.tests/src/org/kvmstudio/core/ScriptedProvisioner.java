package org.kvmstudio.core;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

import org.eclipse.core.runtime.IProgressMonitor;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.core.provisioning.SlaveDeployment;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Slave;
import org.kvmstudio.model.Status;

/**
 * A provisioner of the kvm release's types that deploys nothing but records what it was asked and
 * publishes what the real ones will: it exercises the engine's side of the provisioner contract.
 * (The real provisioners, on libvirt and QEMU, arrive with the backend and have their own tests.)
 */
final class ScriptedProvisioner implements Provisioner {

    /** One call: the partition's reference, requested state, effective parameters and slaves. */
    record Call(String reference, RequestedState state, Parameters parameters, List<Slave> slaves) {
    }

    final List<Call> calls = new ArrayList<>();
    /** Thrown by the next deploy when set (then cleared), to script a failure. */
    ProvisioningException failNext;
    /** Optional action run during deploy (e.g. request a child instance). */
    Function<ProvisioningContext, Parameters> extra = c -> Parameters.EMPTY;
    /** The note a reached deployment leaves as its status message. */
    String note = "";
    /** Publishes a value the output schema refuses, when set. */
    boolean publishInvalid;
    /** What the master achieves for each slave (reached, by default), given what it would publish. */
    java.util.function.BiFunction<Slave, Parameters, SlaveDeployment> slaveOutcome =
            (s, published) -> SlaveDeployment.reached(Status.phaseOf(s.state()), published);

    @Override
    public String releaseUri() {
        return "kvm";
    }

    @Override
    public Set<String> softwareTypes() {
        return Set.of("default", "kvm+", "nbd", "frontend");
    }

    @Override
    public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) throws ProvisioningException {
        var p = context.partition();
        calls.add(new Call(p.reference(), p.requestedState(), context.effectiveParameters(), context.slaves()));
        if (monitor.isCanceled()) {
            throw new org.eclipse.core.runtime.OperationCanceledException();
        }
        if (failNext != null) {
            ProvisioningException e = failNext;
            failNext = null;
            throw e;
        }
        Parameters published = switch (p.softwareType()) {
            case "frontend" -> Parameters.of(Map.of("domain", context.effectiveParameters().get("domain").orElseThrow(),
                    "port", "4443"));
            case "nbd" -> Parameters.of(Map.of("nbd-host", "127.0.0.1", "nbd-port", "10809"));
            default -> Parameters.of(Map.of("backend-url", "https://127.0.0.1:6080/vnc.html",
                    "vnc-port", publishInvalid ? "not a port" : "5900"));
        };
        published = published.merge(extra.apply(context));
        Map<String, SlaveDeployment> slaves = new LinkedHashMap<>();
        for (Slave s : context.slaves()) {
            if (s.state() != RequestedState.DESTROYED) {
                slaves.put(s.id(), slaveOutcome.apply(s, Parameters.of(Map.of("url", "https://"
                        + published.get("domain").orElse("?") + ":4443/" + s.reference(), "resource", s.reference()))));
            }
        }
        return Deployment.reached(Status.phaseOf(p.requestedState()), published, note).withSlaves(slaves);
    }

    List<String> references() {
        return calls.stream().map(Call::reference).toList();
    }
}
