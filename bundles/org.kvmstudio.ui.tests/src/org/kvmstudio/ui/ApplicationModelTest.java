package org.kvmstudio.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Method;
import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;

import org.eclipse.e4.core.di.annotations.Execute;
import org.junit.jupiter.api.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.FrameworkUtil;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import jakarta.annotation.PostConstruct;

/**
 * The application model's wiring, as e4 will read it: every class it names loads and has what e4
 * calls (a part's or tool control's @PostConstruct, a handler's @Execute); every command is handled
 * once; every menu item, tool item and key binding names a command that exists, with its parameter.
 * (A wrong byte or reference here surfaces only when the window opens.)
 */
class ApplicationModelTest {

    private static final String XMI = "http://www.omg.org/XMI";
    private final Bundle ui = FrameworkUtil.getBundle(ApplicationModelTest.class);

    private Document model() throws Exception {
        URL entry = ui.getEntry("Application.e4xmi");
        assertNotNull(entry, "Application.e4xmi is in the bundle");
        DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(true);
        factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        try (InputStream in = entry.openStream()) {
            return factory.newDocumentBuilder().parse(in); // as declared: a byte the encoding does not allow fails here
        }
    }

    private static List<Element> all(Document d) {
        List<Element> elements = new ArrayList<>();
        NodeList nodes = d.getElementsByTagName("*");
        for (int i = 0; i < nodes.getLength(); i++) {
            elements.add((Element) nodes.item(i));
        }
        return elements;
    }

    @Test
    void everyContributionLoadsAndHasWhatE4Calls() throws Exception {
        int checked = 0;
        for (Element e : all(model())) {
            String uri = e.getAttribute("contributionURI");
            if (uri.isEmpty()) {
                continue;
            }
            assertTrue(uri.startsWith("bundleclass://"), uri);
            String[] parts = uri.substring("bundleclass://".length()).split("/", 2);
            Bundle owner = parts[0].equals(ui.getSymbolicName()) ? ui
                    : java.util.Arrays.stream(ui.getBundleContext().getBundles()).filter(b -> b.getSymbolicName().equals(parts[0]))
                            .findFirst().orElse(null);
            assertNotNull(owner, "the bundle of " + uri + " is in the runtime");
            Class<?> type = owner.loadClass(parts[1]);
            String tag = e.getLocalName();
            if (owner == ui && tag.equals("handlers")) {
                assertTrue(has(type, Execute.class), parts[1] + " has an @Execute method");
            } else if (owner == ui) {
                assertTrue(has(type, PostConstruct.class), parts[1] + " has a @PostConstruct method");
            }
            checked++;
        }
        assertTrue(checked >= 15, "parts, handlers, tool controls and add-ons: " + checked);
    }

    @Test
    void everyCommandIsHandledOnceAndEveryReferenceResolves() throws Exception {
        List<Element> elements = all(model());
        Map<String, Element> commands = new HashMap<>();
        Map<String, Set<String>> parametersOf = new HashMap<>();
        for (Element e : elements) {
            if (e.getLocalName().equals("commands")) {
                String id = e.getAttributeNS(XMI, "id");
                commands.put(id, e);
                Set<String> names = new HashSet<>();
                NodeList params = e.getElementsByTagName("parameters");
                for (int i = 0; i < params.getLength(); i++) {
                    names.add(((Element) params.item(i)).getAttribute("elementId"));
                }
                parametersOf.put(id, names);
            }
        }
        assertFalse(commands.isEmpty());
        Map<String, Integer> handlers = new HashMap<>();
        for (Element e : elements) {
            String command = e.getAttribute("command");
            if (command.isEmpty()) {
                continue;
            }
            assertTrue(commands.containsKey(command), e.getLocalName() + " " + e.getAttribute("elementId") + " names command " + command);
            if (e.getLocalName().equals("handlers")) {
                handlers.merge(command, 1, Integer::sum);
            }
            NodeList params = e.getElementsByTagName("parameters");
            for (int i = 0; i < params.getLength(); i++) {
                String name = ((Element) params.item(i)).getAttribute("name");
                assertTrue(parametersOf.get(command).contains(name), e.getAttribute("elementId") + " passes " + name
                        + ", a parameter of " + commands.get(command).getAttribute("elementId"));
            }
            if (e.getLocalName().equals("bindings")) {
                assertTrue(e.getAttribute("keySequence").matches("(M[1-4]\\+)*[A-Z0-9]+"), e.getAttribute("keySequence"));
            }
        }
        for (String command : commands.keySet()) {
            assertEquals(1, handlers.getOrDefault(command, 0), "handlers of " + commands.get(command).getAttribute("elementId"));
        }
    }

    @Test
    void theProductsLifeCycleClassLoads() throws Exception {
        URL plugin = ui.getEntry("plugin.xml");
        String xml = new String(plugin.openStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        java.util.regex.Matcher m = java.util.regex.Pattern.compile("lifeCycleURI\" value=\"bundleclass://org.kvmstudio.ui/([\\w.]+)\"")
                .matcher(xml);
        assertTrue(m.find(), "plugin.xml names the life-cycle handler");
        Class<?> lifeCycle = ui.loadClass(m.group(1));
        assertTrue(has(lifeCycle, org.eclipse.e4.ui.workbench.lifecycle.PostContextCreate.class));
    }

    private static boolean has(Class<?> type, Class<? extends Annotation> annotation) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Method m : c.getDeclaredMethods()) {
                if (m.isAnnotationPresent(annotation)) {
                    return true;
                }
            }
        }
        return false;
    }
}
