package org.kvmstudio.libvirt.storage;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.kvmstudio.core.provisioning.ProvisioningException;

/**
 * {@code qemu-img}, run with an argument list (never a shell) on files whose names KVM Studio made.
 * Its output is read to the end so that a chatty run cannot block on a full pipe.
 */
final class QemuImg {

    private static final Pattern VIRTUAL_SIZE = Pattern.compile("\"virtual-size\":\\s*([0-9]+)");
    private static final long TIMEOUT_MINUTES = 60;

    private QemuImg() {
    }

    static void create(Path file, String format, long bytes) throws ProvisioningException {
        run("create", "-q", "-f", format, file.toString(), Long.toString(bytes));
    }

    static void resize(Path file, String format, long bytes) throws ProvisioningException {
        run("resize", "-q", "-f", format, file.toString(), Long.toString(bytes));
    }

    static void convert(Path from, String fromFormat, Path to, String toFormat) throws ProvisioningException {
        run("convert", "-q", "-f", fromFormat, "-O", toFormat, from.toString(), to.toString());
    }

    /** The virtual size of {@code file} in bytes; {@code -U} so that a running guest's disk can be inspected. */
    static long virtualSize(Path file) throws ProvisioningException {
        String json = run("info", "-U", "--output=json", file.toString());
        Matcher m = VIRTUAL_SIZE.matcher(json);
        if (!m.find()) {
            throw new ProvisioningException("qemu-img did not report the size of " + file.getFileName());
        }
        return Long.parseLong(m.group(1));
    }

    /**
     * Refuses an image that is not self-contained: a qcow2 naming a backing file or an external data
     * file would make QEMU (and qemu-img, and qemu-nbd) read whatever host file it names, and hand it
     * to a guest or to whoever reads the export. Downloaded and uploaded images are untrusted.
     */
    static void checkStandalone(Path file) throws ProvisioningException {
        String json = run("info", "-U", "--output=json", file.toString());
        if (json.contains("\"backing-filename\"") || json.contains("\"full-backing-filename\"")
                || json.contains("\"data-file\"")) {
            throw new ProvisioningException("the image " + file.getFileName() + " refers to other files (a backing or data"
                    + " file): only self-contained images are accepted");
        }
    }

    /** The format qemu-img detects in {@code file} ({@code raw} when none). */
    static String format(Path file) throws ProvisioningException {
        Matcher m = Pattern.compile("\"format\":\\s*\"([a-z0-9]+)\"").matcher(run("info", "-U", "--output=json", file.toString()));
        return m.find() ? m.group(1) : "raw";
    }

    private static String run(String... args) throws ProvisioningException {
        List<String> command = new ArrayList<>();
        command.add("qemu-img");
        command.addAll(List.of(args));
        Path output = null;
        Process p = null;
        try {
            // to a file, not a pipe: the time limit holds however much or little it says
            output = java.nio.file.Files.createTempFile("kvmstudio-qemu-img", ".out");
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile()).start();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                throw new ProvisioningException("qemu-img " + args[0] + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            String text = java.nio.file.Files.readString(output, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new ProvisioningException("qemu-img " + args[0] + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new ProvisioningException("cannot run qemu-img (is qemu-utils installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while qemu-img " + args[0] + " ran", e);
        } finally {
            if (p != null && p.isAlive()) {
                p.destroyForcibly();
            }
            if (output != null) {
                try {
                    java.nio.file.Files.deleteIfExists(output);
                } catch (IOException ignored) {
                    // a temporary file the system cleans
                }
            }
        }
    }
}
