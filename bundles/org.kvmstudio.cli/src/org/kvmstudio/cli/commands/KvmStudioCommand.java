package org.kvmstudio.cli.commands;


import org.kvmstudio.cli.CliContext;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code kvmstudio}: the top of the command line; its options are read before and after any command. */
@Command(name = "kvmstudio", mixinStandardHelpOptions = true, version = "KVM Studio 0.1.0",
        description = "Request, watch and tear down instances of software releases (kvm: virtual machines, NBD "
                + "exports, frontends) on libvirt hosts. Without a command, the start script opens the desktop application.",
        subcommands = { RequestCommand.class, InfoCommand.class, ListCommand.class, RemoveCommand.class,
                HostsCommand.class, TemplateCommand.class, OrphansCommand.class, AgentCommand.class })
public final class KvmStudioCommand implements Runnable {

    private final CliContext context;

    public KvmStudioCommand(CliContext context) {
        this.context = context;
    }

    CliContext context() {
        return context;
    }

    @Option(names = "--workspace", paramLabel = "DIR", scope = ScopeType.INHERIT,
            description = "The workspace folder (default: $KVMSTUDIO_WORKSPACE, else ~/.kvmstudio).")
    void workspace(String dir) {
        context.workspace(context.path(dir));
    }

    @Option(names = "--json", scope = ScopeType.INHERIT, description = "Print JSON instead of text.")
    void json(boolean on) {
        context.json(on);
    }

    @Override
    public void run() {
        context.err().println("kvmstudio: name a command; kvmstudio --help lists them");
    }

}
