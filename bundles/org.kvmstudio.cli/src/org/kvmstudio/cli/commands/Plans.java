package org.kvmstudio.cli.commands;

import java.util.LinkedHashMap;
import java.util.Map;

import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.Plan;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.InstanceRequest;

/** {@code request --dry-run}: the plan of a request, printed; nothing is stored, no host is touched. */
final class Plans {

    private Plans() {
    }

    static void print(CliContext c, Studio studio, InstanceRequest request) {
        Plan plan = studio.engine().plan(request);
        if (c.json()) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("action", plan.kind().name().toLowerCase(java.util.Locale.ROOT));
            o.put("title", request.reference());
            o.put("software_release_uri", request.releaseUri());
            o.put("software_type", request.softwareType());
            o.put("state", plan.request().state().slapName());
            o.put("parameters", plan.effectiveParameters().asMap());
            Map<String, Object> changes = new LinkedHashMap<>();
            plan.changes().forEach((k, v) -> {
                Map<String, Object> change = new LinkedHashMap<>();
                change.put("before", v.before());
                change.put("after", v.after());
                changes.put(k, change);
            });
            o.put("changes", changes);
            o.put("computer_guid", plan.host().orElse(null));
            o.put("placement_note", plan.hostNote());
            o.put("definition", plan.definition().orElse(null));
            Output.json(c, o);
            return;
        }
        c.out().println(switch (plan.kind()) {
            case NEW -> "would request a new instance '" + request.reference() + "'";
            case CHANGED -> "would change instance '" + request.reference() + "'";
            case UNCHANGED -> "instance '" + request.reference() + "' already answers this request: nothing would change";
            case DESTROY -> "would destroy instance '" + request.reference() + "'";
        });
        if (!plan.changes().isEmpty() && plan.kind() == Plan.Kind.CHANGED) {
            c.out().println("changed parameters:");
            plan.changes().forEach((k, v) -> c.out().println("  " + k + ": " + (v.before() == null ? "(none)" : Output.text(v.before()))
                    + " -> " + (v.after() == null ? "(none)" : Output.text(v.after()))));
        }
        c.out().println("parameters, with the type's defaults:");
        plan.effectiveParameters().asMap().forEach((k, v) -> c.out().println("  " + k + " = " + Output.text(v)));
        c.out().println("host: " + plan.host().orElse("(none)") + (plan.hostNote().isEmpty() ? "" : " - " + plan.hostNote()));
        plan.definition().ifPresent(xml -> {
            c.out().println("definition:");
            c.out().println(xml.strip());
        });
    }
}
