package org.kvmstudio.cli.commands;

import java.util.concurrent.Callable;

import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.CliContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kvmstudio agent}: the headless owner of a workspace, for servers. Runs in the foreground
 * until stopped (SIGTERM, Ctrl-C), keeping partitions converged; other {@code kvmstudio} commands
 * are forwarded to it.
 */
@Command(name = "agent", description = "Own the workspace and keep its instances converged, in the foreground, until stopped.")
final class AgentCommand implements Callable<Integer> {

    @ParentCommand
    KvmStudioCommand parent;

    @Override
    public Integer call() throws Exception {
        CliContext c = parent.context();
        c.access().becomeAgent(c.workspace(), c.err());
        return Cli.OK;
    }
}
