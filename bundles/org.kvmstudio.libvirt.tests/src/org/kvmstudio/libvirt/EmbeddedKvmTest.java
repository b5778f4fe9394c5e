package org.kvmstudio.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmstudio.libvirt.domain.DomainXmlReader;
import org.kvmstudio.libvirt.domain.LiveDomain;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.libvirt.Domain;

/**
 * The seed's examples on the embedded hypervisor, with real libvirt, QEMU (TCG) and qemu-nbd: an NBD
 * export of the tiny guest's boot image, a KVM whose first boot reads it over NBD, its forwarded ports
 * and console, stop, start and destroy, with nothing left behind.
 */
class EmbeddedKvmTest {

    static LibvirtFixture fx;
    static Path guest;

    @BeforeAll
    static void setUp() throws Exception {
        guest = LibvirtFixture.guest();
        fx = LibvirtFixture.get();
    }

    private static InstanceRequest nbd(String reference) throws Exception {
        Path iso = guest.resolve("boot.iso");
        return InstanceRequest.of("kvm", reference).withSoftwareType("nbd").withParameters(Parameters.of(Map.of(
                "image-url", iso.toUri().toString(), "image-md5sum", LibvirtFixture.md5(iso))));
    }

    @Test
    void aKvmBootsFromAnNbdExportAndIsReachedStoppedStartedAndDestroyedLeavingNothing() throws Exception {
        String nbdRef = fx.reference("mynbd");
        Partition export = fx.deploy(nbd(nbdRef), Duration.ofSeconds(60));
        assertTrue(export.isReady(), export.status().message());
        Parameters nbdOut = fx.studio.engine().connectionParameters(nbdRef);
        String host = nbdOut.get("nbd-host").orElseThrow().toString();
        int port = Integer.parseInt(nbdOut.get("nbd-port").orElseThrow().toString());
        assertTrue(nbdOut.get("nbd-url").orElseThrow().toString().startsWith("nbd://"), nbdOut.toString());

        // the seed README's spelling of the NBD parameters
        String vmRef = fx.reference("myawesomekvm");
        Partition vm = fx.deploy(InstanceRequest.of("kvm", vmRef).withParameters(Parameters.of(Map.of(
                "ndb_ip", host, "ndb_port", port, "ram-size", 512, "disk-size", 1, "nat-rules", List.of(22, 80)))),
                Duration.ofSeconds(60));
        assertTrue(vm.isReady(), vm.status().message());
        assertEquals("local", vm.hostId(), "placed on the only host");
        Path serial = fx.pool().resolve(vm.id() + "-serial.log");
        LibvirtFixture.waitFor("the guest to say what it read over NBD", Duration.ofSeconds(120),
                () -> LibvirtFixture.read(serial).contains("GUEST NETWORK UP"));
        String console = LibvirtFixture.read(serial);
        assertTrue(console.contains("NBD DISK SAYS: " + Files.readString(guest.resolve("hello.txt")).strip()), console);

        Parameters out = fx.studio.engine().connectionParameters(vmRef);
        String[] http = out.get("nat-rule-port-tcp-80").orElseThrow().toString().split(":");
        assertTrue(get(http[0], Integer.parseInt(http[1]), "GET / HTTP/1.0\r\n\r\n").contains("GUEST HTTP OK"));
        String[] ssh = out.get("nat-rule-port-tcp-22").orElseThrow().toString().split(":");
        assertTrue(get(ssh[0], Integer.parseInt(ssh[1]), "").contains("GUEST SSH PORT OK"));
        String backend = out.get("backend-url").orElseThrow().toString();
        int ws = Integer.parseInt(backend.replaceAll("^ws://127\\.0\\.0\\.1:([0-9]+)/$", "$1"));
        String upgrade = get("127.0.0.1", ws, "GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Protocol: binary\r\n\r\n");
        assertTrue(upgrade.startsWith("HTTP/1.1 101"), upgrade);
        assertEquals(8, out.get("password").orElseThrow().toString().length());
        assertFalse(Files.readString(fx.workspace.resolve("partitions").resolve(vm.id() + ".json"))
                .contains(out.get("password").orElseThrow().toString()), "the VNC password is not in the partition file");

        // stopped: the domain is off, its disk kept
        Partition stopped = fx.deploy(InstanceRequest.of("kvm", vmRef).withState(RequestedState.STOPPED)
                .withParameters(vm.parameters()), Duration.ofSeconds(30));
        assertTrue(stopped.isReady(), stopped.status().message());
        Domain d = fx.domain(stopped).orElseThrow();
        assertEquals(0, d.isActive());
        assertTrue(Files.exists(fx.pool().resolve(vm.id() + "-disk")));
        Partition started = fx.deploy(InstanceRequest.of("kvm", vmRef).withParameters(vm.parameters()), Duration.ofSeconds(30));
        assertTrue(started.isReady(), started.status().message());
        assertEquals(1, fx.domain(started).orElseThrow().isActive());

        // destroyed: no domain, no volume, no private state; the export's server and image go too
        fx.studio.engine().request(InstanceRequest.of("kvm", vmRef).withState(RequestedState.DESTROYED));
        assertEquals(null, fx.converge(vmRef, Duration.ofSeconds(30)));
        assertTrue(fx.domain(vm).isEmpty());
        try (var files = Files.list(fx.pool())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(vm.id() + "-")).toList());
        }
        assertFalse(Files.exists(fx.workspace.resolve("state").resolve(vm.id())));
        long qemuNbd = serverPid(export);
        fx.studio.engine().request(InstanceRequest.of("kvm", nbdRef).withSoftwareType("nbd").withState(RequestedState.DESTROYED));
        assertEquals(null, fx.converge(nbdRef, Duration.ofSeconds(30)));
        assertFalse(ProcessHandle.of(qemuNbd).map(ProcessHandle::isAlive).orElse(false), "qemu-nbd stopped");
        try (var files = Files.list(fx.nbdPool())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(export.id() + "-")).toList());
        }
    }

    @Test
    void bootImagesAndAHardDriveImageAreDownloadedOverHttpCheckedAndBootedFrom() throws Exception {
        Path iso = guest.resolve("boot.iso");
        String md5 = LibvirtFixture.md5(iso);
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new InetSocketAddress("127.0.0.1", 0), 4);
        java.util.concurrent.atomic.AtomicInteger downloads = new java.util.concurrent.atomic.AtomicInteger();
        http.createContext("/", exchange -> {
            downloads.incrementAndGet();
            exchange.sendResponseHeaders(200, Files.size(iso));
            try (var body = exchange.getResponseBody()) {
                Files.copy(iso, body);
            }
        });
        http.start();
        try {
            String url = "http://127.0.0.1:" + http.getAddress().getPort() + "/boot.iso";
            // the image as a boot CD-ROM (the first boot medium when there is no NBD server)
            String cdRef = fx.reference("bootimage");
            Partition cd = fx.deploy(InstanceRequest.of("kvm", cdRef).withParameters(Parameters.of(Map.of(
                    "boot-image-url-list", url + "#" + md5, "ram-size", 512, "disk-size", 1, "nat-rules", List.of()))),
                    Duration.ofSeconds(60));
            assertTrue(cd.isReady(), cd.status().message());
            LibvirtFixture.waitFor("the guest booted from the downloaded image", Duration.ofSeconds(120),
                    () -> LibvirtFixture.read(fx.pool().resolve(cd.id() + "-serial.log")).contains("NBD DISK SAYS"));
            // the same image as the main disk, converted to qcow2 and grown to disk-size; wiped when destroyed
            String diskRef = fx.reference("harddrive");
            Partition disk = fx.deploy(InstanceRequest.of("kvm", diskRef).withParameters(Parameters.of(Map.of(
                    "virtual-hard-drive-url", url, "virtual-hard-drive-md5sum", md5, "disk-size", 2, "ram-size", 512,
                    "wipe-disk-ondestroy", true, "nat-rules", List.of()))), Duration.ofSeconds(60));
            assertTrue(disk.isReady(), disk.status().message());
            assertEquals(2L << 30, fx.session.storage("local").capacity(disk.id() + "-disk"));
            LibvirtFixture.waitFor("the guest booted from its downloaded hard drive", Duration.ofSeconds(120),
                    () -> LibvirtFixture.read(fx.pool().resolve(disk.id() + "-serial.log")).contains("NBD DISK SAYS"));
            assertEquals(2, downloads.get(), "each downloaded once");
            // a restart does not download again
            fx.deploy(InstanceRequest.of("kvm", cdRef).withState(RequestedState.STOPPED).withParameters(cd.parameters()),
                    Duration.ofSeconds(30));
            fx.deploy(InstanceRequest.of("kvm", cdRef).withParameters(cd.parameters()), Duration.ofSeconds(30));
            assertEquals(2, downloads.get());
            destroy(cdRef);
            destroy(diskRef);
            assertNoVolumes(cd);
            assertNoVolumes(disk);
        } finally {
            http.stop(0);
        }
    }

    @Test
    void anExportServesItsNewSettingsOnAPortAnotherProgramDidNotTake() throws Exception {
        String ref = fx.reference("export");
        Path iso = guest.resolve("boot.iso");
        Map<String, Object> params = new java.util.HashMap<>(Map.of("image-url", iso.toUri().toString(),
                "image-md5sum", LibvirtFixture.md5(iso), "export-name", "first"));
        Partition p = fx.deploy(InstanceRequest.of("kvm", ref).withSoftwareType("nbd").withParameters(Parameters.of(params)),
                Duration.ofSeconds(30));
        assertTrue(p.isReady(), p.status().message());
        int port = Integer.parseInt(fx.studio.engine().connectionParameters(ref).get("nbd-port").orElseThrow().toString());
        assertTrue(nbdServes(port, "first"));
        params.put("export-name", "second");
        fx.deploy(InstanceRequest.of("kvm", ref).withSoftwareType("nbd").withParameters(Parameters.of(params)), Duration.ofSeconds(30));
        assertTrue(nbdServes(port, "second"), "served again under its new name");
        assertFalse(nbdServes(port, "first"));
        // stopped, its port taken by another program, started: it gets another port
        fx.deploy(InstanceRequest.of("kvm", ref).withSoftwareType("nbd").withState(RequestedState.STOPPED)
                .withParameters(Parameters.of(params)), Duration.ofSeconds(30));
        try (java.net.ServerSocket squatter = new java.net.ServerSocket()) {
            squatter.bind(new InetSocketAddress(java.net.InetAddress.getByName("::1"), port));
            Partition again = fx.deploy(InstanceRequest.of("kvm", ref).withSoftwareType("nbd")
                    .withParameters(Parameters.of(params)), Duration.ofSeconds(30));
            assertTrue(again.isReady(), again.status().message());
            int moved = Integer.parseInt(fx.studio.engine().connectionParameters(ref).get("nbd-port").orElseThrow().toString());
            assertTrue(moved != port && nbdServes(moved, "second"), "moved to " + moved);
        }
        destroy(ref);
    }

    /** Whether qemu-img can read export {@code name} on [::1]:{@code port}. */
    private static boolean nbdServes(int port, String name) throws Exception {
        Process p = new ProcessBuilder("qemu-img", "info", "nbd://[::1]:" + port + "/" + name).redirectErrorStream(true).start();
        p.getInputStream().readAllBytes();
        return p.waitFor() == 0;
    }

    @Test
    void aKvmPlusDomainHasTwoGigabytesAndTwoVcpus() throws Exception {
        String ref = fx.reference("big");
        Partition vm = fx.deploy(InstanceRequest.of("kvm", ref).withSoftwareType("kvm+")
                .withParameters(Parameters.of(Map.of("disk-size", 1))), Duration.ofSeconds(60));
        assertTrue(vm.isReady(), vm.status().message());
        LiveDomain live = DomainXmlReader.read(fx.domain(vm).orElseThrow().getXMLDesc(0));
        assertEquals(2048, live.memoryMiB());
        assertEquals(2, live.vcpus());
        assertEquals(vm.id(), live.metadata().orElseThrow().instanceGuid());
        assertEquals(ref, live.metadata().orElseThrow().reference());
        // a bigger disk and more RAM: the disk grows, the domain is redefined and restarted, the disk kept
        Partition changed = fx.deploy(InstanceRequest.of("kvm", ref).withSoftwareType("kvm+")
                .withParameters(Parameters.of(Map.of("disk-size", 2, "ram-size", 1024))), Duration.ofSeconds(60));
        assertTrue(changed.isReady(), changed.status().message());
        LiveDomain after = DomainXmlReader.read(fx.domain(changed).orElseThrow().getXMLDesc(0));
        assertEquals(1024, after.memoryMiB());
        assertEquals(after.uuid(), live.uuid(), "the same domain");
        assertEquals(2L << 30, fx.session.storage("local").capacity(vm.id() + "-disk"));
        destroy(ref);
    }

    @Test
    void badInputIsAClearMessageAndLeavesNothingBehind() throws Exception {
        // an NBD server nobody runs
        String unreachable = fx.reference("unreachable");
        Partition p = fx.deploy(InstanceRequest.of("kvm", unreachable).withParameters(Parameters.of(Map.of(
                "nbd-host", "::1", "nbd-port", 9, "disk-size", 1, "ram-size", 512))), Duration.ofSeconds(5));
        assertEquals(Status.Phase.FAILED, p.status().phase());
        assertTrue(p.status().message().contains("cannot start"), p.status().message());
        assertTrue(fx.domain(p).isEmpty(), "no domain left defined");
        assertNoVolumes(p);

        // a hard drive image whose checksum is wrong
        String badSum = fx.reference("badsum");
        Partition q = fx.deploy(InstanceRequest.of("kvm", badSum).withParameters(Parameters.of(Map.of(
                "virtual-hard-drive-url", guest.resolve("boot.iso").toUri().toString(),
                "virtual-hard-drive-md5sum", "0123456789abcdef0123456789abcdef", "disk-size", 1, "ram-size", 512))),
                Duration.ofSeconds(5));
        assertEquals(Status.Phase.FAILED, q.status().phase());
        assertTrue(q.status().message().contains("not 0123456789abcdef0123456789abcdef"), q.status().message());
        assertTrue(fx.domain(q).isEmpty());
        assertNoVolumes(q);

        // a disk bigger than the storage could ever hold
        String huge = fx.reference("huge");
        Partition r = fx.deploy(InstanceRequest.of("kvm", huge).withParameters(Parameters.of(Map.of(
                "disk-size", 4096, "ram-size", 512))), Duration.ofSeconds(5));
        assertTrue(r.status().message().contains("cannot fit"), r.status().message());
        assertNoVolumes(r);

        // a host that does not exist
        String nowhere = fx.reference("nowhere");
        Partition s = fx.deploy(InstanceRequest.of("kvm", nowhere).withParameters(Parameters.of(Map.of("ram-size", 512)))
                .withFilter(Filter.of(Map.of(Filter.COMPUTER_GUID, "nowhere"))), Duration.ofSeconds(5));
        assertTrue(s.status().message().contains("there is no host 'nowhere'"), s.status().message());

        for (String ref : List.of(unreachable, badSum, huge, nowhere)) {
            destroy(ref);
        }
    }

    @Test
    void aGuestKilledOutsideIsSeenWithinASecondAndBroughtBack() throws Exception {
        var controller = fx.studio.startController();
        assertNotNull(controller);
        String ref = fx.reference("killed");
        Partition vm = fx.deploy(InstanceRequest.of("kvm", ref).withParameters(Parameters.of(Map.of(
                "disk-size", 1, "ram-size", 512))), Duration.ofSeconds(60));
        assertTrue(vm.isReady(), vm.status().message());
        long qemu = qemuPid(fx.domainName(vm));
        ProcessHandle.of(qemu).orElseThrow().destroyForcibly();
        long killedAt = System.nanoTime();
        // seen: the partition shows it, or the controller already runs a new QEMU (a killed one may linger
        // as a zombie until init reaps it: it has no command line then, and does not count)
        LibvirtFixture.waitFor("the partition to show the guest is gone", Duration.ofSeconds(1),
                () -> fx.studio.engine().instance(ref).map(p -> p.status().phase() != Status.Phase.STARTED
                        || !p.isReady()).orElse(false)
                        || qemuPidOrZero(fx.domainName(vm)) != 0 && qemuPidOrZero(fx.domainName(vm)) != qemu);
        long seenMs = (System.nanoTime() - killedAt) / 1_000_000;
        System.out.println("guest killed outside: seen after " + seenMs + " ms");
        LibvirtFixture.waitFor("the controller to start it again", Duration.ofSeconds(30), () -> "status "
                + fx.studio.engine().instance(ref).map(p -> p.status() + ", ready " + p.isReady()).orElse("gone")
                + ", pending " + fx.studio.engine().pending() + ", next retry " + fx.studio.engine().nextRetry(), () -> {
            long now = qemuPidOrZero(fx.domainName(vm));
            return now != 0 && now != qemu && fx.studio.engine().instance(ref).map(Partition::isReady).orElse(false);
        });
        destroy(ref);
    }

    @Test
    void aDomainOfThisWorkspaceThatNoPartitionOwnsIsReportedAndAdoptedOrRemovedOnRequest() throws Exception {
        // as a partition file set aside, or forgotten, would leave it: a domain with our mark and no partition
        for (String guid : List.of("SOFTINST-90001", "SOFTINST-90002")) {
            String name = "kvmstudio-" + fx.session.workspaceMark() + "-" + guid;
            fx.connection().domainDefineXML(org.kvmstudio.libvirt.domain.DomainXmlWriter.write(
                    new org.kvmstudio.libvirt.domain.DomainSpec(name, java.util.UUID.randomUUID(), "lost " + guid, null,
                            org.kvmstudio.libvirt.domain.VirtType.QEMU, 1024, 2, "pc",
                            new org.kvmstudio.libvirt.domain.InstanceMetadata(fx.session.workspaceId(), "kvm", "default",
                                    "lost-" + guid, guid),
                            List.of(), null, null, null))).free();
        }
        var orphans = fx.studio.hosts().orphans();
        assertEquals(List.of("SOFTINST-90001", "SOFTINST-90002"),
                orphans.stream().map(o -> o.instanceGuid()).sorted().toList(), "reported, never deleted silently");
        var first = orphans.stream().filter(o -> o.instanceGuid().equals("SOFTINST-90001")).findFirst().orElseThrow();
        Partition adopted = fx.studio.hosts().adopt(first, null);
        assertEquals("SOFTINST-90001", adopted.id());
        assertEquals("lost-SOFTINST-90001", adopted.reference());
        assertEquals(Map.of("ram-size", 1024L, "cpu-count", 2L), adopted.parameters().asMap(), "its size is kept");
        Partition ready = fx.converge(adopted.reference(), Duration.ofSeconds(60));
        assertTrue(ready.isReady(), ready.status().message());
        var second = fx.studio.hosts().orphans().stream().filter(o -> o.instanceGuid().equals("SOFTINST-90002"))
                .findFirst().orElseThrow();
        fx.studio.hosts().remove(second);
        assertTrue(fx.studio.hosts().orphans().isEmpty());
        assertTrue(fx.domain(new Partition("SOFTINST-90002", "x", "kvm", "default", false, null, RequestedState.STARTED, null,
                Status.notReady("", null), null, null, null, null, "SOFTINST-90002", 1, 0)).isEmpty(), "the domain is gone");
        destroy(adopted.reference());
    }

    private static void destroy(String ref) throws Exception {
        fx.studio.engine().request(InstanceRequest.of("kvm", ref).withSoftwareType(
                fx.studio.engine().instance(ref).orElseThrow().softwareType()).withState(RequestedState.DESTROYED));
        assertEquals(null, fx.converge(ref, Duration.ofSeconds(30)), ref + " destroyed");
    }

    private static void assertNoVolumes(Partition p) throws Exception {
        try (var files = Files.list(fx.pool())) {
            assertEquals(List.of(), files.filter(f -> f.getFileName().toString().startsWith(p.id() + "-")
                    && !f.getFileName().toString().endsWith("-serial.log")).toList(), "volumes of " + p.reference());
        }
    }

    private static long serverPid(Partition export) throws Exception {
        return Long.parseLong(Files.readString(fx.workspace.resolve("state").resolve(export.id()).resolve("qemu-nbd.pid")).strip());
    }

    /** The pid of the QEMU running {@code domain}, from its command line ({@code -name guest=NAME,...}). */
    static long qemuPid(String domain) {
        long pid = qemuPidOrZero(domain);
        assertTrue(pid != 0, "no QEMU runs " + domain);
        return pid;
    }

    static long qemuPidOrZero(String domain) {
        return ProcessHandle.allProcesses().filter(h -> h.info().commandLine().map(c -> c.contains("qemu-system")
                && c.contains("guest=" + domain + ",")).orElse(false)).mapToLong(ProcessHandle::pid).findFirst().orElse(0);
    }

    /** Sends {@code request} (possibly nothing) and returns what the peer says within 5 s. */
    static String get(String host, int port, String request) throws Exception {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress(host, port), 5000);
            s.setSoTimeout(5000);
            OutputStream out = s.getOutputStream();
            out.write(request.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            java.io.ByteArrayOutputStream got = new java.io.ByteArrayOutputStream();
            byte[] buffer = new byte[4096];
            try {
                // until the peer closes, or is quiet for a while once it said something (a banner, an upgrade)
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    got.write(buffer, 0, n);
                    s.setSoTimeout(1000);
                }
            } catch (java.net.SocketTimeoutException quiet) {
                // what it said so far is the answer
            }
            return got.toString(StandardCharsets.ISO_8859_1);
        }
    }
}
