package org.kvmstudio.model;

/**
 * What was asked is malformed: a bad reference, an unknown release, software type, state or filter,
 * parameters that do not fit the schema ({@link InvalidParametersException}).
 */
public non-sealed class InvalidRequestException extends StudioException {

    private static final long serialVersionUID = 1L;

    public InvalidRequestException(String message) {
        super(message);
    }

    public InvalidRequestException(String message, Throwable cause) {
        super(message, cause);
    }
}
