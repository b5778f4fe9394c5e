package org.kvmstudio.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kvmstudio.input.ParameterText;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.ReleaseLoader;
import org.kvmstudio.schema.SchemaSource;
import org.kvmstudio.schema.SecretValues;
import org.kvmstudio.testing.swt.Gui;


/**
 * Every input schema of the kvm release and of SlapOS's reference folder renders as a form in a
 * Shell, offers an input for each parameter, reports what the schema reports, and gives back
 * exactly the values written into it (its defaults, made explicit).
 */
class EveryReferenceSchemaFormTest {

    record Named(String name, ParameterSchema schema) {
    }

    @TestFactory
    Stream<DynamicTest> everySchemaRendersAndRoundTrips() throws Exception {
        List<Named> schemas = new ArrayList<>();
        LoadedRelease kvm = new KvmRelease().load();
        kvm.release().types().forEach(t -> kvm.input(t.id()).ifPresent(s -> schemas.add(new Named("kvm " + t.id(), s))));
        Path root = Path.of(System.getProperty("kvmstudio.shared", "../shared"), "reference", "slapos-kvm-schemas")
                .toAbsolutePath().normalize();
        assertTrue(Files.isDirectory(root), "the SlapOS reference schemas are expected at " + root);
        for (Path file : files(root)) {
            String name = file.getFileName().toString();
            if (!name.contains("input") || name.startsWith("software.cfg")) {
                continue;
            }
            schemas.add(new Named(root.relativize(file).toString(),
                    new ReleaseLoader(SchemaSource.directory(file.getParent())).loadSchema(name)));
        }
        assertTrue(schemas.size() >= 15, "expected the kvm release's and the reference's input schemas, found " + schemas.size());
        return schemas.stream().map(n -> DynamicTest.dynamicTest(n.name(), () -> check(n.schema())));
    }

    private static List<Path> files(Path root) throws IOException {
        try (Stream<Path> walk = Files.walk(root)) {
            return walk.filter(p -> p.toString().endsWith(".json")).sorted().toList();
        }
    }

    private static void check(ParameterSchema schema) {
        Shell shell = Gui.shell("form", 800, 700);
        shell.setLayout(new FillLayout());
        try {
            ParameterForm form = new ParameterForm(shell, schema);
            shell.open();
            Gui.pump(0);
            for (Field f : schema.root().properties()) {
                assertTrue(form.controlAt(f.pointer()).isPresent(), "no input for " + f.pointer());
            }
            assertEquals(Parameters.EMPTY, form.parameters(), "defaults are shown, not sent");
            assertEquals(schema.validate(Parameters.EMPTY), form.problems().getValue());

            Parameters explicit = schema.withDefaults(Parameters.EMPTY);
            form.setParameters(explicit);
            Gui.pump(0);
            assertEquals(ParameterText.format(explicit), ParameterText.format(form.parameters()), "what was written is read back");
            assertEquals(schema.validate(explicit), form.problems().getValue());
            assertEquals(form.problems().getValue().isEmpty(), form.valid().getValue());
            assertEquals(ParameterText.format(Parameters.of(castMap(SecretValues.mask(schema, explicit.asMap(), ParameterForm.SECRET_KEPT)))),
                    form.jsonText().getText(), "the JSON tab shows the same, secrets masked");
        } finally {
            shell.dispose();
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Object map) {
        return (Map<String, Object>) map;
    }
}
