package org.kvmstudio.workspace;

import java.io.IOException;

/**
 * A value too large to be saved: its file would exceed what KVM Studio reads back
 * ({@link org.kvmstudio.model.InputLimits#MAX_FILE_BYTES}). Refused before anything is written, so it
 * is never set aside as unreadable at the next start. An {@link IOException}: every caller that saves
 * already handles a write that fails.
 */
public class FileTooLargeException extends IOException {

    private static final long serialVersionUID = 1L;

    public FileTooLargeException(String message) {
        super(message);
    }
}
