package org.kvmstudio.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.kvmstudio.input.InputFiles;
import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.InputLimits;

/**
 * Where a release's descriptor and schemas are read from: a folder on disk or resources inside a
 * bundle. Paths are relative, '/'-separated and already checked by the engine not to leave the
 * source (a {@code $ref} of {@code ../../etc/passwd} never reaches here).
 */
public interface SchemaSource {

    /**
     * The bytes of the document at {@code path}; {@link NoSuchFileException} or an
     * {@link org.kvmstudio.input.InputFileException} saying why when it is absent or not readable.
     */
    byte[] read(String path) throws IOException;

    /** Where {@code path} lives, for messages ({@code /srv/kvm/software.cfg.json}). */
    String describe(String path);

    static SchemaSource directory(Path root) {
        Path base = root.toAbsolutePath().normalize();
        return new SchemaSource() {
            @Override
            public byte[] read(String path) throws IOException {
                return InputFiles.read(resolve(path));
            }

            @Override
            public String describe(String path) {
                return base + "/" + Excerpt.shortened(path);
            }

            private Path resolve(String path) throws NoSuchFileException {
                Path p;
                try {
                    p = base.resolve(path).normalize();
                } catch (InvalidPathException e) { // NUL, or a name this file system cannot spell
                    throw new NoSuchFileException(describe(path), null, "not a file name");
                }
                if (!p.startsWith(base)) {
                    throw new NoSuchFileException(describe(path), null, "outside " + base);
                }
                return p;
            }
        };
    }

    /** Resources under {@code folder} of {@code loader} (a bundle's class loader inside OSGi). */
    static SchemaSource classpath(ClassLoader loader, String folder) {
        String prefix = folder.endsWith("/") ? folder : folder + "/";
        return new SchemaSource() {
            @Override
            public byte[] read(String path) throws IOException {
                try (InputStream in = loader.getResourceAsStream(prefix + path)) {
                    if (in == null) {
                        throw new NoSuchFileException(describe(path));
                    }
                    return in.readNBytes(InputLimits.MAX_FILE_BYTES); // our own resources: a cut one fails to parse
                }
            }

            @Override
            public String describe(String path) {
                return "resource " + prefix + Excerpt.shortened(path);
            }
        };
    }
}
