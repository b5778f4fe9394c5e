package org.kvmstudio.schema;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/**
 * Where a release's descriptor and schemas are read from: a folder on disk or resources inside a
 * bundle. Paths are relative, '/'-separated and already checked by the engine not to leave the
 * source (a {@code $ref} of {@code ../../etc/passwd} never reaches here).
 */
public interface SchemaSource {

    /** The bytes of the document at {@code path}; {@link NoSuchFileException} when it is absent. */
    byte[] read(String path) throws IOException;

    /** Where {@code path} lives, for messages ({@code /srv/kvm/software.cfg.json}). */
    String describe(String path);

    static SchemaSource directory(Path root) {
        Path base = root.toAbsolutePath().normalize();
        return new SchemaSource() {
            @Override
            public byte[] read(String path) throws IOException {
                return Files.readAllBytes(resolve(path));
            }

            @Override
            public String describe(String path) {
                return resolve(path).toString();
            }

            private Path resolve(String path) {
                Path p = base.resolve(path).normalize();
                if (!p.startsWith(base)) {
                    throw new IllegalArgumentException(path + " is outside " + base);
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
                    return in.readAllBytes();
                }
            }

            @Override
            public String describe(String path) {
                return "resource " + prefix + path;
            }
        };
    }
}
