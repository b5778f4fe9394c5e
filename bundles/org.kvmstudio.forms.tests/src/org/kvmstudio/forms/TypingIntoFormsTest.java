package org.kvmstudio.forms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.Map;

import org.eclipse.core.databinding.DataBindingContext;
import org.eclipse.jface.databinding.swt.DisplayRealm;
import org.eclipse.jface.databinding.swt.typed.WidgetProperties;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.testing.swt.Gui;


/**
 * A person types into the generated forms of the kvm release (real key and mouse events): a wrong
 * value is decorated at its field and disables Request, a right one clears both, and the form gives
 * parameters the schema accepts.
 */
class TypingIntoFormsTest {

    private Shell shell;
    private ParameterForm form;
    private Button request;

    private void open(String softwareType) throws Exception {
        LoadedRelease kvm = new KvmRelease().load();
        ParameterSchema schema = kvm.input(softwareType).orElseThrow();
        shell = Gui.shell("KVM Studio: " + softwareType, 900, 760);
        GridLayoutFactory.swtDefaults().applyTo(shell);
        form = new ParameterForm(shell, schema);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(form.control());
        request = new Button(shell, SWT.PUSH);
        request.setText("Request");
        // what the request editor does: Request is enabled exactly while the parameters are valid
        new DataBindingContext(DisplayRealm.getRealm(shell.getDisplay())).bindValue(WidgetProperties.enabled().observe(request), form.valid());
        shell.open();
        shell.forceActive();
        Gui.pump(200);
    }

    @AfterEach
    void close() {
        if (shell != null) {
            shell.dispose();
        }
    }

    private Text textAt(String pointer) {
        Control c = form.controlAt(pointer).orElseThrow(() -> new AssertionError("no input at " + pointer));
        return (Text) c;
    }

    @Test
    void aWrongRamSizeIsDecoratedAndDisablesRequestUntilItIsRight() throws Exception {
        open(KvmRelease.DEFAULT);
        Text ram = textAt("/ram-size");
        assertTrue(request.isEnabled(), "nothing given is valid: every default applies");
        int redBefore = Gui.redPixels(Gui.screenshot(ram, 16));

        Gui.typeInto(ram, "700");
        Gui.waitUntil("the form saw the typing", () -> "700".equals(ram.getText()));
        assertFalse(request.isEnabled(), "700 is not a multiple of 512");
        assertEquals("/ram-size", form.problems().getValue().get(0).pointer());
        assertTrue(form.problems().getValue().get(0).message().contains("multiple of 512"), form.problems().getValue().toString());
        Gui.pump(100);
        int redWrong = Gui.redPixels(Gui.screenshot(ram, 16));
        assertTrue(redWrong > redBefore + 10, "an error decoration appears beside the field (" + redBefore + " → " + redWrong + " red pixels)");
        Gui.save(shell, "form-kvm-invalid");

        Gui.clearFocused();
        Gui.type("2048");
        Gui.waitUntil("the form saw the typing", () -> "2048".equals(ram.getText()));
        assertTrue(request.isEnabled());
        assertTrue(form.problems().getValue().isEmpty());
        Gui.pump(100);
        assertTrue(Gui.redPixels(Gui.screenshot(ram, 16)) <= redBefore, "the decoration is gone");
        Parameters given = form.parameters();
        assertEquals(Parameters.of(Map.of("ram-size", BigInteger.valueOf(2048))), given);
        assertTrue(form.schema().validate(given).isEmpty());
        Gui.save(shell, "form-kvm");
    }

    @Test
    void upAndDownStepARamSizeByItsMultipleWithinItsBounds() throws Exception {
        open(KvmRelease.DEFAULT);
        Text ram = textAt("/ram-size");
        Gui.click(ram);
        Gui.waitUntil("focus", ram::isFocusControl);
        Gui.key((char) 0, SWT.ARROW_UP);
        Gui.waitUntil("a step up from the default", () -> "1536".equals(ram.getText()));
        Gui.key((char) 0, SWT.ARROW_DOWN);
        Gui.key((char) 0, SWT.ARROW_DOWN);
        Gui.key((char) 0, SWT.ARROW_DOWN);
        Gui.waitUntil("never below the minimum", () -> "512".equals(ram.getText()));
        assertTrue(request.isEnabled());
    }

