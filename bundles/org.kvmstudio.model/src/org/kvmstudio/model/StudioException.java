package org.kvmstudio.model;

/**
 * A request KVM Studio refuses for a reason the user can act on. The command line maps each kind to
 * an exit code and the GUI to a dialog; catching this never hides a bug, which stays a plain
 * {@link RuntimeException}.
 */
public abstract sealed class StudioException extends RuntimeException
        permits InvalidRequestException, UnknownInstanceException, ConflictException {

    private static final long serialVersionUID = 1L;

    protected StudioException(String message) {
        super(message);
    }

    protected StudioException(String message, Throwable cause) {
        super(message, cause);
    }
}
