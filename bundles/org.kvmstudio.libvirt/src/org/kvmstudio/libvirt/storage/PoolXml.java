package org.kvmstudio.libvirt.storage;

import java.io.StringWriter;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import javax.xml.transform.OutputKeys;
import javax.xml.transform.TransformerException;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.w3c.dom.Document;
import org.w3c.dom.Element;

/** The storage pool and volume XML KVM Studio gives libvirt, built as DOM so that every value is escaped. */
final class PoolXml {

    private PoolXml() {
    }

    /** {@code <pool type='dir'>} named {@code name} at {@code path} on the host. */
    static String directoryPool(String name, String path) {
        Document doc = newDocument();
        Element pool = doc.createElement("pool");
        pool.setAttribute("type", "dir");
        doc.appendChild(pool);
        append(doc, pool, "name").setTextContent(name);
        Element target = append(doc, pool, "target");
        append(doc, target, "path").setTextContent(path);
        return write(doc);
    }

    /** A volume of {@code bytes} in {@code format}, thin where the format allows. */
    static String volume(String name, long bytes, String format) {
        Document doc = newDocument();
        Element vol = doc.createElement("volume");
        doc.appendChild(vol);
        append(doc, vol, "name").setTextContent(name);
        Element capacity = append(doc, vol, "capacity");
        capacity.setAttribute("unit", "bytes");
        capacity.setTextContent(Long.toString(bytes));
        append(doc, vol, "allocation").setTextContent("0");
        Element target = append(doc, vol, "target");
        append(doc, target, "format").setAttribute("type", format);
        return write(doc);
    }

    private static Element append(Document doc, Element parent, String name) {
        Element e = doc.createElement(name);
        parent.appendChild(e);
        return e;
    }

    private static Document newDocument() {
        try {
            return DocumentBuilderFactory.newDefaultInstance().newDocumentBuilder().newDocument();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String write(Document doc) {
        try {
            var transformer = TransformerFactory.newDefaultInstance().newTransformer();
            transformer.setOutputProperty(OutputKeys.OMIT_XML_DECLARATION, "yes");
            StringWriter out = new StringWriter();
            transformer.transform(new DOMSource(doc), new StreamResult(out));
            return out.toString();
        } catch (TransformerException e) {
            throw new IllegalStateException(e);
        }
    }
}
