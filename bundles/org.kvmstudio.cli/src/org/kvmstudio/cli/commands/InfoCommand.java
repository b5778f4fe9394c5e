package org.kvmstudio.cli.commands;

import java.util.concurrent.Callable;

import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.model.Partition;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kvmstudio info}: one instance, as {@code slapos info} shows it. */
@Command(name = "info", description = "Show an instance: its request, status and connection parameters.")
final class InfoCommand implements Callable<Integer> {

    @ParentCommand
    KvmStudioCommand parent;

    @Parameters(index = "0", paramLabel = "<reference>", description = "The partition reference or instance guid.")
    String reference;

    @Override
    public Integer call() throws Exception {
        CliContext c = parent.context();
        RequestEngine engine = c.studio().engine();
        Partition p = Instances.find(engine, reference);
        if (c.json()) {
            Output.json(c, Output.instance(engine, p));
        } else {
            Output.describe(c, engine, p);
        }
        return Cli.OK;
    }
}
