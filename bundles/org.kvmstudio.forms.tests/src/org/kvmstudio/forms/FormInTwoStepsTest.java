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
}
