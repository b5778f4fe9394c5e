package org.kvmstudio.libvirt.domain;

import java.io.StringWriter;
import java.util.List;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.Transformer;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.DOMImplementation;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

/**
 * Writes the libvirt domain XML of a {@link DomainSpec}, through a DOM so that every value is escaped by the
 * serializer, whatever it contains.
 * <p>
 * The output is deterministic (same spec, same string: elements in a fixed order, attributes in the
 * serializer's fixed order, two-space indentation, {@code \n} line ends), so that a plan can show the
 * difference between two specs as a text diff. It has no XML declaration, like libvirt's own output; it is
 * a {@code String}, to be encoded as UTF-8 (what libvirt's API expects).
 */
public final class DomainXmlWriter {

    /** libvirt's namespace for passing arguments to QEMU. */
    static final String QEMU_NAMESPACE = "http://libvirt.org/schemas/domain/qemu/1.0";

    private static final String XMLNS = XMLConstants.XMLNS_ATTRIBUTE_NS_URI;

    private final Document document;
    private final boolean withSecrets;

    private DomainXmlWriter(Document document, boolean withSecrets) {
        this.document = document;
        this.withSecrets = withSecrets;
    }

    /** The XML to define the domain with. It holds the VNC password: do not log or show it. */
    public static String write(DomainSpec spec) {
        return serialize(build(spec, true));
    }

    /**
     * The XML without secrets (no VNC {@code passwd}), for plans, diffs and logs. This is also how libvirt
     * itself shows a domain unless asked for its security information.
     */
    public static String writeWithoutSecrets(DomainSpec spec) {
        return serialize(build(spec, false));
    }

    private static Document build(DomainSpec spec, boolean withSecrets) {
        Document document = DOM.createDocument(null, null, null);
        new DomainXmlWriter(document, withSecrets).domain(spec);
        return document;
    }

    /** The JDK's DOM, found once (finding it, and the serializer below, took milliseconds of each deployment). */
    private static final DOMImplementation DOM = dom();

