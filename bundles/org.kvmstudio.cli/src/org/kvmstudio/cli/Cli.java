package org.kvmstudio.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;

import org.kvmstudio.cli.commands.KvmStudioCommand;
import org.kvmstudio.core.ResourceNotReadyException;
import org.kvmstudio.model.StudioException;
import org.kvmstudio.workspace.WorkspaceLockedException;

import picocli.CommandLine;

/**
 * The {@code kvmstudio} command line, shaped like the {@code slapos} client: parses with picocli, runs
 * the command on the studio {@link StudioAccess} gives, and maps what goes wrong to exit codes:
 * 0 done, 1 refused or failed (with the reason), 2 not ready yet (try again, or use {@code --wait}).
 */
public final class Cli {

    public static final int OK = 0;
    public static final int FAILED = 1;
    public static final int NOT_READY = 2;
    /** The workspace's owner is a short command: try again in a moment (sysexits' EX_TEMPFAIL). */
    public static final int BUSY = 75;

    private Cli() {
    }

    /** Runs one command line; never throws. */
    public static int run(List<String> args, String cwd, PrintStream out, PrintStream err, StudioAccess access) {
        return run(args, cwd, out, err, access, false);
    }

    /**
     * @param retryable when the workspace being locked by another process should give {@link #BUSY}
     *                  (the caller waits and tries again) rather than an error
     */
    static int run(List<String> args, String cwd, PrintStream out, PrintStream err, StudioAccess access, boolean retryable) {
        CliContext context = new CliContext(Path.of(cwd), out, err, access);
        CommandLine cl = KvmStudioCommand.commandLine(context, args);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        cl.setParameterExceptionHandler((e, a) -> {
            err.println("kvmstudio: " + org.kvmstudio.model.Excerpt.sentence(e.getMessage())); // picocli quotes the argument
            e.getCommandLine().usage(err);
            return FAILED;
        });
        cl.setExecutionExceptionHandler((e, command, parsed) -> retryable && e instanceof WorkspaceLockedException ? BUSY
                : report(e, err));
        try {
            return cl.execute(args.toArray(String[]::new));
        } finally {
            out.flush();
            err.flush();
        }
    }

    static int report(Exception e, PrintStream err) {
        if (e instanceof OwnerBusyException) {
            return BUSY;
        }
        if (e instanceof ResourceNotReadyException notReady) {
            err.println("kvmstudio: not ready yet: " + notReady.getMessage());
            return NOT_READY;
        }
        if (e instanceof StudioException || e instanceof WorkspaceLockedException) {
            err.println("kvmstudio: " + e.getMessage());
            return FAILED;
        }
        if (e instanceof IOException) {
            err.println("kvmstudio: " + org.kvmstudio.model.Excerpt.sentence(e.getMessage())); // may name a path typed in
            return FAILED;
        }
        if (e instanceof InterruptedException) {
            err.println("kvmstudio: interrupted");
            return FAILED;
        }
        err.println("kvmstudio: internal error: " + e);
        e.printStackTrace(err);
        return FAILED;
    }
}
