package org.kvmstudio.robustness;

import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Files no reader should trust: devices that never end and report a size of 0, a FIFO that blocks
 * whoever opens it, a folder, symbolic-link loops and dangling links, a sparse file of 10 GiB, a
 * {@code /proc} file, a file one byte over the limit.
 */
final class SpecialFiles {

    private SpecialFiles() {
    }

    static List<Path> create(Path dir) throws Exception {
        List<Path> files = new ArrayList<>();
        Path fifo = dir.resolve("fifo.json");
        Process mkfifo = new ProcessBuilder("mkfifo", fifo.toString()).inheritIO().start();
        if (mkfifo.waitFor() != 0) {
            throw new IllegalStateException("mkfifo failed");
        }
        files.add(fifo);
        files.add(Files.createSymbolicLink(dir.resolve("zero.json"), Path.of("/dev/zero")));
        files.add(Files.createSymbolicLink(dir.resolve("urandom.yaml"), Path.of("/dev/urandom")));
        files.add(Path.of("/dev/zero"));
        files.add(Path.of("/dev/null"));
        files.add(Files.createDirectory(dir.resolve("folder.json")));
        Path loopA = dir.resolve("loop-a.json");
        Path loopB = dir.resolve("loop-b.json");
        Files.createSymbolicLink(loopA, loopB);
        Files.createSymbolicLink(loopB, loopA);
        files.add(loopA);
        files.add(Files.createSymbolicLink(dir.resolve("dangling.json"), dir.resolve("nowhere")));
        Path sparse = dir.resolve("sparse.json");
        try (RandomAccessFile f = new RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(10L << 30);
        }
        files.add(sparse);
        files.add(Path.of("/proc/self/status"));
        Path over = dir.resolve("over.json");
        int limit = org.kvmstudio.model.InputLimits.MAX_FILE_BYTES;
        Files.write(over, ("{\"a\":\"" + "x".repeat(limit - 7) + "\"}").getBytes(StandardCharsets.UTF_8)); // one byte over
        files.add(over);

        return files;
    }
}
