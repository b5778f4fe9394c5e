package org.kvmstudio.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.kvmstudio.model.InvalidRequestException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;

/** The engine on small schemas written for the purpose. */
class SchemaEngineTest {

    @TempDir
    Path dir;

    private static final String COMMON = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema",
             "$defs": {"shared": {"type": "object", "properties": {
               "nbd-host": {"type": "string", "title": "NBD host", "aliases": ["nbd-ip", "ndb_ip"]},
               "nbd-port": {"type": "integer", "default": 1024, "minimum": 1, "maximum": 65535, "aliases": ["ndb_port"]},
               "disk-type": {"type": "string", "default": "virtio", "oneOf": [
                   {"const": "virtio", "title": "VirtIO"}, {"const": "ide", "title": "IDE (legacy)"}]},
               "boot-image-url-list": {"type": "string", "textarea": true},
               "vnc-password": {"type": "string"},
               "token-ish": {"type": "string", "secret": true},
               "nat-rules": {"type": "array", "items": {"type": "integer", "minimum": 1}, "default": [22, 80]},
               "external-disk": {"type": "object", "additionalProperties": false,
                   "patternProperties": {"^[a-z]+$": {"type": "object", "properties": {"path": {"type": "string"}},
                                                        "required": ["path"]}}}
             }}}}
            """;

    private static final String TYPE = """
            {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
             "properties": {"ram-size": {"type": "integer", "title": "RAM", "default": 1024, "minimum": 512,
                                         "multipleOf": 512, "description": "in MB"}},
             "required": ["ram-size"],
             "unevaluatedProperties": false,
             "allOf": [{"$ref": "./common.json#/$defs/shared"}]}
            """;

    private ParameterSchema typeSchema() throws Exception {
        write("common.json", COMMON);
        write("type.json", TYPE);
        return new ReleaseLoader(SchemaSource.directory(dir)).loadSchema("type.json");
    }

    @Test
    void fieldModelFoldsAllOfAndCrossFileRefs() throws Exception {
        Field root = typeSchema().root();
        assertEquals(List.of("ram-size", "nbd-host", "nbd-port", "disk-type", "boot-image-url-list", "vnc-password",
                "token-ish", "nat-rules", "external-disk"), root.properties().stream().map(Field::name).toList());
        assertTrue(root.closed());
        Field ram = root.property("ram-size").orElseThrow();
        assertEquals(FieldType.INTEGER, ram.type());
        assertEquals("RAM", ram.title());
        assertEquals("in MB", ram.description());
        assertTrue(ram.required());
        assertEquals(new BigDecimal("512"), ram.minimum().orElseThrow());
        assertEquals(new BigDecimal("512"), ram.multipleOf().orElseThrow());
        assertEquals(1024L, ram.defaultValue().orElseThrow());
        assertEquals("/ram-size", ram.pointer());
        assertFalse(root.property("nbd-host").orElseThrow().required());
    }

    @Test
    void fieldModelKnowsChoicesTextareasSecretsAliasesArraysAndPatternProperties() throws Exception {
        Field root = typeSchema().root();
        Field diskType = root.property("disk-type").orElseThrow();
        assertEquals(List.of(new Field.Choice("virtio", "VirtIO"), new Field.Choice("ide", "IDE (legacy)")), diskType.choices());
        assertTrue(diskType.variants().isEmpty(), "const choices are an enum, not variants");
        assertTrue(root.property("boot-image-url-list").orElseThrow().textarea());
        assertTrue(root.property("vnc-password").orElseThrow().secret(), "recognised by name");
        assertTrue(root.property("token-ish").orElseThrow().secret(), "marked secret");
        assertFalse(root.property("nbd-host").orElseThrow().secret());
        assertEquals(List.of("nbd-ip", "ndb_ip"), root.property("nbd-host").orElseThrow().aliases());
        Field nat = root.property("nat-rules").orElseThrow();
        assertEquals(FieldType.ARRAY, nat.type());
        assertEquals(FieldType.INTEGER, nat.items().orElseThrow().type());
        Field disks = root.property("external-disk").orElseThrow();
        Field disk = disks.patternProperties().get("^[a-z]+$");
        assertTrue(disk.property("path").orElseThrow().required());
        assertTrue(disks.closed());
    }

    @Test
    void defaultsAreTheTopLevelDefaultsAndValidate() throws Exception {
        ParameterSchema s = typeSchema();
        assertEquals(Parameters.of(Map.of("ram-size", 1024, "nbd-port", 1024, "disk-type", "virtio", "nat-rules", List.of(22, 80))),
                s.defaults());
        assertEquals(List.of(), s.validate(s.defaults()));
        Parameters given = Parameters.of(Map.of("ram-size", 2048));
        assertEquals(2048L, s.withDefaults(given).get("ram-size").orElseThrow());
        assertEquals(1024L, s.withDefaults(given).get("nbd-port").orElseThrow());
    }

    @Test
    void problemsNameThePointerInPlainWords() throws Exception {
        ParameterSchema s = typeSchema();
        List<ParameterProblem> problems = s.validate(Parameters.of(Map.of("ram-size", 1000, "nbd-port", "x",
                "external-disk", Map.of("sda", Map.of()), "nat-rules", List.of(0), "surprise", 1)));
        assertTrue(problems.contains(new ParameterProblem("/ram-size", "must be a multiple of 512, not 1000")), problems.toString());
        assertTrue(problems.contains(new ParameterProblem("/nbd-port", "must be an integer, not the text \"x\"")), problems.toString());
        assertTrue(problems.contains(new ParameterProblem("/external-disk/sda/path", "is required but missing")), problems.toString());
        assertTrue(problems.contains(new ParameterProblem("/nat-rules/0", "must be at least 1, not 0")), problems.toString());
        assertTrue(problems.contains(new ParameterProblem("/surprise", "is not a parameter of this software type")), problems.toString());
        assertEquals(5, problems.size(), "one problem per wrong parameter: " + problems);
        assertTrue(s.validate(Parameters.of(Map.of())).contains(new ParameterProblem("/ram-size", "is required but missing")));
    }

    @Test
    void aliasesBecomeTheCanonicalName() throws Exception {
        ParameterSchema s = typeSchema();
        Parameters seed = Parameters.of(Map.of("ram-size", 1024, "ndb_ip", "2a01:e35::1", "ndb_port", 1024));
        Parameters canonical = s.canonicalize(seed);
        assertEquals(Parameters.of(Map.of("ram-size", 1024, "nbd-host", "2a01:e35::1", "nbd-port", 1024)), canonical);
        assertEquals(List.of(), s.validate(canonical));
        assertFalse(s.validate(seed).isEmpty(), "an alias is not valid before canonicalisation");
        assertEquals("::1", s.canonicalize(Parameters.of(Map.of("nbd-ip", "::1"))).get("nbd-host").orElseThrow());
        // the same value under both names is fine; two different ones are refused, naming the alias
        assertEquals(Parameters.of(Map.of("nbd-host", "a")), s.canonicalize(Parameters.of(Map.of("nbd-host", "a", "nbd-ip", "a"))));
        InvalidParametersException e = assertThrows(InvalidParametersException.class,
                () -> s.canonicalize(Parameters.of(Map.of("nbd-host", "a", "ndb_ip", "b"))));
        assertEquals("/ndb_ip", e.problems().get(0).pointer());
    }

    @Test
    void textValuesAreReadAsTheirFieldsType() throws Exception {
        ParameterSchema s = typeSchema();
        Parameters coerced = s.coerceStrings(Parameters.of(Map.of("ram-size", "2048", "nat-rules", "[22, 443]",
                "nbd-host", "1024", "nbd-port", "many")));
        assertEquals(2048L, coerced.get("ram-size").orElseThrow());
        assertEquals(List.of(22L, 443L), coerced.get("nat-rules").orElseThrow());
        assertEquals("1024", coerced.get("nbd-host").orElseThrow(), "a string field stays a string");
        assertEquals("many", coerced.get("nbd-port").orElseThrow(), "left for validation to report");
    }

    @Test
    void draft03IdiomsAreUpgradedAndSaidSo() throws Exception {
        write("old.json", """
                {"properties": {"url": {"type": "uri", "required": true},
                                "host": {"type": "string", "format": ["host-name", "ip-address"]},
                                "size": {"type": "integer", "minimum": 1, "exclusiveMinimum": true}}}
                """);
        ParameterSchema s = new ReleaseLoader(SchemaSource.directory(dir)).loadSchema("old.json");
        Field url = s.root().property("url").orElseThrow();
        assertEquals(FieldType.STRING, url.type());
        assertEquals("uri", url.format().orElseThrow());
        assertTrue(url.required());
        assertEquals(new BigDecimal("1"), s.root().property("size").orElseThrow().exclusiveMinimum().orElseThrow());
        assertEquals(3, s.warnings().size(), s.warnings().toString());
        assertTrue(s.validate(Parameters.of(Map.of())).contains(new ParameterProblem("/url", "is required but missing")));
        assertTrue(s.validate(Parameters.of(Map.of("url", "x", "size", 1)))
                .contains(new ParameterProblem("/size", "must be more than 1, not 1")), "draft-04 exclusiveMinimum");
        assertEquals(List.of(), s.validate(Parameters.of(Map.of("url", "https://example.com/", "host", "example.com"))));
        assertFalse(s.validate(Parameters.of(Map.of("url", "https://example.com/", "host", "not a host!"))).isEmpty());
    }

    @Test
    void referencesCannotLeaveTheReleaseNorReachTheNetwork() throws Exception {
        Files.createDirectories(dir.resolve("release"));
        write("secret.json", "{\"$defs\": {\"x\": {}}}");
        write("release/escape.json", "{\"allOf\": [{\"$ref\": \"../secret.json#/$defs/x\"}]}");
        write("release/remote.json", "{\"allOf\": [{\"$ref\": \"https://example.com/s.json\"}]}");
        write("release/dangling.json", "{\"allOf\": [{\"$ref\": \"#/$defs/nothing\"}]}");
        ReleaseLoader loader = new ReleaseLoader(SchemaSource.directory(dir.resolve("release")));
        assertTrue(assertThrows(SchemaLoadException.class, () -> loader.loadSchema("escape.json")).getMessage()
                .contains("leaves the release's folder"));
        assertTrue(assertThrows(SchemaLoadException.class, () -> loader.loadSchema("remote.json")).getMessage()
                .contains("names another site"));
        // wherever a $ref sits: the validator would resolve classpath: and resource: on its own
        write("release/hidden.json", "{\"not\": {\"$ref\": \"resource:META-INF/MANIFEST.MF\"}}");
        assertTrue(assertThrows(SchemaLoadException.class, () -> loader.loadSchema("hidden.json")).getMessage()
                .contains("names another site"));
        write("release/badpointer.json", "{\"allOf\": [{\"$ref\": \"#/$defs/a%\"}]}");
        assertTrue(assertThrows(SchemaLoadException.class, () -> loader.loadSchema("badpointer.json")).getMessage()
                .contains("not a valid JSON pointer"));
        SchemaLoadException dangling = assertThrows(SchemaLoadException.class, () -> loader.loadSchema("dangling.json"));
        assertTrue(dangling.getMessage().contains("dangling.json") && dangling.getMessage().contains("points to nothing"),
                dangling.getMessage());
    }

    @Test
    void brokenFilesAreReportedWithTheirPathAndLine() throws Exception {
        write("software.cfg.json", """
                {"name": "T", "software-type": {
                  "good": {"request": "type.json", "index": 1},
                  "broken": {"request": "broken.json", "index": 0},
                  "missing": {"request": "missing.json", "index": 2}}}
                """);
        write("common.json", COMMON);
        write("type.json", TYPE);
        write("broken.json", "{\n  \"type\": \"object\",\n  \"properties\": {\n}");
        LoadedRelease r = new ReleaseLoader(SchemaSource.directory(dir)).load("t", "software.cfg.json");
        assertEquals(List.of("broken", "good", "missing"), r.release().types().stream().map(t -> t.id()).toList());
        assertTrue(r.input("good").isPresent());
        assertEquals(2, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).startsWith("broken: " + dir.resolve("broken.json") + ": not valid JSON"), r.problems().get(0));
        assertTrue(r.problems().get(0).contains("line 4"), r.problems().get(0));
        assertEquals("missing: " + dir.resolve("missing.json") + ": file not found", r.problems().get(1));
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> r.inputFor("broken", false));
        assertTrue(e.getMessage().contains("not valid JSON"), e.getMessage());
        e = assertThrows(InvalidRequestException.class, () -> r.inputFor("nope", false));
        assertTrue(e.getMessage().contains("has no software type \"nope\""), e.getMessage());
        write("software.cfg.json", "{\"name\": \"no types\"}");
        assertThrows(SchemaLoadException.class, () -> new ReleaseLoader(SchemaSource.directory(dir)).load("t", "software.cfg.json"));
    }

    private void write(String name, String content) throws IOException {
        Files.writeString(dir.resolve(name), content);
    }
}
