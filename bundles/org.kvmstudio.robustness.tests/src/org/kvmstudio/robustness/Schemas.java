package org.kvmstudio.robustness;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.kvmstudio.model.SoftwareType;
import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.ReleaseLoader;
import org.kvmstudio.schema.SchemaSource;

/** Every input schema under test: each software type of the kvm release and of every SlapOS descriptor in the reference. */
final class Schemas {

    record UnderTest(String label, ParameterSchema schema, List<String> names, List<String> secretNames) {
        static UnderTest of(String label, ParameterSchema schema) {
            List<String> names = new ArrayList<>();
            List<String> secrets = new ArrayList<>();
            for (Field f : schema.root().properties()) {
                names.add(f.name());
                names.addAll(f.aliases());
                if (f.secret()) {
                    secrets.add(f.name());
                }
            }
            return new UnderTest(label, schema, names, secrets);
        }
    }

    private Schemas() {
    }

    static Path shared() {
        Path shared = Path.of(System.getProperty("kvmstudio.shared", "../shared"), "reference", "slapos-kvm-schemas");
        if (!Files.isDirectory(shared)) {
            throw new IllegalStateException("no SlapOS schemas at " + shared.toAbsolutePath() + " (set -Dkvmstudio.shared)");
        }
        return shared;
    }

    static List<UnderTest> all() throws Exception {
        List<UnderTest> all = new ArrayList<>();
        add(all, "kvm", new KvmRelease().load());
        try (Stream<Path> files = Files.walk(shared())) {
            for (Path file : files.sorted().toList()) {
                String name = file.getFileName().toString();
                ReleaseLoader loader = new ReleaseLoader(SchemaSource.directory(file.getParent()));
                if (name.equals(ReleaseLoader.DESCRIPTOR)) {
                    add(all, shared().relativize(file).toString(), loader.load(file.toUri().toString(), name));
                } else if (name.endsWith("-input-schema.json") && !Files.exists(file.resolveSibling(ReleaseLoader.DESCRIPTOR))) {
                    all.add(UnderTest.of(shared().relativize(file).toString(), loader.loadSchema(name)));
                }
            }
        }
        return all;
    }

    private static void add(List<UnderTest> all, String label, LoadedRelease release) {
        for (SoftwareType type : release.release().types()) {
            release.input(type.id()).ifPresent(schema -> all.add(UnderTest.of(label + " " + type.id(), schema)));
        }
    }
}
