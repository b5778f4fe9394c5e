package org.kvmstudio.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;

import org.kvmstudio.model.InputLimits;

/**
 * Reads the files KVM Studio is handed (parameter files, templates, workspace files, release
 * descriptors) as a careful reader must: only regular files (a FIFO would block forever, a device
 * never ends, and both report a size of 0), at most {@link InputLimits#MAX_FILE_BYTES}, counted
 * while reading rather than trusted from the size the file system reports.
 */
public final class InputFiles {

    private InputFiles() {
    }

    /**
     * The bytes of {@code file} (a symbolic link to a regular file is followed).
     *
     * @throws InputFileException when it is not a file KVM Studio reads: not a regular file, a loop of
     *         links, too large; a refusal of the file itself, whoever asks again gets the same
     * @throws IOException when reading fails ({@link NoSuchFileException}, permission denied, a disk
     *         error): not the file's fault, and nothing to set aside
     */
    public static byte[] read(Path file) throws IOException {
        return read(file, InputLimits.MAX_FILE_BYTES);
    }

    /** As {@link #read(Path)}, with another limit. */
    public static byte[] read(Path file, int maxBytes) throws IOException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (FileSystemException e) {
            // ELOOP; the JDK's own suffix says "symbolic link" in English whatever the locale
            if (e.getReason() != null && e.getReason().contains("symbolic link")) {
                throw new InputFileException(file, "is a loop of symbolic links", e);
            }
            throw e;
        }
        if (attributes.isDirectory()) {
            throw new InputFileException(file, "is a folder, not a file", null);
        }
        if (!attributes.isRegularFile()) {
            throw new InputFileException(file, "is not a regular file (a device, a pipe or a socket)", null);
        }
        if (attributes.size() > maxBytes) {
            throw tooLarge(file, maxBytes);
        }
        // opened only now: between the check and here it may have been replaced; the count below still holds
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(maxBytes + 1); // a /proc file says 0 bytes and holds more
            if (bytes.length > maxBytes) {
                throw tooLarge(file, maxBytes);
            }
            return bytes;
        }
    }

    private static InputFileException tooLarge(Path file, int maxBytes) {
        String limit = maxBytes >= 1024 ? maxBytes / 1024 + " KiB" : maxBytes + " bytes";
        return new InputFileException(file, "is larger than " + limit + ", more than such a file ever holds", null);
    }
}
