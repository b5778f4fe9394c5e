package org.kvmstudio.cli.commands;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.Callable;

import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.core.ResourceNotReadyException;
import org.kvmstudio.model.Partition;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kvmstudio remove}: {@code slapos remove}, a request of the {@code destroyed} state. */
@Command(name = "remove", description = "Destroy an instance and everything it has on its host.")
final class RemoveCommand implements Callable<Integer> {

    @ParentCommand
    KvmStudioCommand parent;

    @Parameters(index = "0", paramLabel = "<reference>", description = "The partition reference or instance guid.")
    String reference;

    @Option(names = "--wait", description = "Wait until it is gone.")
    boolean wait;

    @Option(names = "--timeout", paramLabel = "S", defaultValue = "600", description = "Seconds --wait waits (default: 600).")
    long timeout;

    @Option(names = "--forget", description = "Forget a destroyed instance no provisioner can clean up; what it had on "
            + "its host stays there (kvmstudio orphans lists it).")
    boolean forget;

    @Override
    public Integer call() throws Exception {
        CliContext c = parent.context();
        RequestEngine engine = c.studio().engine();
        Partition p = Instances.find(engine, reference);
        if (forget) {
            engine.forget(p.id());
            c.err().println(p.reference() + " (" + p.id() + ") forgotten");
            return Cli.OK;
        }
        engine.destroy(p.id());
        Optional<Partition> left = Waiting.converge(c, engine, p.id(), wait, Duration.ofSeconds(timeout));
        if (left.isPresent()) {
            throw new ResourceNotReadyException(p.reference(), "being destroyed: " + Output.status(left.get()));
        }
        c.err().println(p.reference() + " (" + p.id() + ") destroyed");
        return Cli.OK;
    }
}
