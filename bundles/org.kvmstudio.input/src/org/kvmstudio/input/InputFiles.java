package org.kvmstudio.input;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.AccessDeniedException;
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
     * @throws NoSuchFileException when there is no such file
     * @throws InputFileException saying why it is not read
     */
    public static byte[] read(Path file) throws NoSuchFileException, InputFileException {
        return read(file, InputLimits.MAX_FILE_BYTES);
    }

    static byte[] read(Path file, int maxBytes) throws NoSuchFileException, InputFileException {
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(file, BasicFileAttributes.class);
        } catch (NoSuchFileException absent) {
            throw absent; // callers tell absence from refusal
        } catch (IOException e) {
            throw new InputFileException(file, reason(e), e);
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
            byte[] bytes = in.readNBytes(maxBytes + 1);
            if (bytes.length > maxBytes) {
                throw tooLarge(file, maxBytes);
            }
            return bytes;
        } catch (InputFileException e) {
            throw e;
        } catch (IOException e) {
            throw new InputFileException(file, reason(e), e);
        }
    }

    private static InputFileException tooLarge(Path file, int maxBytes) {
        return new InputFileException(file, "is larger than " + maxBytes / 1024 + " KiB, more than such a file ever holds", null);
    }

    private static String reason(IOException e) {
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileSystemException fs && fs.getReason() != null) {
            return fs.getReason(); // "Too many levels of symbolic links", "Is a directory", ...
        }
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
