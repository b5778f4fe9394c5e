package org.kvmstudio.cli.commands;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.kvmstudio.cli.CliContext;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** {@code kvmstudio}: the top of the command line; its options are read before and after any command. */
@Command(name = "kvmstudio", mixinStandardHelpOptions = true, version = "KVM Studio 0.1.0",
        description = "Request, watch and tear down instances of software releases (kvm: virtual machines, NBD "
                + "exports, frontends) on libvirt hosts. Without a command, the start script opens the desktop application.")
public final class KvmStudioCommand implements Runnable {

    /** The commands, in the order {@code --help} lists them. */
    private static final List<Class<?>> COMMANDS = List.of(RequestCommand.class, InfoCommand.class, ListCommand.class,
            RemoveCommand.class, HostsCommand.class, TemplateCommand.class, OrphansCommand.class, AgentCommand.class);

    private final CliContext context;

    public KvmStudioCommand(CliContext context) {
        this.context = context;
    }

    /**
     * The command line that parses {@code args}. picocli builds the model of each command it is given
     * by reflection, and an owner builds one for every command it runs (measured: 14 ms when warm, 47 on
     * average in a fresh owner, before a forwarded command even starts): only the command named is
     * needed, so only it is given; all are when none or no known one is named, for the help that lists
     * them and the suggestions for a misspelt one.
     */
    public static CommandLine commandLine(CliContext context, List<String> args) {
        CommandLine line = new CommandLine(new KvmStudioCommand(context));
        String named = commandName(args);
        List<Class<?>> given = COMMANDS.stream().filter(c -> names(c).contains(named)).toList();
        for (Class<?> command : given.isEmpty() ? COMMANDS : given) {
            line.addSubcommand(command);
        }
        return line;
    }

    /**
     * The command's name when only the options every command takes ({@code --workspace DIR},
     * {@code --json}) come before it, else empty: help asked before it, an option misspelt, or a folder
     * named as a command is answered as before, by picocli knowing all the commands.
     */
    static String commandName(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            if (a.equals("--workspace") && i + 1 < args.size() && !isCommand(args.get(i + 1))
                    && !args.get(i + 1).startsWith("-")) {
                i++;
            } else if (a.startsWith("--workspace=") && !isCommand(a.substring("--workspace=".length()))
                    || a.equals("--json") || a.startsWith("--json=")) {
                continue;
            } else {
                return a.startsWith("-") || a.startsWith("@") ? "" : a;
            }
        }
        return "";
    }

    private static boolean isCommand(String word) {
        return COMMANDS.stream().anyMatch(c -> names(c).contains(word));
    }

    private static List<String> names(Class<?> command) {
        Command c = command.getAnnotation(Command.class);
        List<String> names = new ArrayList<>(Arrays.asList(c.aliases()));
        names.add(c.name());
        return names;
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
