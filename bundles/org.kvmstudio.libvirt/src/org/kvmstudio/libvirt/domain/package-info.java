/**
 * The libvirt domain XML of a KVM Studio instance, as typed values: {@link org.kvmstudio.libvirt.domain.DomainSpec}
 * says what a domain should be, {@link org.kvmstudio.libvirt.domain.DomainXmlWriter} turns it into the XML given to
 * libvirt, and {@link org.kvmstudio.libvirt.domain.DomainXmlReader} reads what libvirt says a domain is.
 * <p>
 * Values come from untrusted input (partition references, instance parameters), so the records check them
 * when built, and XML is only ever made and read through {@code org.w3c.dom}: escaping is by construction,
 * never by string concatenation. Replies are read with a parser that refuses DTDs and external entities.
 */
package org.kvmstudio.libvirt.domain;
