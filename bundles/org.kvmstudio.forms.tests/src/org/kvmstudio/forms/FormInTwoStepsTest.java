package org.kvmstudio.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kvmstudio.forms.internal.FormTestAccess;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.testing.swt.Gui;

/**
 * The form makes its first fields at once and the others just after the first paint: whatever is
 * written before then is read back, and shown in those fields once they exist, with their problems.
 */
class FormInTwoStepsTest {

    private Shell shell;

    @AfterEach
    void close() {
        if (shell != null) {
            shell.dispose();
        }
    }

    private boolean labelled(String title) {
        return !Gui.find(shell, Label.class, l -> l.getText().equals(title)).isEmpty();
    }

    @Test
    void valuesWrittenBeforeTheLaterFieldsExistAreReadBackAndThenShownInThem() throws Exception {
        ParameterSchema schema = new KvmRelease().load().input(KvmRelease.DEFAULT).orElseThrow();
        assertTrue(schema.root().properties().size() > FormTestAccess.firstScreen(), "the kvm form has fields for later");
        shell = Gui.shell("two steps", 900, 880);
        shell.setLayout(new FillLayout());
        ParameterForm form = new ParameterForm(shell, schema);
        assertTrue(labelled("RAM size"), "the first fields are made at once");
        assertFalse(labelled("Wipe disks on destroy"), "a field far down is made after the first paint");

        Parameters given = Parameters.of(Map.of("ram-size", 2048L, "wipe-disk-ondestroy", true,
                "authorized-keys", List.of("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIB test@example")));
        form.setParameters(given);
        assertEquals(given.asMap(), form.parameters().asMap(), "read back before the field exists");

        shell.open();
        Gui.pump(100);
        assertTrue(labelled("Wipe disks on destroy"), "made once the first screen is painted");
        assertTrue(((Button) form.controlAt("/wipe-disk-ondestroy").orElseThrow()).getSelection(), "showing what was written");
        assertEquals(given.asMap(), form.parameters().asMap(), "and read back from it");
        assertTrue(form.valid().getValue());
        Gui.save(shell, "form-two-steps");
    }

    @Test
    void aProblemAtALaterFieldIsReportedBeforeItExistsAndShownAtItAfter() throws Exception {
        ParameterSchema schema = new KvmRelease().load().input(KvmRelease.DEFAULT).orElseThrow();
        shell = Gui.shell("two steps", 900, 700);
        shell.setLayout(new FillLayout());
        ParameterForm form = new ParameterForm(shell, schema);
        form.setParameters(Parameters.of(Map.of("nat-rules", List.of(70000L))));
        assertFalse(form.valid().getValue(), "the schema's verdict does not wait for the field");
        assertTrue(form.problems().getValue().stream().anyMatch(p -> p.pointer().startsWith("/nat-rules")),
                form.problems().getValue().toString());
        shell.open();
        Gui.pump(100);
        assertTrue(labelled("Forwarded ports"));
        assertFalse(form.valid().getValue());
        assertTrue(Gui.redPixels(Gui.screenshot(form.controlAt("/nat-rules").orElseThrow(), 16)) > 10,
                "the field that came later is decorated");
    }

    @org.junit.jupiter.api.io.TempDir
    java.nio.file.Path dir;

    /** Twelve declared fields, and entries named like {@code disk-*} that the form shows in a table. */
    private ParameterSchema withEntries() throws Exception {
        StringBuilder properties = new StringBuilder();
        for (int i = 1; i <= 12; i++) {
            properties.append(i == 1 ? "" : ", ").append("\"field").append(i).append("\": {\"type\": \"string\"}");
        }
        java.nio.file.Files.writeString(dir.resolve("input.json"), "{\"$schema\": \"https://json-schema.org/draft/2020-12/schema\", "
                + "\"type\": \"object\", \"properties\": {" + properties + "}, "
                + "\"patternProperties\": {\"^disk-[a-z]+$\": {\"type\": \"string\"}}, \"additionalProperties\": false}");
        return new org.kvmstudio.schema.ReleaseLoader(org.kvmstudio.schema.SchemaSource.directory(dir)).loadSchema("input.json");
    }

    @Test
    void entriesOfARootTableWrittenBeforeItExistsAreShownInItAndNotTwice() throws Exception {
        ParameterSchema schema = withEntries();
        shell = Gui.shell("two steps", 900, 700);
        shell.setLayout(new FillLayout());
        ParameterForm form = new ParameterForm(shell, schema);
        int[] changes = {0};
        form.addChangeListener(() -> changes[0]++);
        Parameters given = Parameters.of(Map.of("field1", "a", "field12", "l", "disk-data", "/dev/vdb"));
        form.setParameters(given);
        assertEquals(given.asMap(), form.parameters().asMap(), "the entry and the later field are read back before they exist");
        // an edit in the JSON tab before the later fields exist
        form.jsonText().setText("{\"field1\": \"a\", \"field12\": \"L\", \"disk-data\": \"/dev/vdc\"}");
        Parameters edited = Parameters.of(Map.of("field1", "a", "field12", "L", "disk-data", "/dev/vdc"));
        assertEquals(edited.asMap(), form.parameters().asMap());
        int before = changes[0];

        shell.open();
        Gui.pump(100);
        assertTrue(labelled("field12"), "made after the first paint");
        assertEquals(edited.asMap(), form.parameters().asMap(), "the table holds the entry once, the field its value");
        assertEquals("L", ((org.eclipse.swt.widgets.Text) form.controlAt("/field12").orElseThrow()).getText());
        assertEquals(before, changes[0], "making the later fields changes nothing a listener must hear of");
        assertTrue(form.valid().getValue(), form.problems().getValue().toString());
        assertTrue(form.jsonText().getText().contains("/dev/vdc"));
    }

    @Test
    void aFormClosedBeforeItsLaterFieldsAreMadeMakesNone() throws Exception {
        shell = Gui.shell("two steps", 900, 700);
        shell.setLayout(new FillLayout());
        ParameterForm form = new ParameterForm(shell, withEntries());
        form.control().dispose();
        // the pending step finds the form gone and makes nothing: making fields in it would throw out of the event loop
        org.junit.jupiter.api.Assertions.assertDoesNotThrow(() -> Gui.pump(100));
    }
}
