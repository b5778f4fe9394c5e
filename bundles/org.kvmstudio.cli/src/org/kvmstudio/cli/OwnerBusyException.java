package org.kvmstudio.cli;

/** The owner of the workspace is a short-lived command; what needs the workspace for itself waits for it. */
final class OwnerBusyException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    OwnerBusyException() {
        super("the workspace is in use by a kvmstudio command", null, false, false);
    }
}
