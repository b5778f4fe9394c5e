package org.kvmstudio.cli;

import java.io.IOException;

import org.kvmstudio.cli.forward.OwnerChannel;
import org.kvmstudio.core.Studio;

/**
 * Serves the {@code kvmstudio} command line for the owner of a workspace: commands other processes
 * forward run here, on the owner's studio. The GUI and {@code kvmstudio agent} start one.
 */
public final class CommandServer {

    private CommandServer() {
    }

    /**
     * @param temporary whether the owner is a short-lived command (forwarded commands then deploy what
     *                  they ask themselves, as there is no controller)
     */
    public static OwnerChannel serve(Studio studio, boolean temporary) throws IOException {
        OwnerAccess access = new OwnerAccess(studio, temporary);
        return OwnerChannel.open(studio.workspaceDirectory(), (cwd, args, out, err) -> Cli.run(args, cwd, out, err, access));
    }
}
