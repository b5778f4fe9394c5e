package org.kvmstudio.libvirt.domain;

/**
 * A value that cannot go into a libvirt domain: the message is one sentence meant for the user who asked
 * for it (a parameter, a reference), so it names the value and says what would be accepted.
 */
public class InvalidDomainSpecException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public InvalidDomainSpecException(String message) {
        super(message);
    }
}
