package org.kvmstudio.libvirt.domain;

/**
 * A SlapOS {@code disk-type} that libvirt's QEMU driver cannot attach on an x86 PC, such as {@code mtd} or
 * {@code pflash}. Kept apart from other refusals so that the caller can tell the user which parameter to change.
 */
public class UnsupportedDiskTypeException extends InvalidDomainSpecException {

    private static final long serialVersionUID = 1L;

    private final String diskType;

    public UnsupportedDiskTypeException(String diskType, String message) {
        super(message);
        this.diskType = diskType;
    }

    /** The SlapOS value that was refused, as given (may be {@code null}). */
    public String diskType() {
        return diskType;
    }
}
