package org.kvmstudio.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;

import org.kvmstudio.core.Studio;

/** What every command gets: where it runs, where it writes, and the way to its studio. */
public final class CliContext {

    private final Path cwd;
    private final PrintStream out;
    private final PrintStream err;
    private final StudioAccess access;
    private Path workspace;
    private boolean json;

    CliContext(Path cwd, PrintStream out, PrintStream err, StudioAccess access) {
        this.cwd = cwd;
        this.out = out;
        this.err = err;
        this.access = access;
    }

    public Path cwd() {
        return cwd;
    }

    /** A path the user typed, as the user meant it: relative to where the command was typed. */
    /** A path typed on the command line, relative to where the command was run. */
    public Path path(String typed) {
        try {
            return cwd.resolve(typed).normalize();
        } catch (java.nio.file.InvalidPathException e) { // a NUL, or bytes this file system cannot spell
            throw new org.kvmstudio.model.InvalidRequestException(org.kvmstudio.model.Excerpt.quoted(typed)
                    + " is not a path: " + e.getReason(), e);
        }
    }

    public PrintStream out() {
        return out;
    }

    public PrintStream err() {
        return err;
    }

    public boolean json() {
        return json;
    }

    public void json(boolean on) {
        json |= on;
    }

    public void workspace(Path dir) {
        this.workspace = dir;
    }

    /** The workspace: {@code --workspace}, else {@code KVMSTUDIO_WORKSPACE}, else {@code ~/.kvmstudio}. */
    public Path workspace() {
        return workspace != null ? workspace : org.kvmstudio.cli.forward.OwnerSocket.workspace(java.util.List.of(), cwd.toString());
    }

    public Studio studio() throws IOException {
        return access.studio(workspace());
    }

    public boolean temporaryOwner() {
        return access.temporaryOwner();
    }

    public StudioAccess access() {
        return access;
    }

    /** Whether the person who typed the command went away (the owner's channel closed): long waits stop. */
    public boolean abandoned() {
        return err.checkError();
    }
}
