package org.kvmstudio.libvirt;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.kvmstudio.core.Studio;
import org.kvmstudio.libvirt.hosts.HostConnection;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.release.kvm.KvmRelease;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.LibvirtException;

/**
 * One studio with the real libvirt backend for the whole test run: libvirt embeds one QEMU driver
 * root per process, so every test of this JVM shares the workspace (each uses references of its own).
 * Its folder is short, as QEMU's monitor sockets live under it and UNIX socket paths stop at 108 bytes.
 */
final class LibvirtFixture {

    private static LibvirtFixture shared;

    final Path workspace;
    final Studio studio;
    final LibvirtSession session;
    private int counter;

    private LibvirtFixture(Path workspace) throws Exception {
        this.workspace = workspace;
        this.studio = Studio.open(workspace, Clock.systemUTC());
        studio.releases().add(new KvmRelease());
        LibvirtBackend backend = new LibvirtBackend();
        LibvirtSession[] opened = new LibvirtSession[1];
        studio.addBackend(site -> opened[0] = (LibvirtSession) backend.open(site));
        this.session = opened[0];
        Runtime.getRuntime().addShutdownHook(new Thread(this::tearDown));
    }

    static synchronized LibvirtFixture get() throws Exception {
        if (shared == null) {
            Path dir = Path.of("/tmp", "kst-" + ProcessHandle.current().pid());
            Files.createDirectories(dir);
            shared = new LibvirtFixture(dir.resolve("ws"));
        }
        return shared;
    }

    /** A reference no other test of this run uses. */
    synchronized String reference(String base) {
        return base + "-" + (++counter);
    }

    /** A small VM (512 MiB, a 1 GiB disk, no forwarded ports) pinned to host {@code hostId}. */
    static InstanceRequest smallVmOn(String reference, String hostId) {
        return InstanceRequest.of("kvm", reference).withParameters(Parameters.of(Map.of(
                "ram-size", 512, "disk-size", 1, "nat-rules", List.of())))
                .withFilter(Filter.of(Map.of(Filter.COMPUTER_GUID, hostId)));
    }

    /** Requests, then deploys until the partition is ready (or the deadline passes). */
    Partition deploy(InstanceRequest request, Duration within) throws Exception {
        studio.engine().request(request);
        return converge(request.reference(), within);
    }

    Partition converge(String reference, Duration within) {
        long deadline = System.nanoTime() + within.toNanos();
        while (true) {
            studio.engine().process(new NullProgressMonitor());
            Optional<Partition> p = studio.engine().instance(reference);
            if (p.isEmpty() || p.get().isReady() || System.nanoTime() > deadline) {
                return p.orElse(null);
            }
            sleep(200);
        }
    }

    Connect connection() throws Exception {
        HostConnection local = session.hosts().require("local");
        return local.connect();
    }

    Optional<Domain> domain(Partition p) throws Exception {
        try {
            return Optional.of(connection().domainLookupByName(domainName(p)));
        } catch (LibvirtException e) {
            return Optional.empty();
        }
    }

    String domainName(Partition p) {
        return "kvmstudio-" + session.workspaceMark() + "-" + p.id();
    }

    Path pool() {
        return workspace.resolve("pools").resolve("local");
    }

    Path nbdPool() {
        return workspace.resolve("pools").resolve("nbd");
    }

    /** The tiny guest of releng/scripts/mkguest.sh, built once (the script skips what is done). */
    static synchronized Path guest() throws Exception {
        Path dir = Path.of("/tmp/kvmstudio-guest");
        Path root = Path.of(System.getProperty("kvmstudio.root", "."));
        if (!Files.isRegularFile(dir.resolve("boot.iso"))) {
            Process p = new ProcessBuilder(root.resolve("releng/scripts/mkguest.sh").toString(), dir.toString())
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(10, TimeUnit.MINUTES) && p.exitValue() == 0, "mkguest.sh failed:\n" + out);
        }
        return dir;
    }

    static String md5(Path file) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("MD5").digest(Files.readAllBytes(file)));
    }

    static void waitFor(String what, Duration within, BooleanSupplier condition) {
        waitFor(what, within, () -> "", condition);
    }

    /** As above; {@code state} says, when the wait fails, what was there instead. */
    static void waitFor(String what, Duration within, java.util.function.Supplier<String> state, BooleanSupplier condition) {
        long deadline = System.nanoTime() + within.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("waited " + within.toSeconds() + " s for " + what + "; " + state.get());
            }
            sleep(100);
        }
    }

    static String read(Path file) {
        try {
            return Files.exists(file) ? Files.readString(file, StandardCharsets.ISO_8859_1) : "";
        } catch (IOException e) {
            return "";
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Destroys what the tests left and closes the workspace, so no QEMU outlives the test run. */
    private void tearDown() {
        try {
            for (Partition p : List.copyOf(studio.engine().partitions())) {
                if (p.isRoot() && p.requestedState() != RequestedState.DESTROYED) {
                    studio.engine().destroy(p.id());
                }
            }
            studio.engine().process(new NullProgressMonitor());
            studio.close();
        } catch (Exception e) {
            System.err.println("cleaning up the libvirt test workspace failed: " + e);
        }
    }
}
