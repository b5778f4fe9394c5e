package org.kvmstudio.frontend.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.core.Studio;
import org.kvmstudio.frontend.FrontendBackend;
import org.kvmstudio.frontend.server.FrontendTestAccess;
import org.kvmstudio.frontend.server.TlsIdentity;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Status;
import org.kvmstudio.release.kvm.KvmRelease;

/**
 * The frontend type through the real engine and controller: a master becomes an HTTPS server in the
 * owner, its slaves become routes to their VNC websockets, and it all comes back when the owner
 * starts again, with the same certificate.
 */
class FrontendProvisionerTest {

    @TempDir
    Path workspace;

    @Test
    void aMasterServesItsSlavesFromTheOwnerAndComesBackWithItsCertificate() throws Exception {
        int port = freePort();
        try (FrontendTestAccess.Vnc vnc = FrontendTestAccess.vnc("vm"); Studio command = open()) {
            // a command line without an owner records the request, and says who serves it
            command.engine().request(master(port));
            command.engine().process(new NullProgressMonitor());
            Partition waiting = command.engine().instance("front").orElseThrow();
            assertEquals(Status.Phase.NOT_READY, waiting.status().phase());
            assertTrue(waiting.status().message().contains("run kvmstudio agent or open the desktop application"),
                    waiting.status().message());
            command.close();

            TlsIdentity kept;
            try (Studio owner = open()) {
                owner.startController();
                Partition master = await(owner, "front", Partition::isReady);
                assertEquals(Map.of("domain", "localhost", "port", Integer.toString(port), "url", "https://localhost:" + port + "/",
                        "slave-count", "0"), master.connectionParameters().asMap());
                Path key = only(owner, FrontendProvisioner.KEY_FILE);
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(key)), "the key is the owner's only");
                kept = TlsIdentity.fromPem(Files.readString(only(owner, FrontendProvisioner.CERTIFICATE_FILE)), Files.readString(key),
                        Instant.now());

                owner.engine().request(slave("vm-console", vnc.port()));
                Partition slave = await(owner, "vm-console", Partition::isReady);
                assertEquals(Map.of("url", "https://localhost:" + port + "/vmconsole", "domainname", "localhost",
                        "port", Integer.toString(port), "resource", "vmconsole"), slave.connectionParameters().asMap());
                assertEquals(200, FrontendTestAccess.status(kept, port, "/vmconsole/"));
                assertEquals("vm:hi", FrontendTestAccess.roundTrip(kept, port, "vmconsole", "hi"));
                assertEquals("1", await(owner, "front", p -> "1".equals(p.connectionParameters().get("slave-count").orElse(null)))
                        .connectionParameters().get("slave-count").orElseThrow());
            }
            assertTrue(portFree(port), "closing the owner stops its frontends");

