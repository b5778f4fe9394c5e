package org.kvmstudio.schema;

/** A descriptor or schema that cannot be read or understood; the message names the file. */
public class SchemaLoadException extends Exception {

    private static final long serialVersionUID = 1L;

    public SchemaLoadException(String message) {
        super(message);
    }

    public SchemaLoadException(String message, Throwable cause) {
        super(message, cause);
    }
}