    @Test
    void anImageUrlMakesTheChecksumRequiredAtItsFieldAndAnAnswerClearsIt() throws Exception {
        open(KvmRelease.NBD);
        Text url = textAt("/image-url");
        Text md5 = textAt("/image-md5sum");
        Gui.typeInto(url, "http://example.com/disk.img");
        Gui.waitUntil("typed", () -> url.getText().equals("http://example.com/disk.img"));
        assertFalse(request.isEnabled());
        assertEquals("/image-md5sum", form.problems().getValue().get(0).pointer());
        assertEquals("is required when image-url is given", form.problems().getValue().get(0).message());
        Gui.pump(100);
        assertTrue(Gui.redPixels(Gui.screenshot(md5, 16)) > 10, "the checksum's field is decorated");
        Gui.save(shell, "form-nbd-needs-checksum");

        Gui.typeInto(md5, "0123456789abcdef0123456789abcdef");
        Gui.waitUntil("valid", request::isEnabled);
        assertTrue(form.schema().validate(form.parameters()).isEmpty());
        assertEquals(2, form.parameters().size());
    }

    @Test
    void theJsonTabAndTheFormEditTheSameParameters() throws Exception {
        open(KvmRelease.DEFAULT);
        Text ram = textAt("/ram-size");
        Gui.typeInto(ram, "4096");
        Gui.waitUntil("typed", () -> form.jsonText().getText().contains("\"ram-size\" : 4096"));

        form.showJson(true);
        Gui.pump(50);
        form.jsonText().setText("{\"ram-size\": 1536, \"cpu-count\": 2}");
        Gui.pump(50);
        assertEquals("1536", ram.getText(), "the form follows the JSON text");
        assertEquals("2", textAt("/cpu-count").getText());
        assertTrue(request.isEnabled());

        form.jsonText().setText("{\"ram-size\": ");
        Gui.pump(50);
        assertFalse(request.isEnabled(), "text that is not JSON cannot be requested");
        assertTrue(form.problems().getValue().get(0).message().startsWith("the JSON text: not valid JSON"),
                form.problems().getValue().toString());
        assertEquals("1536", ram.getText(), "and the form keeps its last values");
    }

    @Test
    void aFrontendsKeyIsHiddenUntilShownNeededWithItsCertificateAndMaskedInTheJsonTab() throws Exception {
        open(KvmRelease.FRONTEND);
        Gui.typeInto(textAt("/domain"), "mydomain.com");
        Text certificate = textAt("/ssl_crt");
        Text key = textAt("/ssl_key");
        assertFalse(key.isVisible(), "a secret of several lines is hidden until shown");
        certificate.setText("-----BEGIN CERTIFICATE-----\nMIIBcert\n-----END CERTIFICATE-----\n");
        Gui.pump(50);
        assertFalse(request.isEnabled(), "a certificate needs its key");
        assertTrue(form.problems().getValue().stream().anyMatch(p -> p.pointer().equals("/ssl_key")), form.problems().getValue().toString());

        Button show = Gui.find(shell, Button.class, b -> "Show".equals(b.getText())).get(0);
        Gui.click(show);
        Gui.waitUntil("the key's input shown", key::isVisible);
        key.setText("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG-form-9931\n-----END PRIVATE KEY-----\n");
        Gui.pump(50);
        assertTrue(request.isEnabled(), form.problems().getValue().toString());
        assertFalse(form.jsonText().getText().contains("form-9931"), "the JSON tab masks it: " + form.jsonText().getText());
        assertEquals("-----BEGIN PRIVATE KEY-----\nMIGHAgEAMBMG-form-9931\n-----END PRIVATE KEY-----\n",
                form.parameters().get("ssl_key").orElseThrow(), "the form gives the key itself");
        Gui.save(shell, "frontend-form");
    }
}
