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
import org.kvmstudio.workspace.Workspace;

/**
 * The files a workspace is read from at start-up (partitions, hosts, templates, {@code workspace.json},
 * a partition's private state), damaged or replaced as a disk, a crash or a person could: opening
 * must set aside what it cannot read, never fail or hang on it.
 */
class WorkspaceFileProperties {

    @TempDir
    static Path dir;
    static List<Path> specialFiles;

    @BeforeAll
    static void setUp() throws Exception {
        specialFiles = SpecialFiles.create(Files.createDirectory(dir.resolve("special")));
    }

    @Test
    void startUp() throws Exception {
        new Boundary("workspace files at start-up", 1000).run((h, c) -> {
            Path ws = dir.resolve("ws-" + c.seed);
            Files.createDirectories(ws.resolve("partitions"));
            Files.createDirectories(ws.resolve("hosts"));
            Files.createDirectories(ws.resolve("templates"));
            Files.createDirectories(ws.resolve("state/SOFTINST-1"));
            for (int n = 1 + h.below(3); n > 0; n--) {
                String[] places = {"partitions/SOFTINST-1.json", "hosts/local.json", "templates/t.json", "workspace.json",
                    "state/SOFTINST-1/state.json"};
                Path file = ws.resolve(places[h.below(places.length)]);
                Files.deleteIfExists(file);
                if (h.chance(0.15)) {
                    Files.createSymbolicLink(file, h.oneOf(specialFiles));
                } else {
                    Object content = envelope(file.getFileName().toString(), h);
                    c.input(content);
                    if (content instanceof Map<?, ?> m && m.get("state") instanceof Map<?, ?> state
                            && state.get("vnc-password") instanceof String password) {
                        c.secret(password); // a warning about an unreadable state must not quote it
                    }
                    Files.write(file, h.chance(0.05) ? JsonText.deepText(10_000, h).getBytes(StandardCharsets.UTF_8)
                            : JsonText.damaged(JsonText.write(content, h), h));
                }
            }
            return () -> {
                // opening must never fail on what it finds: typed or not, an exception here is a violation
                try (Workspace workspace = Workspace.open(ws)) {
                    workspace.loadProblems().forEach(p -> c.messages.add(p.reason()));
                    workspace.state("SOFTINST-1").values();
                } catch (Exception e) {
                    throw new AssertionError("the workspace did not open: " + e, e);
                }
            };
        });
    }

    /** A file of the kind its name says, with hostile values in it. */
    private static Object envelope(String name, Hostile h) {
        Map<String, Object> inner = new LinkedHashMap<>();
        String kind;
        switch (name) {
            case "SOFTINST-1.json" -> {
                kind = "partition";
                inner.put("id", h.chance(0.8) ? "SOFTINST-1" : h.value(1));
                inner.put("reference", h.chance(0.5) ? "vm" : h.value(1));
                inner.put("releaseUri", "kvm");
                inner.put("softwareType", h.chance(0.8) ? "default" : h.value(1));
                inner.put("shared", false);
                inner.put("parameters", h.parameters(List.of("ram-size", "nbd-host")));
                inner.put("requestedState", h.chance(0.7) ? "started" : h.value(1));
                inner.put("filter", h.chance(0.8) ? Hostile.object() : h.value(2));
                inner.put("status", h.chance(0.7) ? Hostile.object("phase", "not_ready", "message", h.string(), "since",
                        "2026-11-27T00:00:00Z") : h.value(2));
                inner.put("connectionParameters", h.parameters(List.of("ipv4")));
                inner.put("hostId", h.chance(0.5) ? null : h.value(1));
                inner.put("masterId", null);
                inner.put("parentId", null);
            }
            case "local.json" -> {
                kind = "host";
                inner.put("id", h.chance(0.8) ? "local" : h.value(1));
                inner.put("uri", h.chance(0.5) ? "qemu:///embed" : h.value(1));
            }
            case "t.json" -> {
                kind = "template";
                inner.put("name", h.chance(0.8) ? "t" : h.value(1));
                inner.put("description", h.value(1));
                inner.put("releaseUri", "kvm");
                inner.put("softwareType", "default");
                inner.put("shared", false);
                inner.put("parameters", h.parameters(List.of("ram-size")));
            }
            case "workspace.json" -> {
                Map<String, Object> file = new LinkedHashMap<>();
                file.put("format", h.chance(0.8) ? (Object) 1L : h.value(1));
                file.put("nextInstanceNumber", h.chance(0.5) ? (Object) 7L : h.number());
                file.put("id", h.chance(0.5) ? "ws" : h.value(1));
                return file;
            }
            default -> {
                kind = "state";
                Map<String, Object> state = h.parameters(List.of("uuid"));
                state.put("vnc-password", h.chance(0.5) ? "Vnc-S3cr3t-" + Long.toHexString(h.below(1 << 30)) : h.value(1));
                return h.chance(0.7) ? Hostile.object("format", 1L, "state", state) : h.value(2);
            }
        }
        if (h.chance(0.1)) {
            inner.remove(h.oneOf(List.copyOf(inner.keySet())));
        }
        Map<String, Object> file = new LinkedHashMap<>();
        file.put("format", h.chance(0.9) ? (Object) 1L : h.value(1));
        file.put(kind, h.chance(0.95) ? inner : h.value(2));
        return file;
    }
}
