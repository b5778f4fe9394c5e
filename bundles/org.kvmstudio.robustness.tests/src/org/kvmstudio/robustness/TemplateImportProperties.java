package org.kvmstudio.robustness;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.core.Studio;
import org.kvmstudio.release.kvm.KvmRelease;

/**
 * Template files a user imports from elsewhere: a well-formed envelope holding hostile values in every
 * field, damaged JSON, and files that are not files. A refused import writes nothing.
 */
class TemplateImportProperties {

    @TempDir
    static Path dir;
    static List<Path> specialFiles;
    static Studio studio;
    static List<Schemas.UnderTest> kvmTypes;

    @BeforeAll
    static void setUp() throws Exception {
        specialFiles = SpecialFiles.create(Files.createDirectory(dir.resolve("special")));
        studio = Studio.open(dir.resolve("ws"), Clock.systemUTC());
        studio.releases().add(new KvmRelease());
        kvmTypes = Schemas.all().stream().filter(s -> s.label().startsWith("kvm ")).toList();
    }

    @AfterAll
    static void tearDown() throws IOException {
        studio.close();
    }

    @Test
    void imports() throws Exception {
        new Boundary("template import", 1500).accepting(0.05).watching(() -> dir.resolve("ws")).run((h, c) -> {
            Path file = h.chance(0.1) ? h.oneOf(specialFiles) : templateFile(h, c);
            c.description = file.getFileName().toString();
            boolean replace = h.chance(0.5);
            return () -> studio.templates().importFrom(file, replace);
        });
        // what was accepted is read back: nothing saved is set aside as unreadable at the next start
        int saved = studio.templates().templates().size();
        studio.close();
        try (org.kvmstudio.workspace.Workspace reopened = org.kvmstudio.workspace.Workspace.open(dir.resolve("ws"))) {
            org.junit.jupiter.api.Assertions.assertEquals(List.of(), reopened.loadProblems());
            org.junit.jupiter.api.Assertions.assertEquals(saved, reopened.templates().size());
        }
        studio = Studio.open(dir.resolve("ws"), Clock.systemUTC());
        studio.releases().add(new KvmRelease());
    }

    private static Path templateFile(Hostile h, Boundary.Case c) throws IOException {
        Schemas.UnderTest type = h.oneOf(kvmTypes);
        if (h.chance(0.4)) {
            return cleanTemplateFile(h, c, type);
        }
        Map<String, Object> template = new LinkedHashMap<>();
        template.put("name", h.chance(0.7) ? "t-" + c.seed : h.value(1));
        template.put("description", h.chance(0.5) ? "" : h.value(1));
        template.put("releaseUri", h.chance(0.8) ? "kvm" : h.value(1));
        template.put("softwareType", h.chance(0.8) ? type.label().substring(4) : h.value(1));
        template.put("shared", h.chance(0.8) ? (Object) h.chance(0.2) : h.value(1));
        Map<String, Object> parameters = h.parameters(type.names());
        template.put("parameters", h.chance(0.9) ? parameters : h.value(2));
        if (h.chance(0.1)) {
            template.remove(h.oneOf(List.copyOf(template.keySet())));
        }
        if (h.chance(0.05)) {
            template.put(h.key(List.of()), h.value(1));
        }
        Map<String, Object> envelope = new LinkedHashMap<>();
        envelope.put("format", h.chance(0.9) ? (Object) 1L : h.value(1));
        envelope.put("template", h.chance(0.95) ? template : h.value(2));
        return write(h, c, envelope, h.chance(0.05));
    }

    /** A template as KVM Studio exports one, its parameters the type's defaults with at most one hostile value: mostly accepted. */
    private static Path cleanTemplateFile(Hostile h, Boundary.Case c, Schemas.UnderTest type) throws IOException {
        Map<String, Object> parameters = new LinkedHashMap<>(type.schema().defaults().asMap());
        if (h.chance(0.5) && !type.names().isEmpty()) {
            parameters.put(h.oneOf(type.names()), h.chance(0.5) ? h.string() : h.value(1));
        }
        Map<String, Object> template = Hostile.object("name", "t-" + c.seed, "description", h.chance(0.5) ? "" : h.string(),
                "releaseUri", "kvm", "softwareType", type.label().substring(4), "shared", false, "parameters", parameters);
        return write(h, c, Hostile.object("format", 1L, "template", template), false);
    }

    private static Path write(Hostile h, Boundary.Case c, Map<String, Object> envelope, boolean deep) throws IOException {
        c.input(envelope);
        Path file = dir.resolve("template-" + c.seed + ".json");
        Files.write(file, deep ? JsonText.deepText(10_000, h).getBytes()
                : envelope.get("template") instanceof Map<?, ?> t && t.get("name") instanceof String n && n.startsWith("t-") && h.chance(0.5)
                        ? JsonText.write(envelope, h).getBytes(java.nio.charset.StandardCharsets.UTF_8)
                        : JsonText.damaged(JsonText.write(envelope, h), h));
        return file;
    }
}
