package org.kvmstudio.cli;

import java.nio.file.Path;

import org.kvmstudio.core.Studio;
import org.kvmstudio.model.ConflictException;

/** Commands forwarded to the owner of a workspace run on the owner's own studio. */
final class OwnerAccess implements StudioAccess {

    private final Studio studio;
    private final boolean temporary;

    OwnerAccess(Studio studio, boolean temporary) {
        this.studio = studio;
        this.temporary = temporary;
    }

    /**
     * The owner's studio, whatever workspace the command line resolved: it found this owner through the
     * socket of the workspace it meant, which its own environment chose, not the owner's.
     */
    @Override
    public Studio studio(Path workspace) {
        return studio;
    }

    @Override
    public boolean temporaryOwner() {
        return temporary;
    }

    @Override
    public void becomeAgent(Path workspace, java.io.PrintStream err) {
        if (temporary) {
            // a short command owns the workspace for a moment: the agent waits for it, then owns it
            throw new OwnerBusyException();
        }
        throw new ConflictException("the workspace " + studio.workspaceDirectory() + " already has an owner ("
                + (temporary ? "a kvmstudio command" : "KVM Studio or kvmstudio agent") + ", process "
                + ProcessHandle.current().pid() + ")");
    }
}
