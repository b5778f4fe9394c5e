package org.kvmstudio.core;

/**
 * SlapOS's "resource not ready": the instance exists but is not yet deployed as requested, so it
 * has nothing to publish. The command line exits 2 on it and says to retry.
 */
public class ResourceNotReadyException extends Exception {

    private static final long serialVersionUID = 1L;

    public ResourceNotReadyException(String reference, String reason) {
        super(reference + " is not ready: " + reason);
    }
}
