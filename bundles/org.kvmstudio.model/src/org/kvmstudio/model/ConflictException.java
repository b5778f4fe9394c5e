package org.kvmstudio.model;

/**
 * What was asked is well formed but clashes with what exists: an instance being destroyed, a change
 * of kind or placement, a name already taken.
 */
public final class ConflictException extends StudioException {

    private static final long serialVersionUID = 1L;

    public ConflictException(String message) {
        super(message);
    }
}