            try (Studio again = open()) {
                again.startController();
                await(again, "front", Partition::isReady);
                FrontendTestAccess.awaitStatus(kept, port, "/vmconsole/", 200); // the same certificate is trusted
                assertTrue(TlsIdentity.fromPem(Files.readString(only(again, FrontendProvisioner.CERTIFICATE_FILE)),
                        Files.readString(only(again, FrontendProvisioner.KEY_FILE)), Instant.now()).sameAs(kept),
                        "the certificate is not made again at every start");

                again.engine().destroy(again.engine().instance("vm-console").orElseThrow().id());
                FrontendTestAccess.awaitStatus(kept, port, "/vmconsole/", 404);

                again.engine().destroy(again.engine().instance("front").orElseThrow().id());
                long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
                while (again.engine().instance("front").isPresent() && System.nanoTime() < end) {
                    Thread.sleep(50);
                }
                assertTrue(again.engine().instance("front").isEmpty(), "the master is gone");
                assertTrue(portFree(port), "destroying the master frees its port");
            }
        }
    }

    @Test
    void aMasterServesTheCertificateTheUserGaveAndKeepsItsKeyOutOfSight() throws Exception {
        int port = freePort();
        TlsIdentity given = TlsIdentity.generate("localhost", Instant.now());
        String keyBody = given.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
        try (Studio owner = open()) {
            owner.startController();
            owner.engine().request(master(port, given.certificatesPem(), given.privateKeyPem()));
            Partition master = await(owner, "front", Partition::isReady);
            assertEquals(404, FrontendTestAccess.status(given, port, "/"),
                    "an answer (nothing is routed at /) over a handshake that trusts the given certificate alone");
            try (Stream<Path> files = Files.walk(owner.workspaceDirectory())) {
                assertEquals(java.util.List.of(), files.filter(f -> f.getFileName().toString().endsWith(".pem")).toList(),
                        "no generated key lies about while the user's is served");
            }
            String file = Files.readString(owner.workspaceDirectory().resolve("partitions").resolve(master.id() + ".json"));
            assertTrue(!file.contains(keyBody) && file.contains("-----BEGIN CERTIFICATE-----"), "the key stays out of the partition's file");

            // a certificate for another name is refused, saying why, and the key is never quoted
            TlsIdentity other = TlsIdentity.generate("other.example", Instant.now());
            owner.engine().request(master(port, other.certificatesPem(), other.privateKeyPem()));
            Partition refused = await(owner, "front", p -> p.status().phase() == Status.Phase.FAILED
                    && p.status().message().contains("not for the frontend's domain"));
            assertTrue(refused.status().message().startsWith("ssl_crt and ssl_key: the certificate is for other.example"),
                    refused.status().message());
            String otherKey = other.privateKeyPem().lines().filter(l -> !l.startsWith("-----")).findFirst().orElseThrow();
            assertTrue(!refused.status().message().contains(otherKey));

            // without one, a certificate is generated for the domain again
            owner.engine().request(master(port));
            await(owner, "front", Partition::isReady);
            TlsIdentity generated = TlsIdentity.fromPem(Files.readString(only(owner, FrontendProvisioner.CERTIFICATE_FILE)),
                    Files.readString(only(owner, FrontendProvisioner.KEY_FILE)), Instant.now());
            FrontendTestAccess.awaitStatus(generated, port, "/", 404);

            // the user's again: the generated pair is removed
            owner.engine().request(master(port, given.certificatesPem(), given.privateKeyPem()));
            FrontendTestAccess.awaitStatus(given, port, "/", 404);
            try (Stream<Path> files = Files.walk(owner.workspaceDirectory())) {
                assertEquals(java.util.List.of(), files.filter(f -> f.getFileName().toString().endsWith(".pem")).toList());
            }
        }
    }

    @Test
    void withoutAnOwnerEntriesAreStillDroppedAndNothingIsLeft() throws Exception {
        try (Studio command = open()) {
            command.engine().request(master(freePort()));
            command.engine().request(slave("first", 5701));
            command.engine().request(slave("second", 5702));
            command.engine().process(new NullProgressMonitor());
            command.engine().destroy(command.engine().instance("first").orElseThrow().id());
            command.engine().process(new NullProgressMonitor());
            assertTrue(command.engine().instance("first").isEmpty(), "a master with no server here lets go of an entry at once");
            command.engine().destroy(command.engine().instance("front").orElseThrow().id());
            command.engine().destroy(command.engine().instance("second").orElseThrow().id());
            command.engine().process(new NullProgressMonitor());
            assertEquals(java.util.List.of(), command.engine().partitions().stream().map(Partition::reference).toList(),
                    "the master and its last entry, destroyed in that order, are both gone");
        }
    }

    @Test
    void anEntryNamesItsBackendWithHostAndPortOrWithAUrl() {
        assertEquals("ws://127.0.0.1:5701/", route(Map.of("host", "127.0.0.1", "port", 5701L, "https", false)));
        assertEquals("wss://vm.example:6080/vnc", route(Map.of("host", "vm.example", "port", 6080L, "path", "/vnc")),
                "the 2012 default: the backend speaks TLS");
        assertEquals("ws://[::1]:5701/x", route(Map.of("url", "http://[::1]:5701/x")));
        assertEquals("wss://vm.example:443/", route(Map.of("url", "https://vm.example")));
        assertEquals("ws://10.0.0.2:80/", route(Map.of("url", "ws://10.0.0.2", "host", "ignored", "port", 1L)), "url wins");
        assertEquals("an entry names its backend with host and port, or with url", refused(Map.of("host", "10.0.0.2")));
        assertEquals("the backend url must be ws:, wss:, http: or https:, not ftp:", refused(Map.of("url", "ftp://x.example/")));
        assertEquals("the backend url must be scheme://host[:port][/path], without user, query or fragment",
                refused(Map.of("url", "ws://user@x.example/")));
        assertEquals("the backend url must be scheme://host[:port][/path], without user, query or fragment",
                refused(Map.of("url", "ws://x.example/?token=1")));
    }

    private static String route(Map<String, Object> parameters) {
        return FrontendProvisioner.route(entry(parameters), "vm").backend().toString();
    }

    private static String refused(Map<String, Object> parameters) {
        return org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> FrontendProvisioner.route(entry(parameters), "vm")).getMessage();
    }

    private static org.kvmstudio.model.Slave entry(Map<String, Object> parameters) {
        return new org.kvmstudio.model.Slave("SOFTINST-7", "vm", Parameters.of(parameters), org.kvmstudio.model.RequestedState.STARTED);
    }

    private Studio open() throws Exception {
        Studio studio = Studio.open(workspace, Clock.systemUTC());
        studio.releases().add(new KvmRelease());
        studio.addBackend(new FrontendBackend());
        return studio;
    }

    private static InstanceRequest master(int port) {
        return InstanceRequest.of("kvm", "front").withSoftwareType("frontend")
                .withParameters(Parameters.of(Map.of("domain", "localhost", "port", port)));
    }

    private static InstanceRequest master(int port, String certificate, String key) {
        return InstanceRequest.of("kvm", "front").withSoftwareType("frontend").withParameters(Parameters.of(Map.of(
                "domain", "localhost", "port", port, "ssl_crt", certificate, "ssl_key", key)));
    }

    private static InstanceRequest slave(String reference, int vncPort) {
        return InstanceRequest.of("kvm", reference).withSoftwareType("frontend").withShared(true)
                .withParameters(Parameters.of(Map.of("host", "127.0.0.1", "port", vncPort, "https", false)));
    }

    private static Partition await(Studio studio, String reference, Predicate<Partition> condition) throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Partition p = null;
        while (System.nanoTime() < end) {
            p = studio.engine().instance(reference).orElse(null);
            if (p != null && condition.test(p)) {
                return p;
            }
            Thread.sleep(50);
        }
        throw new AssertionError(reference + " did not get there in 30 s: " + (p == null ? "absent" : p.status()));
    }

    private Path only(Studio studio, String name) throws Exception {
        try (Stream<Path> files = Files.walk(studio.workspaceDirectory())) {
            return files.filter(f -> f.getFileName().toString().equals(name)).findFirst()
                    .orElseThrow(() -> new AssertionError("no " + name + " in the workspace"));
        }
    }

    private static int freePort() throws Exception {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static boolean portFree(int port) {
        try (ServerSocket s = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"))) {
            return true;
        } catch (java.io.IOException e) {
            return false;
        }
    }
}
