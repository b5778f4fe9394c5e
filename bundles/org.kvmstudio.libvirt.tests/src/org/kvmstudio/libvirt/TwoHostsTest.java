package org.kvmstudio.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.HostStatus;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.libvirt.Connect;
import org.libvirt.Domain;

/**
 * Two more hypervisor hosts: libvirtd daemons started by hand on loopback, each in a mount namespace
 * of its own (releng/scripts/libvirtd-host.sh), reached over qemu+tcp:// as remote hosts are; host B
 * on 127.0.0.2, which KVM Studio takes for another machine, as it would a real one. Disks go to
 * libvirt storage pools there. Placement by computer_guid and by room; a host that goes away is
 * reported down with libvirt's reason, and its partitions are ready again once it is back.
 */
class TwoHostsTest {

    static LibvirtFixture fx;
    static final Path HOSTS = Path.of("/tmp", "kst-hosts-" + ProcessHandle.current().pid());
    static final String HOST_B = "qemu+tcp://127.0.0.2:16612/system";

    @BeforeAll
    static void setUp() throws Exception {
        fx = LibvirtFixture.get();
        host("start", "hosta", "16611", "5960");
        host("start", "hostb", "16612", "6160", "127.0.0.2");
        fx.studio.hosts().add(new Host("hosta", "Host A", "qemu+tcp://127.0.0.1:16611/system"));
        fx.studio.hosts().add(new Host("hostb", "Host B", HOST_B));
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (Partition p : fx.studio.engine().partitions()) {
            if (p.hostId() != null && p.hostId().startsWith("host")) {
                fx.studio.engine().destroy(p.id());
            }
        }
        LibvirtFixture.waitFor("the partitions on hosts A and B to be destroyed", Duration.ofSeconds(60), () -> {
            fx.studio.engine().process(new org.eclipse.core.runtime.NullProgressMonitor());
            return fx.studio.engine().partitions().stream().noneMatch(p -> p.hostId() != null && p.hostId().startsWith("host"));
        });
        for (String id : List.of("hosta", "hostb")) {
            if (fx.studio.hosts().host(id).isPresent()) {
                fx.studio.hosts().remove(id);
            }
            host("stop", id);
        }
    }