    private static DOMImplementation dom() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            return factory.newDocumentBuilder().getDOMImplementation();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's DOM implementation is not available", e);
        }
    }

    /** A serializer per thread, made once: one is not for two threads at once. */
    private static final ThreadLocal<Transformer> SERIALIZERS = ThreadLocal.withInitial(DomainXmlWriter::newSerializer);

    private static Transformer newSerializer() {
        try {
            TransformerFactory factory = TransformerFactory.newDefaultInstance();
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            Transformer transformer = factory.newTransformer();
            transformer.setOutputProperty(OutputKeys.METHOD, "xml");
            transformer.setOutputProperty(OutputKeys.ENCODING, "UTF-8");
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            transformer.setOutputProperty(OutputKeys.INDENT, "yes");
            transformer.setOutputProperty("{http://xml.apache.org/xslt}indent-amount", "2");
            // the JDK's serializer otherwise ends lines with the platform's separator
            transformer.setOutputProperty("{http://xml.apache.org/xalan}line-separator", "\n");
            return transformer;
        } catch (TransformerException e) {
            throw new IllegalStateException("the JDK's XML serializer is not available: " + e, e);
        }
    }

    private void domain(DomainSpec spec) {
        Element domain = document.createElementNS(null, "domain");
        document.appendChild(domain);
        domain.setAttributeNS(null, "type", spec.virtType().libvirtName());
        if (spec.network() != null) {
            domain.setAttributeNS(XMLNS, "xmlns:qemu", QEMU_NAMESPACE);
        }
        text(domain, "name", spec.name());
        text(domain, "uuid", spec.uuid().toString());
        if (spec.title() != null) {
            text(domain, "title", spec.title());
        }
        if (spec.description() != null) {
            text(domain, "description", spec.description());
        }
        metadata(child(domain, "metadata"), spec.metadata());
        text(domain, "memory", Long.toString(spec.memoryMiB())).setAttributeNS(null, "unit", "MiB");
        text(domain, "vcpu", Integer.toString(spec.vcpus()));
        Element type = text(child(domain, "os"), "type", "hvm");
        type.setAttributeNS(null, "arch", "x86_64");
        type.setAttributeNS(null, "machine", spec.machine());
        child(child(domain, "features"), "acpi");
        if (spec.virtType() == VirtType.KVM) {
            Element cpu = child(domain, "cpu");
            cpu.setAttributeNS(null, "mode", "host-passthrough");
            cpu.setAttributeNS(null, "check", "none");
        }
        text(domain, "on_poweroff", "destroy");
        text(domain, "on_reboot", "restart");
        text(domain, "on_crash", "destroy");
        devices(child(domain, "devices"), spec);
        if (spec.network() != null) {
            Element commandline = document.createElementNS(QEMU_NAMESPACE, "qemu:commandline");
            domain.appendChild(commandline);
            for (String arg : QemuNetArgs.of(spec.network())) {
                Element element = document.createElementNS(QEMU_NAMESPACE, "qemu:arg");
                element.setAttributeNS(null, "value", arg);
                commandline.appendChild(element);
            }
        }
    }

    private void metadata(Element metadata, InstanceMetadata values) {
        String ns = InstanceMetadata.NAMESPACE;
        String prefix = InstanceMetadata.PREFIX + ":";
        Element instance = document.createElementNS(ns, prefix + "instance");
        instance.setAttributeNS(XMLNS, "xmlns:" + InstanceMetadata.PREFIX, ns);
        metadata.appendChild(instance);
        String[][] fields = { { "workspace", values.workspaceId() }, { "release", values.releaseUri() },
                { "software-type", values.softwareType() }, { "reference", values.reference() },
                { "instance-guid", values.instanceGuid() } };
        for (String[] field : fields) {
            Element element = document.createElementNS(ns, prefix + field[0]);
            element.setTextContent(field[1]);
            instance.appendChild(element);
        }
    }

    private void devices(Element devices, DomainSpec spec) {
        List<String> targets = DiskTargets.assign(spec.disks());
        for (int i = 0; i < spec.disks().size(); i++) {
            disk(devices, spec.disks().get(i), targets.get(i));
        }
        if (spec.serialLogPath() != null) {
            Element serial = child(devices, "serial");
            serial.setAttributeNS(null, "type", "file");
            child(serial, "source").setAttributeNS(null, "path", spec.serialLogPath());
            Element console = child(devices, "console");
            console.setAttributeNS(null, "type", "file");
            child(console, "source").setAttributeNS(null, "path", spec.serialLogPath());
            Element target = child(console, "target");
            target.setAttributeNS(null, "type", "serial");
            target.setAttributeNS(null, "port", "0");
        }
        if (spec.graphics() != null) {
            graphics(devices, spec.graphics());
            child(child(devices, "video"), "model").setAttributeNS(null, "type", "vga");
        }
    }

    private void disk(Element devices, DiskSpec spec, String target) {
        Element disk = child(devices, "disk");
        disk.setAttributeNS(null, "device", spec.device().libvirtName());
        Element driver = child(disk, "driver");
        driver.setAttributeNS(null, "name", "qemu");
        driver.setAttributeNS(null, "type", spec.format());
        if (spec.cache() != null) {
            driver.setAttributeNS(null, "cache", spec.cache());
        }
        Element source = child(disk, "source");
        switch (spec.source()) {
            case FileSource file -> {
                disk.setAttributeNS(null, "type", "file");
                source.setAttributeNS(null, "file", file.path());
            }
            case VolumeSource volume -> {
                disk.setAttributeNS(null, "type", "volume");
                source.setAttributeNS(null, "pool", volume.pool());
                source.setAttributeNS(null, "volume", volume.volume());
            }
            case NbdSource nbd -> {
                disk.setAttributeNS(null, "type", "network");
                source.setAttributeNS(null, "protocol", "nbd");
                if (!nbd.exportName().isEmpty()) {
                    source.setAttributeNS(null, "name", nbd.exportName());
                }
                Element host = child(source, "host");
                host.setAttributeNS(null, "name", nbd.host());
                host.setAttributeNS(null, "port", Integer.toString(nbd.port()));
            }
        }
        Element targetElement = child(disk, "target");
        targetElement.setAttributeNS(null, "dev", target);
        targetElement.setAttributeNS(null, "bus", spec.bus().libvirtName());
        if (spec.readOnly()) {
            child(disk, "readonly");
        }
        if (spec.bootOrder() != null) {
            child(disk, "boot").setAttributeNS(null, "order", spec.bootOrder().toString());
        }
    }

    private void graphics(Element devices, VncGraphics vnc) {
        Element graphics = child(devices, "graphics");
        graphics.setAttributeNS(null, "type", "vnc");
        graphics.setAttributeNS(null, "port", "-1");
        graphics.setAttributeNS(null, "autoport", "yes");
        if (vnc.websocket()) {
            graphics.setAttributeNS(null, "websocket", "-1");
        }
        graphics.setAttributeNS(null, "listen", vnc.listenAddress());
        if (withSecrets) {
            graphics.setAttributeNS(null, "passwd", vnc.password());
        }
        if (vnc.keymap() != null) {
            graphics.setAttributeNS(null, "keymap", vnc.keymap());
        }
        Element listen = child(graphics, "listen");
        listen.setAttributeNS(null, "type", "address");
        listen.setAttributeNS(null, "address", vnc.listenAddress());
    }

    private Element child(Element parent, String name) {
        Element element = document.createElementNS(null, name);
        parent.appendChild(element);
        return element;
    }

    private Element text(Element parent, String name, String text) {
        Element element = child(parent, name);
        element.setTextContent(text);
        return element;
    }

    private static String serialize(Document document) {
        try {
            StringWriter out = new StringWriter();
            SERIALIZERS.get().transform(new DOMSource(document), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException("the JDK's XML serializer failed on a DOM it was given: " + e, e);
        }
    }
}
