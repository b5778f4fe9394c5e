package org.kvmstudio.input;

import java.io.IOException;
import java.nio.file.Path;

/** A file KVM Studio was given and does not read: missing, not a regular file, too large, unreadable. */
public class InputFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public InputFileException(Path file, String reason, Throwable cause) {
        super(file + ": " + reason, cause);
        this.file = file;
        this.reason = reason;
    }

    /** What is wrong, without the file's name. */
    public String reason() {
        return reason;
    }

    public Path file() {
        return file;
    }
}
