package org.kvmstudio.cli.commands;

import java.util.List;
import java.util.concurrent.Callable;

import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.model.Partition;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/** {@code kvmstudio list}: every partition of the workspace. */
@Command(name = "list", description = "List the instances of the workspace.")
final class ListCommand implements Callable<Integer> {

    @ParentCommand
    KvmStudioCommand parent;

    @Override
    public Integer call() throws Exception {
        CliContext c = parent.context();
        RequestEngine engine = c.studio().engine();
        List<Partition> all = engine.partitions();
        if (c.json()) {
            Output.json(c, all.stream().map(p -> Output.instance(engine, p)).toList());
            return Cli.OK;
        }
        Output.table(c, List.of("REFERENCE", "GUID", "TYPE", "STATE", "HOST", "STATUS"), all.stream()
                .map(p -> List.of(p.reference(), p.id(), p.softwareType() + (p.shared() ? " (shared)" : ""),
                        p.requestedState().slapName(), p.hostId() == null ? "-" : p.hostId(), Output.status(p)))
                .toList());
        return Cli.OK;
    }
}
