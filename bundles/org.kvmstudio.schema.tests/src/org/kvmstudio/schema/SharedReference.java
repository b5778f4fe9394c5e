package org.kvmstudio.schema;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;

/** The SlapOS reference schemas, read in place from the shared folder (CI has it at ../shared). */
final class SharedReference {

    private SharedReference() {
    }

    static Path schemas() {
        String shared = System.getProperty("kvmstudio.shared", "../shared");
        Path dir = Path.of(shared, "reference", "slapos-kvm-schemas").toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(dir), "the SlapOS reference schemas are expected at " + dir
                + " (set -Dkvmstudio.shared=<path of shared/>)");
        return dir;
    }
}
