package org.kvmstudio.cli;

import java.io.IOException;
import java.nio.file.Path;

import org.kvmstudio.core.Studio;

/**
 * How a command gets the studio of its workspace: the owner's own, when the command was forwarded
 * to the owner; or one it opens, becoming the owner for its own duration.
 */
public interface StudioAccess {

    /** The studio of {@code workspace}, opened (and locked) if needed. */
    Studio studio(Path workspace) throws IOException;

    /** Whether this process owns the workspace for this command only: then the command deploys what it asked itself. */
    boolean temporaryOwner();

    /** Makes this process the long-lived owner ({@code kvmstudio agent}); refused where it already is one. */
    void becomeAgent(Path workspace, java.io.PrintStream err) throws IOException, InterruptedException;
}
