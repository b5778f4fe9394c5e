package org.kvmstudio.libvirt.domain;

import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.regex.Pattern;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.ErrorHandler;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;
import org.xml.sax.SAXParseException;

/**
 * Reads the domain XML libvirt returns ({@code virDomainGetXMLDesc}). That XML is another process's reply and
 * may hold anything a third party put into a domain on the same host, so it is parsed as untrusted input:
 * no DTD at all (which rules out external entities, entity expansion bombs and network fetches), no XInclude,
 * at most {@link #MAX_CHARS} characters and {@link #MAX_DEPTH} levels of elements. The parser is the JDK's own
 * ({@link DocumentBuilderFactory#newDefaultInstance()}), whatever other XML bundle an OSGi framework offers, so
 * that these settings are known to apply.
 * <p>
 * Anything that is not a readable libvirt domain gives a {@link DomainXmlException}; a domain that is
 * readable but not ours just has no {@link LiveDomain#metadata()}.
 */
public final class DomainXmlReader {

    /** libvirt's domain XML is a few KiB; this leaves room for other tools' metadata and refuses the absurd. */
    public static final int MAX_CHARS = 4 * 1024 * 1024;

    /** libvirt's own elements nest about 6 deep; the rest is for other tools' metadata. */
    static final int MAX_DEPTH = 256;

