package org.kvmstudio.schema;

import java.nio.file.Files;
import java.nio.file.Path;

/** A schema written to a folder and loaded as a release loads it, for tests of one schema. */
final class OneSchema {

    private OneSchema() {
    }

    static ParameterSchema load(Path dir, String json) throws Exception {
        Files.writeString(dir.resolve("input.json"), json);
        return new ReleaseLoader(SchemaSource.directory(dir)).loadSchema("input.json");
    }
}
