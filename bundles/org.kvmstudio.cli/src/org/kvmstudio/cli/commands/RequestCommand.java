package org.kvmstudio.cli.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.core.ResourceNotReadyException;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kvmstudio request}: SlapOS's {@code request(...)}. Prints the connection parameters when the
 * instance is ready; exits 2 with the reason while it is not (or waits, with {@code --wait}).
 */
@Command(name = "request", description = "Request an instance (idempotent: the same request again changes nothing).")
final class RequestCommand implements Callable<Integer> {

    @ParentCommand
    KvmStudioCommand parent;

    @Parameters(index = "0", paramLabel = "<reference>", description = "The partition reference.")
    String reference;

    @Parameters(index = "1", paramLabel = "<release>",
            description = "An installed release (kvm) or the path or file: URL of a software.cfg.json.")
    String release;

    @Option(names = "--state", paramLabel = "S", description = "started, stopped or destroyed (default: started).")
    String state;

    @Option(names = "--node", paramLabel = "k=v", arity = "1..*",
            description = "Placement filter: computer_guid=<host>, instance_guid=<master>.")
    List<String> node = new ArrayList<>();

    @Mixin
    KindOptions kind;

    @Option(names = "--wait", description = "Wait until the instance is ready, showing progress on standard error.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "600", description = "Seconds --wait waits (default: 600).")
    long timeout;

    @Option(names = "--dry-run", description = "Print what the request would do, and change nothing.")
    boolean dryRun;

    @Override
    public Integer call() throws Exception {
        CliContext c = parent.context();
        Studio studio = c.studio();
        KindOptions.Kind k = kind.resolve(c, studio, release);
        InstanceRequest request = new InstanceRequest(k.releaseUri(), reference, k.softwareType(), k.parameters(), k.shared(),
                RequestedState.parse(state), Filter.of(pairs(node)));
        RequestEngine engine = studio.engine();
        if (dryRun) {
            Plans.print(c, studio, request);
            return Cli.OK;
        }
        Partition p = engine.request(request);
        Optional<Partition> after = Waiting.converge(c, engine, p.id(), wait, Duration.ofSeconds(timeout));
        if (after.isEmpty()) {
            c.err().println(reference + " is destroyed");
            return Cli.OK;
        }
        Partition done = after.get();
        if (!done.isReady()) {
            throw new ResourceNotReadyException(reference, Output.status(done));
        }
        if (c.json()) {
            Output.json(c, Output.instance(engine, done));
        } else {
            Output.parameters(c, engine.allConnectionParameters(done));
        }
        return Cli.OK;
    }

    static Map<String, String> pairs(List<String> given) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : given) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new org.kvmstudio.model.InvalidRequestException(Excerpt.quoted(pair) + " is not a filter: write name=value");
            }
            map.put(pair.substring(0, eq), pair.substring(eq + 1));
        }
        return map;
    }

}
