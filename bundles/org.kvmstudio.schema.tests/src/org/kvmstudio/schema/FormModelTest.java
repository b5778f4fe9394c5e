package org.kvmstudio.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.model.Parameters;

/** What the field model gives the GUI's generated forms, on schemas as SlapOS releases write them. */
class FormModelTest {

    @TempDir
    Path dir;

    private ParameterSchema schema(String json) throws Exception {
        return OneSchema.load(dir, json);
    }

    @Test
    void aPasswordFlagAndAPublicKeyAreNotSecretsWhileAPasswordIs() throws Exception {
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"use-password": {"type": "boolean"}, "ssh-public-key": {"type": "string"},
                 "admin-password": {"type": "string"}, "vnc_key": {}}}""");
        assertFalse(s.root().property("use-password").orElseThrow().secret(), "a flag hides nothing");
        assertFalse(s.root().property("ssh-public-key").orElseThrow().secret(), "a public key is public");
        assertTrue(s.root().property("admin-password").orElseThrow().secret());
        assertTrue(s.root().property("vnc_key").orElseThrow().secret());
    }

    @Test
    void aPropertyOnlyAnIfBranchDeclaresIsAFieldOfTheFormAndKeepsItsOwnDescriptionElsewhere() throws Exception {
        ParameterSchema s = schema("""
                {"$schema": "http://json-schema.org/draft-07/schema#", "type": "object",
                 "properties": {"image-url": {"type": "string"}, "disk-type": {"enum": ["virtio", "ide"]}},
                 "if": {"required": ["image-url"]},
                 "then": {"properties": {"image-md5sum": {"type": "string", "pattern": "^[0-9a-f]{32}$"},
                                         "disk-type": {"const": "virtio"}}, "required": ["image-md5sum"]}}""");
        Field md5 = s.root().property("image-md5sum").orElseThrow();
        assertEquals("^[0-9a-f]{32}$", md5.pattern().orElseThrow());
        assertFalse(md5.required(), "required only when an image URL is given");
        assertEquals(2, s.root().property("disk-type").orElseThrow().choices().size(), "the branch's const is not the field's only choice");
        assertEquals("/image-md5sum", s.validate(Parameters.of(Map.of("image-url", "http://x/y"))).get(0).pointer());
    }

    @Test
    void aDraft3ExtendsIsReadAsAllOfAndAMissingFileItNamesIsAProblemNotSilence() throws Exception {
        Files.writeString(dir.resolve("base.json"), "{\"properties\": {\"ram-size\": {\"type\": \"integer\", \"minimum\": 512}}}");
        ParameterSchema s = schema("""
                {"type": "object", "extends": "base.json", "properties": {"name": {"type": "string"}}}""");
        assertTrue(s.root().property("ram-size").isPresent(), "the base's fields are the form's");
        assertEquals("/ram-size", s.validate(Parameters.of(Map.of("ram-size", 1))).get(0).pointer());
        assertTrue(s.warnings().stream().anyMatch(w -> w.contains("\"extends\" (draft-03) read as \"allOf\"")), s.warnings().toString());
        SchemaLoadException missing = org.junit.jupiter.api.Assertions.assertThrows(SchemaLoadException.class,
                () -> schema("{\"type\": \"object\", \"extends\": \"gone.json\"}"));
        assertTrue(missing.getMessage().contains("gone.json"), missing.getMessage());
    }

    @Test
    void aValueMatchingNoBranchIsToldWhatTheBranchItFitsBestLacksNotEveryBranchsErrors() throws Exception {
        ParameterSchema s = schema("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"boot": {"oneOf": [
                  {"type": "object", "properties": {"kind": {"const": "nbd"}, "host": {"type": "string"}, "port": {"type": "integer"}},
                   "required": ["kind", "host", "port"], "additionalProperties": false},
                  {"type": "object", "properties": {"kind": {"const": "url"}, "url": {"type": "string"}, "md5": {"type": "string"}},
                   "required": ["kind", "url", "md5"], "additionalProperties": false}]}}}""");
        var problems = s.validate(Parameters.of(Map.of("boot", Map.of("kind", "url", "url", "http://x/y"))));
        assertEquals(1, problems.size(), problems.toString());
        assertEquals("/boot/md5", problems.get(0).pointer());
        assertEquals("is required but missing", problems.get(0).message());
        var nbd = s.validate(Parameters.of(Map.of("boot", Map.of("kind", "nbd", "host", "::1", "port", "x"))));
        assertEquals("/boot/port", nbd.get(0).pointer(), nbd.toString());
        assertEquals(1, nbd.size(), nbd.toString());
    }

    @Test
    void twoPatternPropertiesOfOneObjectAreTwoFieldsAndAConcretePointerFindsEach() throws Exception {
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"disks": {"type": "object", "patternProperties": {
                  "^[a-z]+$": {"type": "object", "properties": {"size": {"type": "integer"}}},
                  "^[0-9]+$": {"type": "string", "title": "numbered"}}}}}""");
        Field disks = s.root().property("disks").orElseThrow();
        var pointers = disks.patternProperties().values().stream().map(Field::pointer).toList();
        assertEquals(2, pointers.stream().distinct().count(), pointers.toString());
        assertEquals("/disks/{^[a-z]+$}/size", s.fieldAt("/disks/data/size").orElseThrow().pointer());
        assertEquals("numbered", s.fieldAt("/disks/42").orElseThrow().title());
        assertTrue(s.fieldAt("/disks/Data").isEmpty(), "no pattern matches a capital");
        assertTrue(s.fieldAt("/nowhere").isEmpty());
    }

    @Test
    void eachItemOfAListIsToldOfTheBranchItFitsNotOfAnotherItemsBranch() throws Exception {
        ParameterSchema s = schema("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object", "properties": {"disks": {"type": "array",
                  "items": {"oneOf": [
                    {"type": "object", "properties": {"kind": {"const": "nbd"}, "port": {"type": "integer"}}, "required": ["kind", "port"]},
                    {"type": "object", "properties": {"kind": {"const": "url"}, "url": {"type": "string"}}, "required": ["kind", "url"]}]}}}}""");
        var problems = s.validate(Parameters.of(Map.of("disks", java.util.List.of(Map.of("kind", "nbd"), Map.of("kind", "url")))));
        assertEquals(java.util.List.of("/disks/0/port", "/disks/1/url"), problems.stream().map(p -> p.pointer()).sorted().toList(),
                problems.toString());
    }

    @Test
    void oneSchemaFileOpensAsAReleaseOfOneDefaultType() throws Exception {
        Path file = dir.resolve("my-input.json");
        Files.writeString(file, """
                {"title": "My service", "type": "object", "properties": {"size": {"type": "integer", "minimum": 1}}}""");
        LoadedRelease release = ReleaseLoader.openSchema(file, file.toUri().toString());
        assertEquals("My service", release.release().types().get(0).title());
        ParameterSchema input = release.inputFor("default", false);
        assertEquals("/size", input.validate(Parameters.of(Map.of("size", 0))).get(0).pointer());
        assertTrue(release.problems().isEmpty());
    }
}
