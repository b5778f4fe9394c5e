package org.kvmstudio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.input.InputFileException;
import org.kvmstudio.model.ConflictException;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.UnknownInstanceException;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Template;

/** Saving, applying, exporting and importing instance templates. */
class TemplateServiceTest {

    @TempDir
    Path dir;
    @TempDir
    Path elsewhere;
    EngineFixture fx;
    TemplateService templates;

    @BeforeEach
    void setUp() throws Exception {
        fx = new EngineFixture(dir.resolve("ws"));
        templates = fx.studio.templates();
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private static Template bigVm() {
        return new Template("big vm", "4 GB Debian", "kvm", "default", false,
                Parameters.of(Map.of("ram-size", 4096, "ndb_ip", "debian.nbd.example", "nat-rules", List.of(22, 443))));
    }

    @Test
    void savedTemplatesAreCheckedCanonicalAndListed() throws Exception {
        Template saved = templates.save(bigVm());
        assertEquals("debian.nbd.example", saved.parameters().get("nbd-host").orElseThrow(), "aliases are canonicalised");
        assertFalse(saved.parameters().contains("ndb_ip"));
        assertEquals(List.of(saved), templates.templates());
        InvalidParametersException bad = assertThrows(InvalidParametersException.class, () -> templates.save(
                new Template("bad", "", "kvm", "default", false, Parameters.of(Map.of("cpu-count", 0)))));
        assertEquals("/cpu-count", bad.problems().get(0).pointer());
        assertThrows(InvalidRequestException.class, () -> new Template("../escape", "", "kvm", "default", false, null));
        assertEquals(1, templates.templates().size());
    }

    @Test
    void applyingATemplateRequestsAnInstance() throws Exception {
        templates.save(bigVm());
        Partition p = templates.apply("big vm", "vm-from-template", Parameters.of(Map.of("cpu-count", 4)));
        assertEquals("default", p.softwareType());
        assertEquals(4096L, p.parameters().get("ram-size").orElseThrow());
        assertEquals(4L, p.parameters().get("cpu-count").orElseThrow(), "overrides win over the template");
        assertEquals(p, templates.apply("big vm", "vm-from-template", Parameters.of(Map.of("cpu-count", 4))),
                "applying twice is the same idempotent request");
        assertThrows(UnknownInstanceException.class, () -> templates.apply("nope", "x", Parameters.EMPTY));
        Partition aliased = templates.apply("big vm", "other", Parameters.of(Map.of("ndb_ip", "nbd.elsewhere.example")));
        assertEquals("nbd.elsewhere.example", aliased.parameters().get("nbd-host").orElseThrow(),
                "an override under an older name still wins over the template");
    }

    @Test
    void hugeNumbersAndHugeFilesAreRefusedAtOnce() throws Exception {
        Path file = elsewhere.resolve("huge.json");
        Files.writeString(file, """
                {"format": 1, "template": {"name": "huge", "description": "", "releaseUri": "kvm",
                 "softwareType": "default", "shared": false, "parameters": {"ram-size": 1e999999999}}}
                """);
        long started = System.nanoTime();
        InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> templates.importFrom(file, true));
        assertTrue(e.getMessage().contains("number out of range at /ram-size"), e.getMessage());
        assertTrue(System.nanoTime() - started < 5_000_000_000L, "refused without expanding the number");

        Path big = elsewhere.resolve("big.json");
        Files.write(big, new byte[org.kvmstudio.model.InputLimits.MAX_FILE_BYTES + 1]);
        InputFileException tooLarge = assertThrows(InputFileException.class, () -> templates.importFrom(big, true));
        assertTrue(tooLarge.getMessage().contains("is larger than " + org.kvmstudio.model.InputLimits.MAX_FILE_BYTES / 1024 + " KiB"), tooLarge.getMessage());
    }

