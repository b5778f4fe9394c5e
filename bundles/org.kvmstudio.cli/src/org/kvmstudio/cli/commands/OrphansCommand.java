package org.kvmstudio.cli.commands;

import java.util.List;
import java.util.concurrent.Callable;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.provisioning.Orphan;
import org.kvmstudio.model.UnknownInstanceException;

import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code kvmstudio orphans}: what carries this workspace's mark on its hosts but belongs to no
 * partition (one forgotten, or whose file was set aside). Never deleted unless asked.
 */
@Command(name = "orphans", description = "List domains of this workspace that no partition owns; 'orphans adopt NAME' "
        + "makes a partition of one again, 'orphans remove NAME' deletes one.",
        subcommands = { OrphansCommand.Adopt.class, OrphansCommand.Remove.class })
final class OrphansCommand implements Callable<Integer> {

    @ParentCommand
    KvmStudioCommand parent;

    @Override
    public Integer call() throws Exception {
        CliContext c = parent.context();
        List<Orphan> orphans = c.studio().hosts().orphans();
        if (c.json()) {
            Output.json(c, orphans);
        } else {
            Output.table(c, List.of("HOST", "NAME", "GUID", "REFERENCE", "TYPE"), orphans.stream()
                    .map(o -> List.of(o.hostId(), o.name(), o.instanceGuid(), o.reference(), o.softwareType())).toList());
        }
        return Cli.OK;
    }

    @Command(name = "adopt", description = "Make a partition of an orphan again, under its instance guid, keeping its "
            + "memory, vCPUs and disk.")
    static final class Adopt implements Callable<Integer> {
        @ParentCommand
        OrphansCommand orphans;

        @Parameters(index = "0", paramLabel = "<name>", description = "The orphan's domain name.")
        String name;

        @picocli.CommandLine.Option(names = "--reference", description = "Another reference (when its own is taken).")
        String reference;

        @Override
        public Integer call() throws Exception {
            CliContext c = orphans.parent.context();
            Orphan orphan = c.studio().hosts().orphans().stream().filter(o -> o.name().equals(name)).findFirst()
                    .orElseThrow(() -> new UnknownInstanceException("there is no orphan named " + Excerpt.quoted(name)));
            var p = c.studio().hosts().adopt(orphan, reference);
            c.err().println(name + " adopted as '" + p.reference() + "' (" + p.id() + ")");
            return Cli.OK;
        }
    }

    @Command(name = "remove", description = "Delete an orphan: its domain and its volumes.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        OrphansCommand orphans;

        @Parameters(index = "0", paramLabel = "<name>", description = "The orphan's domain name.")
        String name;

        @Override
        public Integer call() throws Exception {
            CliContext c = orphans.parent.context();
            Orphan orphan = c.studio().hosts().orphans().stream().filter(o -> o.name().equals(name)).findFirst()
                    .orElseThrow(() -> new UnknownInstanceException("there is no orphan named " + Excerpt.quoted(name)));
            c.studio().hosts().remove(orphan);
            c.err().println(name + " removed from host " + orphan.hostId());
            return Cli.OK;
        }
    }
}
