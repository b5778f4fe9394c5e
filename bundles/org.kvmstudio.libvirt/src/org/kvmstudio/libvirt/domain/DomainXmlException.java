package org.kvmstudio.libvirt.domain;

/**
 * Domain XML from libvirt that cannot be read: not XML, hostile (a DTD, an entity), too large, or lacking
 * an element every libvirt domain has. Checked, because the XML comes from another process and a caller
 * listing domains must decide what to do with one it cannot read rather than stop on it.
 */
public class DomainXmlException extends Exception {

    private static final long serialVersionUID = 1L;

    public DomainXmlException(String message) {
        super(message);
    }

    public DomainXmlException(String message, Throwable cause) {
        super(message, cause);
    }
}
