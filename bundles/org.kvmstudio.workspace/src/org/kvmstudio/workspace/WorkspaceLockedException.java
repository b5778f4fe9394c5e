package org.kvmstudio.workspace;

import java.io.IOException;

/** Another KVM Studio (another process, or this one) already has the workspace open. */
public class WorkspaceLockedException extends IOException {

    private static final long serialVersionUID = 1L;

    WorkspaceLockedException(String message) {
        super(message);
    }
}
