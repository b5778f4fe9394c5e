package org.kvmstudio.input;

import java.io.IOException;
import java.nio.file.Path;

import org.kvmstudio.model.Excerpt;

/** A file KVM Studio refuses to read: not a regular file, a loop of links, too large. */
public class InputFileException extends IOException {

    private static final long serialVersionUID = 1L;

    private final transient Path file;
    private final String reason;

    public InputFileException(Path file, String reason, Throwable cause) {
        super(Excerpt.sentence(String.valueOf(file)) + ": " + reason, cause);
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
