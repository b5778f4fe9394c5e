package org.kvmstudio.core.provisioning;

/** A deployment that failed; the message is shown to the user as the partition's status. */
public class ProvisioningException extends Exception {

    private static final long serialVersionUID = 1L;

    public ProvisioningException(String message) {
        super(message);
    }

    public ProvisioningException(String message, Throwable cause) {
        super(message, cause);
    }
}