    /** Runs the script (its daemon keeps the output file, not a pipe this test would wait on). */
    static void host(String... args) throws Exception {
        Path script = Path.of(System.getProperty("kvmstudio.root", ".")).resolve("releng/scripts/libvirtd-host.sh");
        Files.createDirectories(HOSTS);
        File log = HOSTS.resolve(args[1] + "-" + args[0] + ".out").toFile();
        ProcessBuilder pb = new ProcessBuilder(new java.util.ArrayList<>(List.of(script.toString(), args[0], args[1])));
        pb.command().addAll(List.of(args).subList(2, args.length));
        pb.environment().put("KVMSTUDIO_HOSTS", HOSTS.toString());
        Process p = pb.redirectErrorStream(true).redirectOutput(log).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, args[0] + " " + args[1] + ": "
                + Files.readString(log.toPath()));
    }

    static Domain domainOn(String uri, Partition p) throws Exception {
        return new Connect(uri).domainLookupByName(fx.domainName(p));
    }

    @Test
    void aRequestPinnedToAHostRunsThereOnItsStoragePool() throws Exception {
        String ref = fx.reference("pinned");
        Partition p = fx.deploy(LibvirtFixture.smallVmOn(ref, "hostb"), Duration.ofSeconds(90));
        assertTrue(p.isReady(), p.status().message());
        assertEquals("hostb", p.hostId());
        assertEquals(1, domainOn(HOST_B, p).isActive());
        // its console listens on host B's loopback: nothing here may take a port of this machine for it
        assertTrue(p.connectionParameters().get("backend-url").isEmpty(), p.connectionParameters().toString());
        assertTrue(p.connectionParameters().get("vnc-host").isEmpty(), p.connectionParameters().toString());
        assertTrue(p.status().message().contains("its console listens on host hostb"), p.status().message());
        String pool = "kvmstudio-" + fx.session.workspaceMark();
        assertTrue(List.of(new Connect(HOST_B).storagePoolLookupByName(pool).listVolumes())
                .contains(p.id() + "-disk"), "the disk is a volume of the host's pool");
        fx.studio.engine().destroy(p.id());
        fx.converge(ref, Duration.ofSeconds(60));
        assertTrue(fx.studio.engine().partition(p.id()).isEmpty());
        assertFalse(List.of(new Connect(HOST_B).storagePoolLookupByName(pool).listVolumes())
                .contains(p.id() + "-disk"), "destroyed with its partition");
    }

    @Test
    void aPoolBusyMakingAVolumeStillSaysWhatItHolds() throws Exception {
        // another deployment's volume being made: libvirt then refuses to refresh the pool
        org.kvmstudio.libvirt.storage.Storage storage = fx.session.storage("hostb");
        String source = "busy-source.img";
        String copy = "busy-copy.img";
        storage.create(source, "raw", 2L << 30);
        Connect conn = new Connect(HOST_B);
        org.libvirt.StoragePool pool = conn.storagePoolLookupByName("kvmstudio-" + fx.session.workspaceMark());
        java.util.concurrent.CompletableFuture<Void> cloning = java.util.concurrent.CompletableFuture.runAsync(() -> {
            try {
                // a copy reads all 2 GiB (and writes none: sparse): libvirt's job lasts seconds
                pool.storageVolCreateXMLFrom("<volume><name>" + copy + "</name><capacity>" + (2L << 30)
                        + "</capacity><allocation>0</allocation><target><format type='raw'/></target></volume>",
                        pool.storageVolLookupByName(source), 0).free();
            } catch (org.libvirt.LibvirtException e) {
                throw new IllegalStateException(e);
            }
        });
        try {
            LibvirtFixture.waitFor("libvirt to refuse a refresh while the copy is made", Duration.ofSeconds(10), () -> {
                try {
                    pool.refresh(0);
                    return false;
                } catch (org.libvirt.LibvirtException busy) {
                    return busy.getMessage().contains("asynchronous jobs");
                }
            });
            assertTrue(storage.exists(source), "a volume it holds");
            assertFalse(storage.exists("busy-none.img"), "a volume it does not hold");
            assertEquals(List.of(source), storage.list("busy-s"));
            assertFalse(cloning.isDone(), "all of it while the copy was being made");
        } finally {
            try {
                cloning.get(60, TimeUnit.SECONDS);
            } finally {
                storage.delete(copy, false);
                storage.delete(source, false);
                pool.free();
                conn.close();
            }
        }
    }

    @Test
    void imagesForARemoteHostAreDownloadedHereAndStreamedIntoItsPool() throws Exception {
        Path iso = LibvirtFixture.guest().resolve("boot.iso");
        com.sun.net.httpserver.HttpServer http = com.sun.net.httpserver.HttpServer.create(
                new java.net.InetSocketAddress("127.0.0.1", 0), 4);
        http.createContext("/", exchange -> {
            exchange.sendResponseHeaders(200, Files.size(iso));
            try (var body = exchange.getResponseBody()) {
                Files.copy(iso, body);
            }
        });
        http.start();
        try {
            String ref = fx.reference("remote-image");
            Partition p = fx.deploy(InstanceRequest.of("kvm", ref).withParameters(Parameters.of(Map.of(
                    "boot-image-url-list", "http://127.0.0.1:" + http.getAddress().getPort() + "/boot.iso#"
                            + LibvirtFixture.md5(iso), "ram-size", 512, "disk-size", 1, "nat-rules", List.of())))
                    .withFilter(Filter.of(Map.of(Filter.COMPUTER_GUID, "hosta"))), Duration.ofSeconds(120));
            assertTrue(p.isReady(), p.status().message());
            // the pool lives in host A's own /var/lib/libvirt, which is a folder of its test instance
            Path serial = HOSTS.resolve("hosta").resolve("lib").resolve("images")
                    .resolve("kvmstudio-" + fx.session.workspaceMark()).resolve(p.id() + "-serial.log");
            LibvirtFixture.waitFor("the guest on host A to boot from the streamed image", Duration.ofSeconds(120),
                    () -> LibvirtFixture.read(serial).contains("NBD DISK SAYS"));
            fx.studio.engine().destroy(p.id());
            fx.converge(ref, Duration.ofSeconds(60));
            String pool = "kvmstudio-" + fx.session.workspaceMark();
            assertTrue(List.of(new Connect("qemu+tcp://127.0.0.1:16611/system").storagePoolLookupByName(pool).listVolumes())
                    .stream().noneMatch(v -> v.startsWith(p.id() + "-")), "its volumes are gone with it");
        } finally {
            http.stop(0);
        }
    }

    @Test
    void aRequestGoesToTheHostItFitsBestAndOneThatFitsNowhereSaysSo() throws Exception {
        long room = fx.session.refreshedHostStatuses().stream().filter(s -> s.hostId().equals("hosta"))
                .mapToLong(HostStatus::memoryMiB).findFirst().orElseThrow() * 3 / 2;
        // fill host A but for 1 GiB; a 1 GiB VM then fits best there, where the least room is left
        long big = (room - 1024) / 512 * 512;
        String bigRef = fx.reference("filler");
        Partition filler = fx.deploy(InstanceRequest.of("kvm", bigRef).withParameters(Parameters.of(Map.of(
                "ram-size", big, "disk-size", 1, "nat-rules", List.of()))).withState(RequestedState.STOPPED)
                .withFilter(Filter.of(Map.of(Filter.COMPUTER_GUID, "hosta"))), Duration.ofSeconds(90));
        assertTrue(filler.isReady(), filler.status().message());
        String fitRef = fx.reference("fit");
        Partition fit = fx.deploy(InstanceRequest.of("kvm", fitRef).withParameters(Parameters.of(Map.of(
                "ram-size", 1024, "disk-size", 1, "nat-rules", List.of()))).withState(RequestedState.STOPPED),
                Duration.ofSeconds(90));
        assertEquals("hosta", fit.hostId(), fit.status().message());

        String hugeRef = fx.reference("nowhere");
        Partition huge = fx.deploy(InstanceRequest.of("kvm", hugeRef).withParameters(Parameters.of(Map.of(
                "ram-size", 262144, "disk-size", 1))), Duration.ofSeconds(10));
        assertTrue(huge.status().message().startsWith("no host has room for 262144 MiB of RAM and 1 vCPU"),
                huge.status().message());
        assertEquals(null, huge.hostId(), "nothing was placed");
        for (String ref : List.of(bigRef, fitRef, hugeRef)) {
            fx.studio.engine().destroy(fx.studio.engine().instance(ref).orElseThrow().id());
            fx.converge(ref, Duration.ofSeconds(60));
        }
    }

    @Test
    void aHostThatGoesAwayIsReportedDownAndItsPartitionsAreReadyAgainWhenItIsBack() throws Exception {
        String ref = fx.reference("onb");
        Partition p = fx.deploy(LibvirtFixture.smallVmOn(ref, "hostb"), Duration.ofSeconds(90));
        assertTrue(p.isReady(), p.status().message());
        fx.studio.startController();
        host("stop", "hostb");
        LibvirtFixture.waitFor("host B to be seen down", Duration.ofSeconds(30), () -> fx.studio.hosts().statuses().stream()
                .anyMatch(s -> s.hostId().equals("hostb") && !s.up()));
        HostStatus down = fx.studio.hosts().statuses().stream().filter(s -> s.hostId().equals("hostb")).findFirst().orElseThrow();
        assertFalse(down.reason().isBlank(), "libvirt's reason is kept");
        LibvirtFixture.waitFor("its partition to say its host is down", Duration.ofSeconds(30),
                () -> fx.studio.engine().instance(ref).map(x -> x.status().message().contains("hostb")).orElse(false));
        host("start", "hostb", "16612", "6160", "127.0.0.2");
        LibvirtFixture.waitFor("host B back and its partition ready", Duration.ofSeconds(90),
                () -> fx.studio.engine().instance(ref).map(Partition::isReady).orElse(false));
        assertEquals(1, domainOn(HOST_B, p).isActive(), "the guest ran on meanwhile");
        fx.studio.engine().destroy(p.id());
        fx.converge(ref, Duration.ofSeconds(60));
    }

    @Test
    void aHostThatDoesNotAnswerIsNotAdded() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> fx.studio.hosts().add(
                new Host("ghost", null, "qemu+tcp://127.0.0.1:1/system")));
        assertTrue(e.getMessage().contains("cannot be used") && e.getMessage().contains("127.0.0.1"), e.getMessage());
        assertTrue(fx.studio.hosts().host("ghost").isEmpty());
        assertThrows(InvalidRequestException.class, () -> new Host("bad id!", null, "qemu:///system"));
        assertThrows(InvalidRequestException.class, () -> new Host("x", null, "not a uri"));
    }
}
