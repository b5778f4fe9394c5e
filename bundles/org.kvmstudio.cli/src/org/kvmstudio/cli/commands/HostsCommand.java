package org.kvmstudio.cli.commands;

import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.HostService;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.HostStatus;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kvmstudio hosts}: the hypervisor hosts (SlapOS's computers) partitions are placed on. */
@Command(name = "hosts", description = "Add, list and remove hypervisor hosts.",
        subcommands = { HostsCommand.Add.class, HostsCommand.ListHosts.class, HostsCommand.Remove.class })
final class HostsCommand implements Runnable {

    @ParentCommand
    KvmStudioCommand parent;

    @Override
    public void run() {
        parent.context().err().println("kvmstudio: hosts add, hosts list or hosts remove");
    }

    @Command(name = "add", description = "Add a host by its libvirt URI (qemu+ssh://root@host/system, qemu+tcp://..., "
            + "qemu:///system); it is connected to once first, and refused if it does not answer.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Parameters(index = "0", paramLabel = "<id>", description = "The host's id (its computer_guid).")
        String id;

        @Parameters(index = "1", paramLabel = "<uri>", description = "The libvirt URI.")
        String uri;

        @Option(names = "--title", description = "A name to show.")
        String title;

        @Override
        public Integer call() throws Exception {
            CliContext c = hosts.parent.context();
            HostStatus status = c.studio().hosts().add(new Host(id, title, uri));
            if (c.json()) {
                Output.json(c, status);
            } else {
                c.out().println(id + ": " + describe(status));
            }
            return Cli.OK;
        }
    }

    @Command(name = "list", description = "List the hosts and what is known of them.")
    static final class ListHosts implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Override
        public Integer call() throws Exception {
            CliContext c = hosts.parent.context();
            HostService service = c.studio().hosts();
            Map<String, HostStatus> statuses = service.statuses().stream()
                    .collect(Collectors.toMap(HostStatus::hostId, Function.identity(), (a, b) -> a));
            if (c.json()) {
                Output.json(c, service.hosts().stream().map(h -> Map.of("id", h.id(), "title", h.title(), "uri", h.uri(),
                        "status", statuses.containsKey(h.id()) ? statuses.get(h.id()) : Map.of())).toList());
                return Cli.OK;
            }
            Output.table(c, List.of("ID", "URI", "STATUS"), service.hosts().stream().map(h -> List.of(h.id(), h.uri(),
                    statuses.containsKey(h.id()) ? describe(statuses.get(h.id())) : "unknown")).toList());
            return Cli.OK;
        }
    }

    @Command(name = "remove", description = "Remove a host that has no partitions.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        HostsCommand hosts;

        @Parameters(index = "0", paramLabel = "<id>")
        String id;

        @Override
        public Integer call() throws Exception {
            CliContext c = hosts.parent.context();
            c.studio().hosts().remove(id);
            c.err().println("host " + id + " removed");
            return Cli.OK;
        }
    }

    static String describe(HostStatus s) {
        if (!s.up()) {
            return "down: " + s.reason();
        }
        return "up, " + s.cpus() + " CPUs, " + s.memoryMiB() + " MiB (" + s.freeMemoryMiB() + " free), "
                + (s.virtualization().equals("kvm") ? "KVM" : "TCG emulation only (no usable KVM)");
    }
}