    private static final Pattern UUID_SHAPE = Pattern.compile(
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");
    private static final Pattern DIGITS = Pattern.compile("[0-9]{1,19}");
    private static final int DEFAULT_NBD_PORT = 10809;

    private static final String[] METADATA_FIELDS = { "workspace", "release", "software-type", "reference",
            "instance-guid" };

    private DomainXmlReader() {
    }

    /** The whole domain, as far as KVM Studio compares it. */
    public static LiveDomain read(String xml) throws DomainXmlException {
        Element domain = parse(xml);
        String type = domain.getAttributeNS(null, "type");
        if (type.isEmpty()) {
            throw new DomainXmlException("The domain XML has no hypervisor type (<domain type='...'>).");
        }
        Element devices = optionalChild(domain, "devices");
        return new LiveDomain(requiredText(domain, "name"), uuid(requiredText(domain, "uuid")), type,
                optionalText(domain, "title"), optionalText(domain, "description"),
                memoryKiB(requiredChild(domain, "memory")), vcpus(requiredText(domain, "vcpu")), disks(devices),
                graphics(devices), metadata(domain));
    }

    /** The KVM Studio metadata; empty when the domain is not ours or its metadata is not in the expected form. */
    public static Optional<InstanceMetadata> metadata(String xml) throws DomainXmlException {
        return read(xml).metadata();
    }

    /** The VNC and websocket ports libvirt allocated. */
    public static LiveGraphics graphics(String xml) throws DomainXmlException {
        return read(xml).graphics();
    }

    private static Element parse(String xml) throws DomainXmlException {
        if (xml == null) {
            throw new DomainXmlException("There is no domain XML to read (null).");
        }
        if (xml.length() > MAX_CHARS) {
            throw new DomainXmlException("The domain XML is " + xml.length() + " characters long, more than the "
                    + MAX_CHARS + " accepted; it is not read.");
        }
        Document document;
        DocumentBuilder builder = builder();
        boolean parsed = false;
        try {
            document = builder.parse(new InputSource(new StringReader(xml)));
            builder.reset(); // the handlers are not held between parses
            parsed = true;
        } catch (SAXParseException e) {
            throw new DomainXmlException("The domain XML cannot be read (line " + e.getLineNumber() + ", column "
                    + e.getColumnNumber() + "): " + e.getMessage(), e);
        } catch (SAXException | IOException e) {
            throw new DomainXmlException("The domain XML cannot be read: " + e.getMessage(), e);
        } finally {
            if (!parsed) {
                BUILDERS.remove(); // a parser that failed half-way keeps what it had read: not kept
            }
        }
        Element root = document.getDocumentElement();
        if (root.getNamespaceURI() != null || !"domain".equals(root.getLocalName())) {
            throw new DomainXmlException("This is not libvirt domain XML: the root element is <" + root.getNodeName()
                    + ">, not <domain>.");
        }
        return root;
    }

    /**
     * A parser per thread, made once: making one (the factory, its safety settings, the parser's
     * configuration) took 7.5 ms of each deployment, more than the parse; a parser is not for two
     * threads at once.
     */
    private static final ThreadLocal<DocumentBuilder> BUILDERS = ThreadLocal.withInitial(DomainXmlReader::newBuilder);

    /** This thread's parser, with the factory's settings and its resolver and handler set again. */
    private static DocumentBuilder builder() {
        DocumentBuilder builder = BUILDERS.get();
        builder.setEntityResolver(REFUSE_ENTITIES);
        builder.setErrorHandler(STRICT);
        return builder;
    }

    private static final org.xml.sax.EntityResolver REFUSE_ENTITIES = (publicId, systemId) -> {
        throw new SAXException("External entity refused: " + systemId);
    };

    private static DocumentBuilder newBuilder() {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newDefaultInstance();
            factory.setNamespaceAware(true);
            factory.setValidating(false);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature("http://xml.org/sax/features/external-general-entities", false);
            factory.setFeature("http://xml.org/sax/features/external-parameter-entities", false);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_DTD, "");
            factory.setAttribute(XMLConstants.ACCESS_EXTERNAL_SCHEMA, "");
            factory.setAttribute("http://www.oracle.com/xml/jaxp/properties/maxElementDepth",
                    Integer.toString(MAX_DEPTH));
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException | IllegalArgumentException e) {
            throw new IllegalStateException("The JDK's XML parser does not support the settings that make it safe", e);
        }
    }

    /** Every error stops the parse; nothing goes to stderr (the JDK's default handler prints there). */
    private static final ErrorHandler STRICT = new ErrorHandler() {
        @Override
        public void warning(SAXParseException e) {
            // harmless by definition
        }

        @Override
        public void error(SAXParseException e) throws SAXException {
            throw e;
        }

        @Override
        public void fatalError(SAXParseException e) throws SAXException {
            throw e;
        }
    };

    private static List<LiveDisk> disks(Element devices) throws DomainXmlException {
        List<LiveDisk> disks = new ArrayList<>();
        for (Element disk : children(devices, null, "disk")) {
            Element target = requiredChild(disk, "target");
            String dev = target.getAttributeNS(null, "dev");
            String bus = target.getAttributeNS(null, "bus");
            if (dev.isEmpty() || bus.isEmpty()) {
                throw new DomainXmlException("The domain XML has a disk without target device or bus.");
            }
            String device = disk.hasAttributeNS(null, "device") ? disk.getAttributeNS(null, "device") : "disk";
            disks.add(new LiveDisk(dev, bus, device, source(disk)));
        }
        return disks;
    }

    /** The source, if it is one this package writes and would accept. */
    private static Optional<DiskSource> source(Element disk) throws DomainXmlException {
        Element source = optionalChild(disk, "source");
        if (source == null) {
            return Optional.empty();
        }
        try {
            return switch (disk.getAttributeNS(null, "type")) {
                case "file" -> Optional.of(new FileSource(source.getAttributeNS(null, "file")));
                case "volume" -> Optional.of(new VolumeSource(source.getAttributeNS(null, "pool"),
                        source.getAttributeNS(null, "volume")));
                case "network" -> nbd(source);
                default -> Optional.empty();
            };
        } catch (InvalidDomainSpecException notOneOfOurs) {
            return Optional.empty();
        }
    }

    private static Optional<DiskSource> nbd(Element source) throws DomainXmlException {
        Element host = optionalChild(source, "host");
        String transport = host == null ? "" : host.getAttributeNS(null, "transport");
        if (!"nbd".equals(source.getAttributeNS(null, "protocol")) || host == null
                || !(transport.isEmpty() || transport.equals("tcp"))) {
            return Optional.empty();
        }
        String port = host.getAttributeNS(null, "port");
        return Optional.of(new NbdSource(host.getAttributeNS(null, "name"),
                port.isEmpty() ? DEFAULT_NBD_PORT : number(port, "NBD port"), source.getAttributeNS(null, "name")));
    }

    private static LiveGraphics graphics(Element devices) throws DomainXmlException {
        for (Element graphics : children(devices, null, "graphics")) {
            if ("vnc".equals(graphics.getAttributeNS(null, "type"))) {
                return new LiveGraphics(port(graphics, "port"), port(graphics, "websocket"));
            }
        }
        return LiveGraphics.NONE;
    }

    private static OptionalInt port(Element graphics, String attribute) throws DomainXmlException {
        String value = graphics.getAttributeNS(null, attribute);
        if (value.isEmpty() || value.equals("-1")) {
            return OptionalInt.empty();
        }
        int port = number(value, "VNC " + attribute);
        if (port < 1 || port > 65535) {
            throw new DomainXmlException("The VNC " + attribute + " " + port + " of the domain XML is not a TCP port.");
        }
        return OptionalInt.of(port);
    }

    /** Empty unless there is exactly one {@code instance} element with exactly one of each field, all plain text. */
    private static Optional<InstanceMetadata> metadata(Element domain) throws DomainXmlException {
        Element metadata = optionalChild(domain, "metadata");
        List<Element> instances = children(metadata, InstanceMetadata.NAMESPACE, "instance");
        if (instances.size() != 1) {
            return Optional.empty();
        }
        String[] values = new String[METADATA_FIELDS.length];
        for (int i = 0; i < values.length; i++) {
            List<Element> field = children(instances.get(0), InstanceMetadata.NAMESPACE, METADATA_FIELDS[i]);
            Optional<String> text = field.size() == 1 ? plainText(field.get(0)) : Optional.empty();
            if (text.isEmpty()) {
                return Optional.empty();
            }
            values[i] = text.get();
        }
        try {
            return Optional.of(new InstanceMetadata(values[0], values[1], values[2], values[3], values[4]));
        } catch (InvalidDomainSpecException notOurs) {
            return Optional.empty();
        }
    }

    private static long memoryKiB(Element memory) throws DomainXmlException {
        String text = text(memory).strip();
        if (!DIGITS.matcher(text).matches()) {
            throw new DomainXmlException("The memory size " + Checks.quote(text)
                    + " of the domain XML is not a number.");
        }
        long bytesPerUnit = unit(memory.getAttributeNS(null, "unit"));
        try {
            long bytes = Math.multiplyExact(Long.parseLong(text), bytesPerUnit);
            return bytes / 1024 + (bytes % 1024 == 0 ? 0 : 1);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new DomainXmlException("The memory size " + text + " of the domain XML is too large.");
        }
    }

    /** Bytes per unit, as libvirt reads units: none is KiB; k/KiB binary, KB decimal; any case. */
    private static long unit(String unit) throws DomainXmlException {
        if (unit.isEmpty()) {
            return 1024;
        }
        String lower = unit.toLowerCase(java.util.Locale.ROOT);
        if (lower.equals("b") || lower.equals("byte") || lower.equals("bytes")) {
            return 1;
        }
        int exponent = "kmgtpe".indexOf(lower.charAt(0)) + 1;
        String rest = lower.substring(1);
        long base = rest.isEmpty() || rest.equals("ib") ? 1024 : rest.equals("b") ? 1000 : 0;
        if (exponent == 0 || base == 0) {
            throw new DomainXmlException("The memory unit " + Checks.quote(unit) + " of the domain XML is unknown.");
        }
        long scale = 1;
        for (int i = 0; i < exponent; i++) {
            scale *= base;
        }
        return scale;
    }

    private static int vcpus(String text) throws DomainXmlException {
        int vcpus = number(text, "number of virtual CPUs");
        if (vcpus < 1) {
            throw new DomainXmlException("The domain XML gives " + vcpus + " virtual CPUs.");
        }
        return vcpus;
    }

    private static UUID uuid(String text) throws DomainXmlException {
        if (!UUID_SHAPE.matcher(text).matches()) {
            throw new DomainXmlException("The UUID " + Checks.quote(text) + " of the domain XML is not a UUID.");
        }
        return UUID.fromString(text);
    }

    private static int number(String text, String what) throws DomainXmlException {
        if (DIGITS.matcher(text).matches()) {
            long value = Long.parseLong(text);
            if (value <= Integer.MAX_VALUE) {
                return (int) value;
            }
        }
        throw new DomainXmlException("The " + what + " " + Checks.quote(text) + " of the domain XML is not a number.");
    }

    /** The elements of {@code parent} (none when it is {@code null}) with that namespace and local name. */
    private static List<Element> children(Element parent, String namespace, String localName) {
        List<Element> found = new ArrayList<>();
        for (Node node = parent == null ? null : parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element element && localName.equals(element.getLocalName())
                    && java.util.Objects.equals(namespace, element.getNamespaceURI())) {
                found.add(element);
            }
        }
        return found;
    }

    private static Element optionalChild(Element parent, String name) throws DomainXmlException {
        List<Element> found = children(parent, null, name);
        if (found.size() > 1) {
            throw new DomainXmlException("The domain XML has more than one <" + name + "> in <" + parent.getNodeName()
                    + ">.");
        }
        return found.isEmpty() ? null : found.get(0);
    }

    private static Element requiredChild(Element parent, String name) throws DomainXmlException {
        Element child = optionalChild(parent, name);
        if (child == null) {
            throw new DomainXmlException("The domain XML has no <" + name + "> in <" + parent.getNodeName() + ">.");
        }
        return child;
    }

    private static String requiredText(Element parent, String name) throws DomainXmlException {
        return text(requiredChild(parent, name)).strip();
    }

    private static Optional<String> optionalText(Element parent, String name) throws DomainXmlException {
        Element child = optionalChild(parent, name);
        return child == null ? Optional.empty() : Optional.of(text(child));
    }

    private static String text(Element element) throws DomainXmlException {
        return plainText(element).orElseThrow(() -> new DomainXmlException("The element <" + element.getNodeName()
                + "> of the domain XML holds elements where text was expected."));
    }

    /** The text of an element holding only text (no recursion, so no depth can exhaust the stack). */
    private static Optional<String> plainText(Element element) {
        StringBuilder text = new StringBuilder();
        for (Node node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            switch (node.getNodeType()) {
                case Node.TEXT_NODE, Node.CDATA_SECTION_NODE -> text.append(node.getNodeValue());
                case Node.COMMENT_NODE, Node.PROCESSING_INSTRUCTION_NODE -> {
                    // not content
                }
                default -> {
                    return Optional.empty();
                }
            }
        }
        return Optional.of(text.toString());
    }
}
