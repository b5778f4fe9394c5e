package org.kvmstudio.forms.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Shell;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.forms.ParameterForm;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.ReleaseLoader;
import org.kvmstudio.schema.SchemaSource;
import org.kvmstudio.testing.swt.Gui;

/** Each kind of field gets the editor its schema calls for, and gives back what was written into it. */
class EditorsTest {

    @TempDir
    Path dir;
    private Shell shell;

    private ParameterForm form(String json) throws Exception {
        Files.writeString(dir.resolve("input.json"), json);
        ParameterSchema schema = new ReleaseLoader(SchemaSource.directory(dir)).loadSchema("input.json");
        shell = Gui.shell("form", 900, 800);
        shell.setLayout(new FillLayout());
        ParameterForm form = new ParameterForm(shell, schema);
        shell.open();
        return form;
    }

    @AfterEach
    void close() {
        if (shell != null) {
            shell.dispose();
        }
    }

    private static final String SCHEMA = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {
              "admin-password": {"type": "string", "title": "Admin password"},
              "nat-rules": {"type": "array", "items": {"type": "integer"}, "default": [22, 80]},
              "external-disk": {"type": "object", "patternProperties": {"^[a-z]+$": {"type": "object",
                  "properties": {"size": {"type": "integer"}}}}, "additionalProperties": false},
              "boot": {"type": "object", "properties": {"name": {"type": "string"}}, "oneOf": [
                  {"title": "From NBD", "properties": {"kind": {"const": "nbd"}, "port": {"type": "integer"}}, "required": ["kind", "port"]},
                  {"title": "From a URL", "properties": {"kind": {"const": "url"}, "url": {"type": "string"}}, "required": ["kind", "url"]}]},
              "rules": {"type": "array", "items": {"type": "object", "properties": {"port": {"type": "integer"}}}},
              "use-password": {"type": "boolean", "default": true},
              "mode": {"enum": ["a", "b"], "enumTitles": ["Mode A", "Mode B"], "default": "a"},
              "anything": {}}}""";

    @Test
    void everyKindOfFieldReadsBackWhatIsWritten() throws Exception {
        ParameterForm form = form(SCHEMA);
        Parameters given = Parameters.of(Map.of(
                "admin-password", "hunter2",
                "nat-rules", List.of(BigInteger.valueOf(22), BigInteger.valueOf(8080)),
                "external-disk", Map.of("data", Map.of("size", BigInteger.TEN)),
                "boot", Map.of("name", "first", "kind", "url", "url", "http://x/y"),
                "rules", List.of(Map.of("port", BigInteger.ONE)),
                "use-password", false,
                "mode", "b",
                "anything", "free text"));
        form.setParameters(given);
        assertEquals(given, form.parameters());
        assertTrue(form.valid().getValue(), form.problems().getValue().toString());

        assertInstanceOf(Table.class, form.controlAt("/external-disk").orElseThrow(), "pattern properties are a name/value table");
        assertInstanceOf(org.eclipse.swt.widgets.List.class, form.controlAt("/nat-rules").orElseThrow());
        Combo boot = (Combo) form.controlAt("/boot").orElseThrow();
        assertEquals("From a URL", boot.getText(), "the variant the value was written for is chosen");
        Combo mode = (Combo) form.controlAt("/mode").orElseThrow();
        assertEquals("Mode B", mode.getText());
        assertEquals("(default: Mode A)", mode.getItem(0), "the empty first choice names the default");
        assertTrue(((Text) form.controlAt("/rules").orElseThrow()).getText().contains("\"port\""), "a list of objects is JSON");
    }

    @Test
    void aSecretIsMaskedUntilRevealedAndAFlagNamedLikeOneIsNot() throws Exception {
        ParameterForm form = form(SCHEMA);
        Text password = (Text) form.controlAt("/admin-password").orElseThrow();
        char mask = password.getEchoChar();
        assertTrue(mask != '\0', "masked");
        Button reveal = (Button) ((Composite) password.getParent()).getChildren()[1];
        reveal.setSelection(true);
        reveal.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
        assertEquals('\0', password.getEchoChar());
        reveal.setSelection(false);
        reveal.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
        assertEquals(mask, password.getEchoChar(), "masked again");
        assertInstanceOf(Button.class, form.controlAt("/use-password").orElseThrow(), "a boolean is a check box, not a masked text");

        form.setParameters(Parameters.of(Map.of("admin-password", "hunter2", "mode", "b")));
        assertFalse(form.jsonText().getText().contains("hunter2"), "the JSON tab masks it: " + form.jsonText().getText());
        form.jsonText().setText(form.jsonText().getText().replace("\"b\"", "\"a\""));
        assertEquals("a", form.parameters().get("mode").orElseThrow(), "an edit in the JSON tab is taken");
        assertEquals("hunter2", form.parameters().get("admin-password").orElseThrow(), "the masked secret keeps its value");
    }

    @Test
    void editsInTheWidgetsGiveTheValuesTyped() throws Exception {
        ParameterForm form = form("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "required": ["flag"],
                 "properties": {
                  "flag": {"type": "boolean"},
                  "extra": {"type": "object"},
                  "boot": {"type": "object", "properties": {"size": {"type": "integer"}}, "oneOf": [
                      {"title": "Big", "properties": {"size": {"minimum": 10}, "big": {"type": "boolean"}}, "required": ["big"]},
                      {"title": "Small", "properties": {"size": {"maximum": 9}}}]}}}""");
        Map<String, Object> extra = Map.of("port", "8080", "on", "true", "n", BigInteger.TEN);
        form.setParameters(Parameters.of(Map.of("flag", true, "extra", extra,
                "boot", Map.of("size", BigInteger.valueOf(20), "big", true))));
        assertEquals(Parameters.of(Map.of("extra", extra)).get("extra").orElseThrow(), form.parameters().get("extra").orElseThrow(),
                "entries keep their types until edited");

        Button flag = (Button) form.controlAt("/flag").orElseThrow();
        flag.setSelection(false);
        flag.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
        assertEquals(Boolean.FALSE, form.parameters().get("flag").orElseThrow(), "a required flag with no default can be false");

        Text size = (Text) form.controlAt("/boot/size").orElseThrow();
        assertEquals(1, Gui.find(shell, Text.class, t -> t.getText().equals("20")).size(), "one input for a name both declare");
        size.setText("30");
        assertEquals(30L, ((Number) ((Map<?, ?>) form.parameters().get("boot").orElseThrow()).get("size")).longValue(),
                "what is typed is what is sent");
    }

    @Test
    void aSectionGivenANonObjectKeepsItUntilOneOfItsFieldsIsFilledIn() throws Exception {
        ParameterForm form = form("""
                {"type": "object", "properties": {"net": {"type": "object", "properties": {"ip": {"type": "string"}}}}}""");
        form.setParameters(Parameters.of(Map.of("net", "oops")));
        assertEquals("oops", form.parameters().get("net").orElseThrow(), "kept, for the schema to report");
        assertFalse(form.valid().getValue());
        ((Text) form.controlAt("/net/ip").orElseThrow()).setText("10.0.0.1");
        assertEquals(Map.of("ip", "10.0.0.1"), form.parameters().get("net").orElseThrow(), "the edit is what is sent");
        assertTrue(form.valid().getValue());
    }

    @Test
    void aHugeNumberIsAProblemAtOnceNotAFrozenWindow() throws Exception {
        ParameterForm form = form("""
                {"type": "object", "properties": {"ratio": {"type": "number"}}}""");
        long started = System.nanoTime();
        ((Text) form.controlAt("/ratio").orElseThrow()).setText("1e999999999");
        assertTrue(System.nanoTime() - started < 2_000_000_000L, "answered at once");
        assertFalse(form.valid().getValue());
        assertTrue(form.problems().getValue().get(0).message().contains("out of range"), form.problems().getValue().toString());
    }

    @Test
    void choosingAnotherVariantSwapsItsFieldsAndKeepsTheSharedOnes() throws Exception {
        ParameterForm form = form(SCHEMA);
        form.setParameters(Parameters.of(Map.of("boot", Map.of("name", "first", "kind", "nbd", "port", BigInteger.TEN))));
        Combo boot = (Combo) form.controlAt("/boot").orElseThrow();
        assertEquals("From NBD", boot.getText());
        assertTrue(form.controlAt("/boot/port").isPresent());
        boot.select(2);
        boot.notifyListeners(org.eclipse.swt.SWT.Selection, new org.eclipse.swt.widgets.Event());
        assertFalse(form.controlAt("/boot/port").isPresent(), "the NBD fields are gone");
        assertTrue(form.controlAt("/boot/url").isPresent());
        assertEquals("first", ((Text) form.controlAt("/boot/name").orElseThrow()).getText(), "the shared field keeps its value");
        assertEquals("url", ((Map<?, ?>) form.parameters().get("boot").orElseThrow()).get("kind"), "the chosen variant's constant is given");
        assertFalse(form.valid().getValue(), "the URL variant's url is required");
        assertTrue(form.problems().getValue().stream().anyMatch(p -> p.pointer().equals("/boot/url")), form.problems().getValue().toString());
        assertTrue(form.problems().getValue().stream().noneMatch(p -> p.pointer().equals("/boot/port")),
                "only the chosen variant's problems are said: " + form.problems().getValue());
    }

    @Test
    void aParameterNoFieldShowsIsKeptAndReportedAndAKeywordTheFormCannotShowFallsBackToJson() throws Exception {
        ParameterForm form = form("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "unevaluatedProperties": false,
                 "properties": {"odd": {"type": ["string", "integer"], "x-unknown-keyword": 1}}}""");
        form.setParameters(Parameters.of(Map.of("odd", BigInteger.TWO, "stray", "x")));
        assertEquals(Parameters.of(Map.of("odd", BigInteger.TWO, "stray", "x")), form.parameters(), "nothing is lost");
        assertEquals("/stray", form.problems().getValue().get(0).pointer());
        Control odd = form.controlAt("/odd").orElseThrow();
        assertInstanceOf(Text.class, odd);
        String note = ((Composite) odd.getParent()).getChildren()[1].toString();
        assertTrue(note.contains("Edited as JSON"), note);
    }
}
