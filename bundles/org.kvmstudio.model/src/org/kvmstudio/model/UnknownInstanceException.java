package org.kvmstudio.model;

/** What was named does not exist: an instance, a template, a host. */
public final class UnknownInstanceException extends StudioException {

    private static final long serialVersionUID = 1L;

    public UnknownInstanceException(String message) {
        super(message);
    }
}
