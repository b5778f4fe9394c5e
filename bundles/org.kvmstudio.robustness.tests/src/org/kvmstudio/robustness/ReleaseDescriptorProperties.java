package org.kvmstudio.robustness;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.SoftwareType;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.ReleaseLoader;
import org.kvmstudio.schema.SchemaSource;

/**
 * A release descriptor and its schemas opened from disk (as {@code kvmstudio request <path>} does):
 * hostile descriptors and schemas (wrong types, path tricks in references, {@code $ref} loops,
 * patterns that backtrack, secret fields), damaged JSON and special files; then hostile parameters
 * against whatever loaded.
 */
class ReleaseDescriptorProperties {

    @TempDir
    static Path dir;
    static List<Path> specialFiles;

    @BeforeAll
    static void setUp() throws Exception {
        specialFiles = SpecialFiles.create(Files.createDirectory(dir.resolve("special")));
    }

    private static final List<String> PATTERNS = List.of("^$|^(/[^ ]* ?)+$", "(a+)+$", "^(a|aa)*$", "^[0-9]{1,5}$",
            "(", "^https?://[^\\s#]+#[0-9A-Fa-f]{32}(\\r?\\nhttps?://[^\\s#]+#[0-9A-Fa-f]{32})*(\\r?\\n)?(?![\\s\\S])", "\\");

    @Test
    void descriptorsAndSchemas() throws Exception {
        new Boundary("release descriptors", 1500).accepting(0.2).run((h, c) -> {
            Path release = Files.createDirectories(dir.resolve("release-" + c.seed));
            Map<String, Object> descriptor = new LinkedHashMap<>();
            descriptor.put("name", h.chance(0.8) ? "hostile" : h.value(1));
            descriptor.put("serialisation", h.chance(0.8) ? "json-in-xml" : h.value(1));
            Map<String, Object> type = new LinkedHashMap<>();
            type.put("title", h.chance(0.8) ? "T" : h.value(1));
            type.put("request", h.chance(0.8) ? "input.json" : h.chance(0.5) ? h.string() : h.value(1));
            type.put("response", h.chance(0.5) ? "output.json" : h.string());
            type.put("shared", h.chance(0.8) ? (Object) h.chance(0.3) : h.value(1));
            descriptor.put("software-type", h.chance(0.9) ? Hostile.object(h.chance(0.8) ? "default" : h.key(List.of()), type) : h.value(2));
            write(release.resolve("software.cfg.json"), descriptor, h, c);
            if (h.chance(0.1)) {
                Files.deleteIfExists(release.resolve("input.json"));
                Files.createSymbolicLink(release.resolve("input.json"), h.oneOf(specialFiles));
            } else {
                write(release.resolve("input.json"), schema(h), h, c);
            }
            c.description = "release " + release.getFileName();
            // parameters for the schema the hostile author meant; planted secrets go where it declares them
            Map<String, Object> values = h.parameters(List.of("admin-password", "token", "path", "size", "choice", "ref"));
            String secret = "S3cr3t-" + Long.toHexString(c.seed);
            switch (h.below(5)) {
                case 0 -> values.put("token", secret);
                case 1 -> values.put("admin-password", h.chance(0.5) ? secret : (Object) List.of(secret));
                case 2 -> values.put("nested", Hostile.object("inner-password", secret));
                case 3 -> values.put("keys", Hostile.object("k1", secret));
                default -> values.put("either", Hostile.object("api-token", secret));
            }
            c.secret(secret);
            c.input(values);
            return () -> {
                LoadedRelease loaded = new ReleaseLoader(SchemaSource.directory(release))
                        .load(release.resolve("software.cfg.json").toUri().toString(), "software.cfg.json");
                c.messages.addAll(loaded.problems());
                for (SoftwareType t : loaded.release().types()) {
                    ParameterSchema input = loaded.input(t.id()).orElse(null);
                    if (input != null) {
                        c.problems.addAll(input.validate(input.coerceStrings(Parameters.of(values))));
                    }
                }
            };
        });
    }

    private static void write(Path file, Object content, Hostile h, Boundary.Case c) throws java.io.IOException {
        c.input(content);
        Files.write(file, h.chance(0.03) ? JsonText.deepText(10_000, h).getBytes(StandardCharsets.UTF_8)
                : h.chance(0.8) ? JsonText.write(content, h).getBytes(StandardCharsets.UTF_8)
                : JsonText.damaged(JsonText.write(content, h), h));
    }

    /** An input schema with a secret field, patterns, references and whatever else a hostile author writes. */
    private static Object schema(Hostile h) {
        Map<String, Object> properties = new LinkedHashMap<>();
        properties.put("admin-password", Hostile.object("type", "string", "minLength", 8L));
        properties.put("token", Hostile.object("type", h.chance(0.5) ? "string" : "integer", "secret", true));
        properties.put("path", Hostile.object("type", "string", "pattern", h.oneOf(PATTERNS)));
        properties.put("size", Hostile.object("type", "integer", "minimum", h.chance(0.8) ? (Object) 1L : h.number(),
                "default", h.chance(0.8) ? (Object) 10L : h.value(1)));
        properties.put("choice", Hostile.object("enum", h.list(1)));
        properties.put("ref", Hostile.object("$ref", h.chance(0.5) ? "#/definitions/a" : h.oneOf(List.of("../../etc/passwd",
                "/etc/passwd", "http://127.0.0.1/x.json", "#/definitions/missing", "output.json#/x", "#", "x.json"))));
        for (int n = h.below(3); n > 0; n--) {
            properties.put(h.key(List.of()), h.chance(0.5) ? Hostile.object("type", h.value(0)) : h.value(2));
        }
        Map<String, Object> schema = new LinkedHashMap<>();
        if (h.chance(0.5)) {
            schema.put("$schema", h.chance(0.7) ? "http://json-schema.org/draft-07/schema#" : h.value(0));
        }
        schema.put("type", h.chance(0.9) ? "object" : h.value(1));
        schema.put("properties", h.chance(0.95) ? properties : h.value(2));
        schema.put("definitions", h.chance(0.1)
                ? Hostile.object("a", Hostile.object("$ref", h.chance(0.5) ? "#/definitions/b" : "#/definitions/a"),
                        "b", Hostile.object("$ref", "#/definitions/a")) // a loop: refused when it loads
                : Hostile.object("a", Hostile.object("type", "string", "maxLength", 64L), "b", Hostile.object("$ref", "#/definitions/a")));
        // secrets where a form hides them too: nested, under a pattern, in one branch of a oneOf
        properties.put("nested", Hostile.object("type", "object", "properties",
                Hostile.object("inner-password", Hostile.object("type", "string", "minLength", 40L, "pattern", "^[a-f]+$"))));
        properties.put("keys", Hostile.object("type", "object", "patternProperties",
                Hostile.object("^k", Hostile.object("type", "integer", "secret", true))));
        properties.put("either", Hostile.object("oneOf", List.of(Hostile.object("type", "integer"),
                Hostile.object("type", "object", "properties", Hostile.object("api-token", Hostile.object("type", "integer"))))));
        if (h.chance(0.3)) {
            schema.put("patternProperties", Hostile.object(h.oneOf(PATTERNS), Hostile.object("type", "string")));
        }
        if (h.chance(0.3)) {
            schema.put("dependentRequired", Hostile.object("path", List.of("size", "choice")));
        }
        if (h.chance(0.2)) {
            schema.put("additionalProperties", h.value(1));
        }
        return schema;
    }
}
