package org.kvmstudio.libvirt.hosts;

import java.io.StringReader;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;

import org.kvmstudio.libvirt.domain.VirtType;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * What a host's capabilities XML says it can run, read as a hypervisor engineer would: libvirt offers
 * {@code <domain type='kvm'>} wherever {@code /dev/kvm} opens, even on a CPU without virtualisation
 * extensions (nested guests with them switched off), where a guest then dies with an emulation
 * failure. KVM is used only when the host CPU also shows {@code vmx} or {@code svm}; otherwise TCG.
 */
final class Capabilities {

    /** Capabilities XML is a few hundred kilobytes on big hosts; anything far bigger is not libvirt's. */
    private static final int MAX_CHARS = 8 * 1024 * 1024;

    private Capabilities() {
    }

    static VirtType virtualization(String capabilitiesXml) {
        Document doc = parse(capabilitiesXml);
        boolean kvmOffered = false;
        boolean x86 = false;
        NodeList guests = doc.getElementsByTagName("guest");
        for (int i = 0; i < guests.getLength(); i++) {
            Element guest = (Element) guests.item(i);
            NodeList arch = guest.getElementsByTagName("arch");
            if (arch.getLength() == 0 || !"x86_64".equals(((Element) arch.item(0)).getAttribute("name"))) {
                continue;
            }
            x86 = true;
            NodeList domains = ((Element) arch.item(0)).getElementsByTagName("domain");
            for (int d = 0; d < domains.getLength(); d++) {
                kvmOffered |= "kvm".equals(((Element) domains.item(d)).getAttribute("type"));
            }
        }
        if (!x86) {
            throw new IllegalArgumentException("the host offers no x86_64 guests (is qemu-system-x86 installed there?)");
        }
        boolean extensions = false;
        NodeList hosts = doc.getElementsByTagName("host");
        if (hosts.getLength() > 0) {
            NodeList features = ((Element) hosts.item(0)).getElementsByTagName("feature");
            for (int i = 0; i < features.getLength(); i++) {
                String name = ((Element) features.item(i)).getAttribute("name");
                extensions |= name.equals("vmx") || name.equals("svm");
            }
        }
        return kvmOffered && extensions ? VirtType.KVM : VirtType.QEMU;
    }

    private static Document parse(String xml) {
        if (xml == null || xml.length() > MAX_CHARS) {
            throw new IllegalArgumentException("the host's capabilities are missing or too large");
        }
        try {
            DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
            f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            f.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            f.setExpandEntityReferences(false);
            f.setXIncludeAware(false);
            DocumentBuilder b = f.newDocumentBuilder();
            b.setErrorHandler(null);
            return b.parse(new InputSource(new StringReader(xml)));
        } catch (Exception e) {
            throw new IllegalArgumentException("the host's capabilities cannot be read: " + e.getMessage(), e);
        }
    }
}
