package org.kvmstudio.libvirt.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The qcow2 images KVM Studio writes itself, checked by QEMU's own tools: qemu-img and qemu-io. */
class Qcow2Test {

    private static final long GIB = 1L << 30;

    @TempDir
    Path dir;

    @Test
    void imagesOfEverySizeADiskMayHaveAreWhatQemuImgMakesAndQemuFindsClean() throws Exception {
        // the kvm schema's disk-size goes from 1 to 4096 GB; and sizes that are not a multiple of an L2 table's reach
        for (long bytes : List.of(GIB, 10 * GIB, 20 * GIB, 4096 * GIB, GIB + 512, 3 * GIB / 2, 512L)) {
            Path ours = dir.resolve("ours-" + bytes + ".qcow2");
            Qcow2.create(ours, bytes);
            Path theirs = dir.resolve("theirs-" + bytes + ".qcow2");
            run("qemu-img", "create", "-q", "-f", "qcow2", theirs.toString(), Long.toString(bytes));

            byte[] a = Files.readAllBytes(ours);
            byte[] b = Files.readAllBytes(theirs);
            assertEquals(b.length, a.length, "the file ends where qemu-img's does, for " + bytes);
            // the same header, refcounts and L1 table; qemu-img adds a table of feature names (for its messages)
            assertArrayEquals(Arrays.copyOfRange(b, 0, 112), Arrays.copyOfRange(a, 0, 112), "header of " + bytes);
            assertArrayEquals(Arrays.copyOfRange(b, 1 << 16, b.length), Arrays.copyOfRange(a, 1 << 16, a.length),
                    "refcounts and L1 table of " + bytes);

            String info = run("qemu-img", "info", "--output=json", ours.toString());
            assertTrue(info.contains("\"format\": \"qcow2\""), info);
            assertTrue(info.contains("\"virtual-size\": " + bytes + ","), info);
            assertTrue(info.contains("\"cluster-size\": 65536"), info);
            assertTrue(info.contains("\"compat\": \"1.1\""), info);
            assertTrue(info.contains("\"refcount-bits\": 16"), info);
            assertTrue(info.contains("\"corrupt\": false"), info);
            assertFalse(info.contains("backing"), info);
            run("qemu-img", "check", "-q", ours.toString()); // exits 0 only for a clean image
        }
    }

    @Test
    void whatAGuestWritesIsReadBackAndTheImageStaysClean() throws Exception {
        Path image = dir.resolve("disk.qcow2");
        Qcow2.create(image, 10 * GIB);
        // across an L2 table's reach (512 MiB), and at the very end of the disk
        run("qemu-io", "-f", "qcow2", "-c", "write -P 0x5a 511M 2M", "-c", "write -P 0xa5 10239M 1M", image.toString());
        run("qemu-io", "-f", "qcow2", "-c", "read -P 0x5a 511M 2M", "-c", "read -P 0xa5 10239M 1M",
                "-c", "read -P 0 0 1M", image.toString());
        run("qemu-img", "check", "-q", image.toString());
        assertTrue(run("qemu-img", "info", "--output=json", image.toString()).contains("\"virtual-size\": " + 10 * GIB + ","));
    }

    @Test
    void sizesItCannotWriteAreLeftToQemuImgAndAnImageIsNeverWrittenOverAnother() throws Exception {
        assertTrue(Qcow2.canCreate(4096 * GIB));
        assertFalse(Qcow2.canCreate(4096 * GIB + 512), "an L1 table of more than one cluster");
        assertFalse(Qcow2.canCreate(0));
        assertFalse(Qcow2.canCreate(1000), "not whole sectors");
        assertThrows(IllegalArgumentException.class, () -> Qcow2.create(dir.resolve("no.qcow2"), 1000));
        assertFalse(Files.exists(dir.resolve("no.qcow2")));

        Path existing = dir.resolve("existing.qcow2");
        Files.writeString(existing, "a guest's data");
        assertThrows(java.nio.file.FileAlreadyExistsException.class, () -> Qcow2.create(existing, GIB));
        assertEquals("a guest's data", Files.readString(existing));

        LocalStorage storage = new LocalStorage(dir.resolve("pool"));
        storage.create("vm-disk", "qcow2", 2 * GIB);
        assertEquals(2 * GIB, storage.capacity("vm-disk"));
        storage.create("big-disk", "qcow2", 4096 * GIB + 512); // by qemu-img
        assertEquals(4096 * GIB + 512, storage.capacity("big-disk"));
        assertEquals(List.of("big-disk", "vm-disk"), storage.list(""), "no partial file is left");
    }

    /** Runs a QEMU tool; fails the test with what it said unless it exits 0. */
    private static String run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + out);
        return out;
    }
}
