package org.kvmstudio.libvirt.hosts;

import org.libvirt.Error;
import org.libvirt.LibvirtException;

/** libvirt's errors as sentences and codes. */
public final class LibvirtErrors {

    private LibvirtErrors() {
    }

    /** libvirt's own message, without the "libvirt: X Driver error :" prefix some bindings add. */
    public static String describe(LibvirtException e) {
        Error error = e.getError();
        String message = error != null && error.getMessage() != null ? error.getMessage() : e.getMessage();
        return message == null ? e.toString() : message.strip();
    }

    public static boolean is(LibvirtException e, Error.ErrorNumber code) {
        return e.getError() != null && e.getError().getCode() == code;
    }
}
