package org.kvmstudio.workspace;

import java.io.IOException;

/**
 * A workspace, template or export file that cannot be read: not JSON, not of a format this
 * version knows, or holding values the model refuses. The message says what and, when known, where.
 */
public class WorkspaceFormatException extends IOException {

    private static final long serialVersionUID = 1L;

    public WorkspaceFormatException(String message) {
        super(message);
    }

    public WorkspaceFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
