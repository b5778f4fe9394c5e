package org.kvmstudio.workspace;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a crash or a full disk leaves either the old content or the new one, never
 * a mix: the content goes to a temporary file next to the target, is flushed to disk, and then
 * renamed over the target in one step.
 */
public final class AtomicFiles {

    /** Temporary files are hidden ({@code .name.tmp-123}) and recognisable, to be cleaned after a crash. */
    private static final String TEMP_MARK = ".tmp-";

    /** A seam for tests: runs once the temporary file is complete, just before it replaces the target. */
    @FunctionalInterface
    interface BeforeRename {
        void run(Path temp) throws IOException;
    }

    private AtomicFiles() {
    }

    /** Replaces {@code target} with {@code content}; on failure {@code target} is left as it was. */
    public static void write(Path target, byte[] content) throws IOException {
        write(target, content, temp -> { });
    }

    static void write(Path target, byte[] content, BeforeRename beforeRename) throws IOException {
        Path directory = target.toAbsolutePath().getParent();
        Path temp = Files.createTempFile(directory, "." + target.getFileName() + TEMP_MARK, "");
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(content);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            beforeRename.run(temp);
            Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (Throwable e) {
            try {
                Files.deleteIfExists(temp);
            } catch (IOException cleanup) {
                e.addSuppressed(cleanup);
            }
            throw e;
        }
        syncDirectory(directory);
    }

    /** Deletes {@code target} if it exists, durably. */
    static void delete(Path target) throws IOException {
        if (Files.deleteIfExists(target)) {
            syncDirectory(target.toAbsolutePath().getParent());
        }
    }

    /** Deletes what interrupted writes left in {@code directory}; their targets still hold the old content. */
    static void deleteLeftovers(Path directory) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(directory, ".*" + TEMP_MARK + "*")) {
            for (Path file : files) {
                Files.deleteIfExists(file);
            }
        }
    }

    /** Makes a rename or a deletion in {@code directory} survive a power loss, where the OS allows. */
    private static void syncDirectory(Path directory) {
        try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException refused) {
            // Some file systems (and Windows) cannot open or sync a directory; the rename is done anyway.
        }
    }
}
