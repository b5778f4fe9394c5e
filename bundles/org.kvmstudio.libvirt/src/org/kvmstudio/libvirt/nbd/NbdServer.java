package org.kvmstudio.libvirt.nbd;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.kvmstudio.core.provisioning.ProvisioningException;

/**
 * One {@code qemu-nbd} serving one image. It forks into the background and outlives KVM Studio, like
 * QEMU does: the next owner finds it by its pid file and adopts it if it still serves this image,
 * and starts it again if not.
 */
final class NbdServer {

    /** How one export is served. */
    record Export(Path image, String format, boolean readOnly, String bindAddress, int port, String exportName,
            Path pidFile) {
    }

    private NbdServer() {
    }

    /** The running server of {@code export}'s image, if its pid file names a live {@code qemu-nbd} serving it. */
    static Optional<ProcessHandle> running(Export export) {
        try {
            if (!Files.isRegularFile(export.pidFile())) {
                return Optional.empty();
            }
            long pid = Long.parseLong(Files.readString(export.pidFile(), StandardCharsets.US_ASCII).strip());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            if (handle.isEmpty()) {
                return Optional.empty();
            }
            // the pid may have been reused by another program since: check what it runs
            byte[] cmdline = Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"));
            List<String> args = List.of(new String(cmdline, StandardCharsets.UTF_8).split("\0"));
            boolean ours = !args.isEmpty() && args.get(0).endsWith("qemu-nbd") && args.contains(export.image().toString())
                    && args.contains("--port=" + export.port());
            return ours ? handle : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    /** Starts serving; returns once {@code qemu-nbd} listens (it forks only then). */
    static ProcessHandle start(Export export) throws ProvisioningException {
        List<String> command = new ArrayList<>(List.of("qemu-nbd", "--fork", "--persistent", "--shared=0",
                "--format=" + export.format(), "--bind=" + export.bindAddress(), "--port=" + export.port(),
                "--pid-file=" + export.pidFile()));
        if (export.readOnly()) {
            command.add("--read-only");
        }
        if (!export.exportName().isEmpty()) {
            command.add("--export-name=" + export.exportName());
        }
        command.add(export.image().toString());
        try {
            Files.deleteIfExists(export.pidFile());
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                throw new ProvisioningException("qemu-nbd did not start listening within 30 s");
            }
            if (p.exitValue() != 0) {
                throw new ProvisioningException("qemu-nbd cannot serve the image: "
                        + new String(out, StandardCharsets.UTF_8).strip());
            }
        } catch (IOException e) {
            throw new ProvisioningException("cannot run qemu-nbd (is qemu-utils installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while qemu-nbd started", e);
        }
        return running(export).orElseThrow(() -> new ProvisioningException("qemu-nbd started but left no live pid in "
                + export.pidFile().getFileName()));
    }

    /** Stops whatever {@code qemu-nbd} the pid file names (an export served with settings since changed). */
    static void stopRecorded(Path pidFile) {
        try {
            if (!Files.isRegularFile(pidFile)) {
                return;
            }
            long pid = Long.parseLong(Files.readString(pidFile, StandardCharsets.US_ASCII).strip());
            Optional<ProcessHandle> handle = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
            byte[] cmdline = handle.isPresent() ? Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")) : new byte[0];
            if (handle.isPresent() && new String(cmdline, StandardCharsets.UTF_8).split("\0")[0].endsWith("qemu-nbd")) {
                stop(handle.get());
            }
            Files.deleteIfExists(pidFile);
        } catch (IOException | NumberFormatException stale) {
            // nothing to stop
        }
    }

    /** Stops the server: asked first, then killed. */
    static void stop(Export export) {
        running(export).ifPresent(NbdServer::stop);
        try {
            Files.deleteIfExists(export.pidFile());
        } catch (IOException ignored) {
            // a stale pid file is recognised as such by running()
        }
    }

    private static void stop(ProcessHandle handle) {
        handle.destroy();
        try {
            handle.onExit().get(5, TimeUnit.SECONDS);
        } catch (Exception notYet) {
            handle.destroyForcibly();
            try {
                handle.onExit().get(5, TimeUnit.SECONDS);
            } catch (Exception stillThere) {
                // reported by the next observation
            }
        }
    }
}
