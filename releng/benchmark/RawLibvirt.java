import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.transform.TransformerFactory;
import javax.xml.transform.dom.DOMSource;
import javax.xml.transform.stream.StreamResult;

import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.ErrorCallback;
import org.libvirt.Library;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.InputSource;

/**
 * The anchor of the request-to-running benchmark: libvirt's own define + start of the domain XML KVM
 * Studio would define (from `kvmstudio request --dry-run --json`), on an embedded QEMU driver of its
 * own on the same machine, with libvirt-java as KVM Studio uses it. Each domain gets its own name,
 * disk (made before the clock starts) and loopback address; nothing else changes.
 * Usage: java -cp libvirt.jar:jna.jar RawLibvirt.java ROOT TEMPLATE.xml COUNT PARALLEL(true|false)
 * Prints one line per domain: "raw <name> <milliseconds>", and "raw-total <milliseconds>".
 * With COUNT "rounds": one domain for each line read from standard input (defined, started, timed,
 * removed), so that the caller interleaves them with KVM Studio's rounds and both meet the same machine.
 */
public class RawLibvirt {

    static final ErrorCallback SILENT = new ErrorCallback() {
        @Override
        public void errorCallback(com.sun.jna.Pointer p, org.libvirt.jna.virError e) {
        }
    };

    public static void main(String[] args) throws Exception {
        Path root = Path.of(args[0]);
        String template = Files.readString(Path.of(args[1]));
        boolean rounds = args[2].equals("rounds");
        int count = rounds ? 0 : Integer.parseInt(args[2]);
        boolean parallel = Boolean.parseBoolean(args[3]);
        Connect.setErrorCallback(SILENT);
        Library.initEventLoop();
        Thread loop = new Thread(() -> {
            try {
                Library.runEventLoop();
            } catch (Exception e) {
                e.printStackTrace();
            }
        });
        loop.setDaemon(true);
        loop.start();
        Connect conn = new Connect("qemu:///embed?root=" + root);
        conn.getCapabilities(); // the first connect probes QEMU: not part of what is measured
        if (rounds) {
            System.out.println("ready");
            java.io.BufferedReader in = new java.io.BufferedReader(new java.io.InputStreamReader(System.in));
            for (int i = 0; in.readLine() != null; i++) {
                String xml = prepared(root, template, i);
                String took = defineAndStart(conn, xml);
                remove(conn, "raw-" + i); // before answering: the caller's next round starts on a quiet machine
                System.out.println(took);
            }
            conn.close();
            return;
        }
        List<String> xmls = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            xmls.add(prepared(root, template, i));
        }
        long began = System.nanoTime();
        if (parallel) {
            ExecutorService pool = Executors.newFixedThreadPool(count);
            List<Future<String>> results = new ArrayList<>();
            for (String xml : xmls) {
                results.add(pool.submit(() -> defineAndStart(conn, xml)));
            }
            for (Future<String> f : results) {
                System.out.println(f.get());
            }
            System.out.println("raw-total " + (System.nanoTime() - began) / 1_000_000);
            pool.shutdown();
            for (int i = 0; i < count; i++) {
                remove(conn, "raw-" + i);
            }
        } else {
            // one at a time, each removed before the next starts (out of the clock), as KVM Studio's rounds
            // are: a guest left running would slow the next one's start on two cores
            for (int i = 0; i < count; i++) {
                String took = defineAndStart(conn, xmls.get(i));
                remove(conn, "raw-" + i);
                System.out.println(took);
            }
        }
        conn.close();
    }

    /** Domain {@code i}'s XML, its disk made (out of the clock, as KVM Studio's is in it). */
    static String prepared(Path root, String template, int i) throws Exception {
        Path disk = root.resolve("disk-" + i + ".qcow2");
        Files.deleteIfExists(disk);
        new ProcessBuilder("qemu-img", "create", "-q", "-f", "qcow2", disk.toString(), "1G").inheritIO().start().waitFor();
        return variant(template, "raw-" + i, disk, "127.78.0." + (i % 250 + 2));
    }

    static String defineAndStart(Connect conn, String xml) throws Exception {
        long t = System.nanoTime();
        Domain d = conn.domainDefineXML(xml);
        d.create();
        return "raw " + d.getName() + " " + (System.nanoTime() - t) / 1_000_000;
    }

    static void remove(Connect conn, String name) throws Exception {
        Domain d = conn.domainLookupByName(name);
        d.destroy();
        d.undefine();
    }

    /** The template with another name, no UUID (libvirt makes one), another disk and NAT address. */
    static String variant(String template, String name, Path disk, String natAddress) throws Exception {
        DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
        f.setNamespaceAware(true);
        Document doc = f.newDocumentBuilder().parse(new InputSource(new StringReader(template)));
        Element domain = doc.getDocumentElement();
        domain.getElementsByTagName("name").item(0).setTextContent(name);
        NodeList uuids = domain.getElementsByTagName("uuid");
        if (uuids.getLength() > 0) {
            uuids.item(0).getParentNode().removeChild(uuids.item(0));
        }
        NodeList metadata = domain.getElementsByTagName("metadata");
        if (metadata.getLength() > 0) {
            metadata.item(0).getParentNode().removeChild(metadata.item(0));
        }
        NodeList sources = domain.getElementsByTagName("source");
        for (int i = 0; i < sources.getLength(); i++) {
            Element s = (Element) sources.item(i);
            if (s.hasAttribute("file") && s.getAttribute("file").endsWith("-disk")) {
                s.setAttribute("file", disk.toString());
            } else if (s.hasAttribute("path")) {
                s.setAttribute("path", disk.resolveSibling(name + "-serial.log").toString());
            }
        }
        NodeList args = doc.getElementsByTagNameNS("http://libvirt.org/schemas/domain/qemu/1.0", "arg");
        for (int i = 0; i < args.getLength(); i++) {
            Element a = (Element) args.item(i);
            a.setAttribute("value", a.getAttribute("value").replaceAll("127\\.[0-9]+\\.[0-9]+\\.[0-9]+:", natAddress + ":"));
        }
        StringWriter out = new StringWriter();
        TransformerFactory.newInstance().newTransformer().transform(new DOMSource(doc), new StreamResult(out));
        return out.toString();
    }
}
