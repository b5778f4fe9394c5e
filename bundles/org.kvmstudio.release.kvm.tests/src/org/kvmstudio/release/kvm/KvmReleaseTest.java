package org.kvmstudio.release.kvm;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.SoftwareType;
import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.ReleaseProvider;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/** The kvm release as shipped in its bundle: types, defaults, aliases and outputs. */
class KvmReleaseTest {

    private static LoadedRelease kvm;

    @BeforeAll
    static void load() throws Exception {
        kvm = new KvmRelease().load();
    }

    @Test
    void offersTheFourSoftwareTypesAndTheSharedFrontend() {
        assertEquals(List.of(), kvm.problems());
        assertEquals(List.of("default", "kvm+", "nbd", "frontend", "frontend-slave"),
                kvm.release().types().stream().map(SoftwareType::id).toList());
        SoftwareType slave = kvm.release().typeFor("frontend", true).orElseThrow();
        assertEquals("frontend-slave", slave.id());
        assertTrue(slave.shared());
        assertEquals("frontend", kvm.release().typeFor("frontend", false).orElseThrow().id());
        for (SoftwareType t : kvm.release().types()) {
            assertTrue(kvm.input(t.id()).isPresent(), t.id() + " has an input schema");
            assertTrue(kvm.output(t.id()).isPresent(), t.id() + " has an output schema");
        }
    }

    @Test
    void sizesOfDefaultAndKvmPlus() {
        assertSizes("default", 1024, 10, 1);
        assertSizes("kvm+", 2048, 20, 2);
    }

    private static void assertSizes(String type, long ram, long disk, long cpus) {
        Parameters defaults = kvm.inputFor(type, false).defaults();
        assertEquals(ram, defaults.get("ram-size").orElseThrow(), type + " ram-size");
        assertEquals(disk, defaults.get("disk-size").orElseThrow(), type + " disk-size");
        assertEquals(cpus, defaults.get("cpu-count").orElseThrow(), type + " cpu-count");
    }

    @Test
    void kvmTakesTheSlapOsParameters() {
        for (String type : List.of("default", "kvm+")) {
            Field root = kvm.inputFor(type, false).root();
            for (String name : List.of("ram-size", "disk-size", "cpu-count", "nbd-host", "nbd-port", "nbd2-host",
                    "nbd2-port", "boot-image-url-list", "nat-rules", "network-adapter", "disk-type", "disk-format",
                    "enable-novnc-server", "frontend-instance-guid", "frontend-software-type")) {
                assertTrue(root.property(name).isPresent(), type + " has " + name);
            }
            assertTrue(root.property("boot-image-url-list").orElseThrow().textarea());
            assertTrue(root.closed(), "unknown parameters are refused");
        }
    }

    @Test
    void theSeedReadmeRequestIsAcceptedThroughItsAliases() {
        ParameterSchema schema = kvm.inputFor("default", false);
        Parameters seed = Parameters.of(Map.of("ndb_ip", "2a01:e35:2e27:460:e2cb:4eff:fed9:48dc", "ndb_port", 1024));
        Parameters canonical = schema.canonicalize(seed);
        assertEquals("2a01:e35:2e27:460:e2cb:4eff:fed9:48dc", canonical.get("nbd-host").orElseThrow());
        assertEquals(1024L, canonical.get("nbd-port").orElseThrow());
        assertEquals(List.of(), schema.validate(canonical));
        assertEquals("debian.example", schema.canonicalize(Parameters.of(Map.of("nbd-ip", "debian.example")))
                .get("nbd-host").orElseThrow(), "the 2012 schema's spelling");
        assertFalse(schema.validate(seed).isEmpty(), "aliases are not parameters of their own");
    }

    @Test
    void frontendNeedsADomainAndListensOn4443() {
        ParameterSchema master = kvm.inputFor("frontend", false);
        assertEquals(List.of(new ParameterProblem("/domain", "is required but missing")), master.validate(Parameters.EMPTY));
        assertEquals(List.of(), master.validate(Parameters.of(Map.of("domain", "mydomain.com"))));
        assertEquals(4443L, master.defaults().get("port").orElseThrow());
        assertEquals(0L, master.defaults().get("http-redirection").orElseThrow());
        ParameterSchema slave = kvm.inputFor("frontend", true);
        assertEquals(List.of(), slave.validate(Parameters.of(Map.of("host", "10.0.0.2", "port", 6080))));
        assertFalse(slave.validate(Parameters.of(Map.of("host", "10.0.0.2"))).isEmpty(), "a slave needs the backend port");
        assertEquals(List.of(), slave.validate(Parameters.of(Map.of("url", "ws://10.0.0.2:5701/"))), "or a backend url");
        assertFalse(slave.validate(Parameters.of(Map.of("url", "ws://10.0.0.2:5701/?token=x"))).isEmpty(), "without a query");
    }

    @Test
    void outputsDeclareWhatEachTypePublishes() {
        Field kvmOut = kvm.output("default").orElseThrow().root();
        assertTrue(kvmOut.property("backend-url").isPresent());
        assertTrue(kvmOut.property("url").isPresent());
        assertTrue(kvmOut.property("vnc-password").orElseThrow().secret());
        assertTrue(kvm.output("nbd").orElseThrow().root().property("nbd-url").isPresent());
        assertTrue(kvm.output("frontend-slave").orElseThrow().root().property("url").isPresent());
    }

    @Test
    void theReleaseIsOfferedAsAnOsgiService() throws Exception {
        Bundle bundle = FrameworkUtil.getBundle(KvmRelease.class);
        assertNotNull(bundle, "runs inside OSGi");
        bundle.start(Bundle.START_TRANSIENT);
        BundleContext context = bundle.getBundleContext();
        ServiceTracker<ReleaseProvider, ReleaseProvider> tracker = new ServiceTracker<>(context, ReleaseProvider.class, null);
        tracker.open();
        try {
            ReleaseProvider provider = tracker.waitForService(10_000);
            assertNotNull(provider, "Declarative Services registers the kvm release");
            assertEquals(KvmRelease.URI, provider.releaseUri());
        } finally {
            tracker.close();
        }
    }

    @Test
    void anImageUrlWithoutItsChecksumIsReportedAtTheChecksum() {
        List<ParameterProblem> problems = kvm.inputFor(KvmRelease.NBD, false)
                .validate(Parameters.of(Map.of("image-url", "https://example.com/debian.qcow2")));
        assertEquals(List.of(new ParameterProblem("/image-md5sum", "is required when image-url is given")), problems);
    }
}