    @Test
    void exportThenImportElsewhereGivesTheSameTemplate() throws Exception {
        Template saved = templates.save(bigVm());
        Path file = elsewhere.resolve("big-vm.json");
        templates.export("big vm", file);
        String json = Files.readString(file);
        assertTrue(json.matches("(?s).*\"ram-size\"\\s*:\\s*4096.*"), json);
        templates.delete("big vm");
        assertTrue(templates.templates().isEmpty());
        assertEquals(saved, templates.importFrom(file, false));
        ConflictException exists = assertThrows(ConflictException.class, () -> templates.importFrom(file, false));
        assertTrue(exists.getMessage().contains("exists"), exists.getMessage());
        assertEquals(saved, templates.importFrom(file, true));
    }

    @Test
    void importRefusesFilesThatAreNotValidTemplates() throws Exception {
        templates.save(bigVm());
        Path file = elsewhere.resolve("t.json");
        templates.export("big vm", file);
        String tampered = Files.readString(file).replace("4096", "1000");
        Path bad = elsewhere.resolve("tampered.json");
        Files.writeString(bad, tampered);
        InvalidParametersException e = assertThrows(InvalidParametersException.class, () -> templates.importFrom(bad, true));
        assertTrue(e.getMessage().contains("tampered.json"), e.getMessage());
        assertEquals("/ram-size", e.problems().get(0).pointer());

        Path garbage = elsewhere.resolve("garbage.json");
        Files.writeString(garbage, "{\"format\": 1, \"template\": ");
        InvalidRequestException notATemplate = assertThrows(InvalidRequestException.class, () -> templates.importFrom(garbage, true));
        assertTrue(notATemplate.getMessage().startsWith(garbage.toString()), notATemplate.getMessage());
        assertThrows(java.nio.file.NoSuchFileException.class, () -> templates.importFrom(elsewhere.resolve("missing.json"), true));
        assertEquals(4096L, templates.template("big vm").orElseThrow().parameters().get("ram-size").orElseThrow(),
                "a refused import changes nothing");
    }

    @Test
    void devicesPipesAndLinksToThemAreRefusedAtOnceNeverRead() throws Exception {
        Path fifo = elsewhere.resolve("fifo.json");
        assertEquals(0, new ProcessBuilder("mkfifo", fifo.toString()).start().waitFor());
        List<Path> files = List.of(Path.of("/dev/zero"), Files.createSymbolicLink(elsewhere.resolve("zero.json"), Path.of("/dev/urandom")),
                fifo, Files.createDirectory(elsewhere.resolve("folder.json")));
        for (Path file : files) {
            // a FIFO would block the import forever, a device would fill the memory: both must be refused unread
            InputFileException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> assertThrows(InputFileException.class, () -> templates.importFrom(file, true)));
            assertTrue(e.getMessage().contains("not a regular file") || e.getMessage().contains("is a folder"), e.getMessage());
        }
        Path loop = elsewhere.resolve("loop.json");
        Files.createSymbolicLink(loop, loop);
        assertThrows(InputFileException.class, () -> templates.importFrom(loop, true));
        assertTrue(templates.templates().isEmpty());
    }

    @Test
    void oddButWellFormedTemplatesAreRefusedWithTypedErrorsThatSayWhy() throws Exception {
        for (String inner : List.of("{\"name\": null}", "{\"name\": \"t\", \"releaseUri\": \"kvm\", \"softwareType\": null}",
                "[1, 2]", "{\"name\": \"../../etc\", \"releaseUri\": \"kvm\", \"softwareType\": \"default\"}")) {
            Path file = elsewhere.resolve("odd.json");
            Files.writeString(file, "{\"format\": 1, \"template\": " + inner + "}");
            InvalidRequestException e = assertThrows(InvalidRequestException.class, () -> templates.importFrom(file, true), inner);
            assertTrue(e.getMessage().startsWith(file + ": not a KVM Studio template"), e.getMessage());
        }
    }
}
