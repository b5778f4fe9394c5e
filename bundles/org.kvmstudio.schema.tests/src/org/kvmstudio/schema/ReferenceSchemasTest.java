package org.kvmstudio.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.SoftwareType;

/**
 * Every JSON file of the SlapOS reference folder loads through the schema engine: descriptors
 * with the schemas they name, the other schemas on their own. Each schema's defaults validate.
 */
class ReferenceSchemasTest {

    /**
     * Defaults that upstream got wrong, found by this engine: the test insists they stay reported,
     * so a validator that stopped checking would be noticed.
     */
    private static final Map<String, String> UPSTREAM_BAD_DEFAULTS = Map.of(
            "related-rapid-cdn-frontend/instance-slave-input-schema.json", "/strict-transport-security");

    @TestFactory
    Stream<DynamicTest> everyReferenceJsonFileLoadsAndItsDefaultsValidate() throws IOException {
        Path root = SharedReference.schemas();
        List<Path> files;
        try (Stream<Path> walk = Files.walk(root)) {
            files = walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
        assertTrue(files.size() >= 24, "expected the whole reference folder, found " + files.size() + " files");
        return files.stream().map(file -> DynamicTest.dynamicTest(root.relativize(file).toString(), () -> {
            String name = file.getFileName().toString();
            ReleaseLoader loader = new ReleaseLoader(SchemaSource.directory(file.getParent()));
            if (name.startsWith("software.cfg")) {
                checkDescriptor(root, file, loader.load("ref:" + root.relativize(file), name));
            } else {
                checkDefaults(root.relativize(file).toString(), loader.loadSchema(name));
            }
        }));
    }

    @Test
    void everySchemaFileIsReachedFromADescriptorOrLoadedAlone() throws Exception {
        // the descriptors name files that the reference folder did not keep: only those may be missing
        Path root = SharedReference.schemas();
        Set<String> missing = new TreeSet<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path d : walk.filter(p -> p.getFileName().toString().startsWith("software.cfg")).toList()) {
                LoadedRelease r = new ReleaseLoader(SchemaSource.directory(d.getParent())).load("x", d.getFileName().toString());
                r.problems().forEach(p -> {
                    assertTrue(p.endsWith(": file not found"), "unexpected problem in " + d + ": " + p);
                    missing.add(p);
                });
            }
        }
        // the current descriptors at the top are complete
        LoadedRelease current = new ReleaseLoader(SchemaSource.directory(root)).load("kvm", "software.cfg.json");
        assertEquals(List.of(), current.problems());
        assertEquals(List.of("kvm-resilient", "default", "kvm-cluster"),
                current.release().types().stream().map(SoftwareType::id).toList());
    }

    @Test
    void whatCannotBeCheckedIsReported() throws Exception {
        Path root = SharedReference.schemas();
        ParameterSchema simplified = new ReleaseLoader(SchemaSource.directory(root.resolve("historic-2019-before-frontend-drop")))
                .loadSchema("instance-kvm-cluster-simplified-input-schema.json");
        assertTrue(simplified.warnings().stream().anyMatch(w -> w.contains("\"internet-address\" is not a JSON Schema format")),
                simplified.warnings().toString());
        ParameterSchema first = new ReleaseLoader(SchemaSource.directory(root.resolve("historic-2012-first-schemas")))
                .loadSchema("instance-kvm-output-schema.json");
        assertEquals(7, first.warnings().size(), first.warnings().toString());
        assertTrue(first.warnings().stream().anyMatch(w -> w.contains("keyword \"name\" is not JSON Schema")), first.warnings().toString());
        // SlapOS's own output schema of today has a typo the validator would ignore without a word
        ParameterSchema output = new ReleaseLoader(SchemaSource.directory(root)).loadSchema("instance-kvm-output-schema.json");
        assertTrue(output.warnings().stream().anyMatch(w -> w.contains("keyword \"require\" is not JSON Schema")
                && w.contains("did you mean \"required\"?")), output.warnings().toString());
        ParameterSchema current = new ReleaseLoader(SchemaSource.directory(root)).loadSchema("instance-kvm-input-schema.json");
        assertEquals(List.of(), current.warnings(), "today's schemas need no upgrade");
    }

    private static void checkDescriptor(Path root, Path file, LoadedRelease release) {
        assertFalse(release.release().types().isEmpty(), file + " has no software type");
        for (String problem : release.problems()) {
            assertTrue(problem.endsWith(": file not found"), problem);
        }
        for (SoftwareType t : release.release().types()) {
            Path dir = root.relativize(file.getParent());
            release.input(t.id()).ifPresent(s -> checkDefaults(dir.resolve(t.requestSchema()).toString(), s));
            release.output(t.id()).ifPresent(s -> checkDefaults(dir.resolve(t.responseSchema()).toString(), s));
        }
    }

    /** Defaults validate; only parameters that are required and have no default may be reported. */
    private static void checkDefaults(String relative, ParameterSchema schema) {
        List<ParameterProblem> problems = new ArrayList<>(schema.validate(schema.defaults()));
        problems.removeIf(p -> p.message().equals("is required but missing"));
        String expectedBad = UPSTREAM_BAD_DEFAULTS.get(relative.replace('\\', '/'));
        if (expectedBad == null) {
            assertEquals(List.of(), problems, relative + ": its defaults do not validate");
        } else {
            assertEquals(List.of(expectedBad), problems.stream().map(ParameterProblem::pointer).toList(),
                    relative + ": the known upstream defect is no longer reported");
        }
    }
}
