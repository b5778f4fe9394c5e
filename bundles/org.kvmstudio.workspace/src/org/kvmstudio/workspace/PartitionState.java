package org.kvmstudio.workspace;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import org.kvmstudio.input.InputFileException;
import org.kvmstudio.input.InputFiles;
import org.kvmstudio.model.Parameters;

/**
 * The private state of one partition: a directory only the owner can enter ({@code 0700}) holding
 * {@code state.json} ({@code 0600}) with what a provisioner must remember between runs and keep out
 * of sight (a domain's UUID, its ports, its VNC password, secret connection parameters), and any
 * file the provisioner keeps there. Values are written atomically, one write at a time, and read
 * without waiting for one under way; the directory goes with the partition.
 */
public final class PartitionState {

    static final String FILE = "state.json";
    private final Path directory;
    /** Read without the lock, so that reading never waits for a durable write; changed under it. */
    private volatile Parameters values;

    PartitionState(Path directory) {
        this.directory = directory;
    }

    /** The directory, created (owner only) on first use. */
    public synchronized Path directory() throws IOException {
        if (!Files.isDirectory(directory)) {
            Files.createDirectories(directory.getParent());
            try {
                Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } catch (UnsupportedOperationException notPosix) {
                Files.createDirectories(directory);
            }
        }
        return directory;
    }

    public Parameters values() throws IOException {
        Parameters read = values;
        return read != null ? read : load();
    }

    private synchronized Parameters load() throws IOException {
        if (values == null) {
            Path file = directory.resolve(FILE);
            try {
                values = WorkspaceJson.stateFromJson(InputFiles.read(file));
            } catch (NoSuchFileException none) {
                values = Parameters.EMPTY;
            } catch (WorkspaceFormatException | InputFileException unreadable) {
                // kept beside, owner only, for a person to look at; the provisioner starts over from what the
                // host has (a domain's UUID is read back from it), rather than failing on every run
                Path kept = directory.resolve(FILE + ".unreadable-" + System.currentTimeMillis());
                Files.move(file, kept);
                System.getLogger(PartitionState.class.getName()).log(System.Logger.Level.WARNING,
                        "the private state of " + directory.getFileName() + " could not be read (" + unreadable.getMessage()
                                + "); kept as " + kept.getFileName() + ", starting over");
                values = Parameters.EMPTY;
            }
        }
        return values;
    }

    public Optional<Object> get(String key) throws IOException {
        return values().get(key);
    }

    /** Sets {@code key} ({@code null} removes it) and writes the state before returning. */
    public void put(String key, Object value) throws IOException {
        Map<String, Object> one = new HashMap<>();
        one.put(key, value);
        putAll(one);
    }

    /**
     * Sets each key (a {@code null} value removes it) and writes the state once, before returning:
     * values remembered together cost one durable write, not one each.
     */
    public synchronized void putAll(Map<String, ?> entries) throws IOException {
        Map<String, Object> copy = new LinkedHashMap<>(values().asMap());
        entries.forEach((key, value) -> {
            if (value == null) {
                copy.remove(key);
            } else {
                copy.put(key, value);
            }
        });
        Parameters changed = Parameters.of(copy);
        if (!changed.equals(values)) {
            // AtomicFiles' temporary file is created rw------- and renamed over the target: never readable by others
            AtomicFiles.write(directory().resolve(FILE), WorkspaceJson.stateToJson(changed));
            values = changed;
        }
    }

    /** Removes the directory and everything in it. */
    public synchronized void delete() throws IOException {
        values = Parameters.EMPTY;
        if (!Files.exists(directory)) {
            return;
        }
        Files.walkFileTree(directory, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.delete(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                Files.delete(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }
}
