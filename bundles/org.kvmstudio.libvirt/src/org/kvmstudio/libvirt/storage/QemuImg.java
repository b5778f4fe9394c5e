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

    /** The format qemu-img detects in {@code file} ({@code raw} when none). */
    static String format(Path file) throws ProvisioningException {
        Matcher m = Pattern.compile("\"format\":\\s*\"([a-z0-9]+)\"").matcher(run("info", "-U", "--output=json", file.toString()));
        return m.find() ? m.group(1) : "raw";
    }

    private static String run(String... args) throws ProvisioningException {
        List<String> command = new ArrayList<>();
        command.add("qemu-img");
        command.addAll(List.of(args));
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new ProvisioningException("qemu-img " + args[0] + " did not finish in " + TIMEOUT_MINUTES + " minutes");
            }
            String text = new String(out, StandardCharsets.UTF_8).strip();
            if (p.exitValue() != 0) {
                throw new ProvisioningException("qemu-img " + args[0] + " failed: " + text);
            }
            return text;
        } catch (IOException e) {
            throw new ProvisioningException("cannot run qemu-img (is qemu-utils installed?): " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ProvisioningException("interrupted while qemu-img " + args[0] + " ran", e);
        }
    }
}
