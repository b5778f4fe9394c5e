package org.kvmstudio.robustness;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.StudioAccess;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.Partition;
import org.kvmstudio.release.kvm.KvmRelease;

/**
 * {@code kvmstudio request} as a user types it: {@code k=v} parameters typed by the schema,
 * parameter files in JSON or YAML (any root, damaged, special files), hostile references and states,
 * against the kvm release and a SlapOS descriptor given by path. A refused request (exit 1) must
 * leave the workspace as it was; an accepted one saves no secret in its status.
 */
class CommandLineProperties {

    @TempDir
    static Path dir;
    static List<Path> specialFiles;
    static List<Schemas.UnderTest> schemas;

    Studio studio;
    Path workspace;
    int opened;

    @BeforeAll
    static void setUp() throws Exception {
        specialFiles = SpecialFiles.create(Files.createDirectory(dir.resolve("special")));
        schemas = Schemas.all();
    }

    @AfterEach
    void close() throws IOException {
        if (studio != null) {
            studio.close();
        }
    }

    /** A fresh workspace now and then: a workspace of thousands of partitions is another test. */
    private Studio studio(long seed) throws Exception {
        if (studio == null || seed % 100 == 0) {
            if (studio != null) {
                studio.close();
            }
            workspace = dir.resolve("ws-" + opened++);
            studio = Studio.open(workspace, Clock.systemUTC());
            studio.releases().add(new KvmRelease());
        }
        return studio;
    }

    private final StudioAccess access = new StudioAccess() {
        @Override
        public Studio studio(Path ignored) {
            return studio;
        }

        @Override
        public boolean temporaryOwner() {
            return true;
        }

        @Override
        public void becomeAgent(Path ignored, PrintStream err) {
            throw new UnsupportedOperationException();
        }
    };

    @Test
    void requests() throws Exception {
        Path reference = Schemas.shared().resolve("software.cfg.json");
        new Boundary("command line request", 1500).accepting(0.1).watching(() -> workspace).run((h, c) -> {
            studio(c.seed);
            boolean slapos = h.chance(0.3);
            String release = slapos ? reference.toString() : "kvm";
            Schemas.UnderTest s = h.oneOf(schemas.stream()
                    .filter(u -> u.label().startsWith(slapos ? "software.cfg.json" : "kvm ")).toList());
            String type = s.label().substring(s.label().lastIndexOf(' ') + 1);
            String ref = h.chance(0.8) ? "vm-" + c.seed : h.string();
            c.description = s.label() + " as " + Strings.shown(ref);
            List<String> args = new ArrayList<>(List.of("request", ref, release, "--type", type));
            if (h.chance(0.1)) {
                args.addAll(List.of("--state", h.string()));
            }
            Map<String, Object> values = new LinkedHashMap<>();
            if (h.chance(0.35)) { // the type's defaults typed as k=v, at most one hostile: mostly accepted
                args.add("--parameters");
                s.schema().defaults().asMap().forEach((k, v) -> {
                    if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                        values.put(k, v);
                        args.add(k + "=" + v);
                    }
                });
                if (h.chance(0.5) && !s.names().isEmpty()) {
                    String name = h.oneOf(s.names());
                    String value = h.string();
                    values.put(name, value);
                    args.add(name + "=" + value);
                }
                if (args.get(args.size() - 1).equals("--parameters")) {
                    args.remove(args.size() - 1);
                }
            } else if (h.chance(0.6)) {
                args.add("--parameters");
                for (int n = 1 + h.below(5); n > 0; n--) {
                    String value = h.string();
                    String name = h.key(s.names());
                    values.put(name, value);
                    args.add(h.chance(0.05) ? value : name + "=" + value);
                }
                ParameterProperties.plantSecrets(s, values, h, c);
                for (String secret : s.secretNames()) {
                    if (values.get(secret) != null) {
                        args.add(secret + "=" + values.get(secret));
                    }
                }
            } else {
                args.add("--parameters-file");
                args.add(parameterFile(h, c, s, values).toString());
            }
            c.input(values);
            c.input(args);
            return () -> {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                int code = Cli.run(args, dir.toString(), new PrintStream(out, true, StandardCharsets.UTF_8),
                        new PrintStream(err, true, StandardCharsets.UTF_8), access);
                String said = err.toString(StandardCharsets.UTF_8);
                if (said.contains("internal error") || (code != Cli.OK && code != Cli.FAILED && code != Cli.NOT_READY)) {
                    throw new AssertionError("exit " + code + ": " + said);
                }
                c.refused = code == Cli.FAILED;
                c.messages.add(said);
                if (!c.refused) {
                    Partition p = studio.engine().instance(ref).orElseThrow();
                    c.messages.add(p.status().message()); // saved in the partition file
                }
            };
        });
        studio.close();
        studio = null;
        // what was accepted is read back: no partition is set aside as unreadable at the next start
        for (int i = 0; i < opened; i++) {
            try (org.kvmstudio.workspace.Workspace reopened = org.kvmstudio.workspace.Workspace.open(dir.resolve("ws-" + i))) {
                org.junit.jupiter.api.Assertions.assertEquals(List.of(), reopened.loadProblems(), "ws-" + i);
            }
        }
    }

    private static Path parameterFile(Hostile h, Boundary.Case c, Schemas.UnderTest s, Map<String, Object> values)
            throws IOException {
        if (h.chance(0.1)) {
            return h.oneOf(specialFiles);
        }
        Path file = dir.resolve("params-" + c.seed + (h.chance(0.3) ? ".yaml" : ".json"));
        Object root;
        switch (h.below(10)) {
            case 0 -> root = h.value(2); // any root: a list, a number, a string, null
            case 1 -> {
                Files.writeString(file, JsonText.deepText(10_000, h));
                return file;
            }
            default -> {
                values.putAll(h.parameters(s.names()));
                ParameterProperties.plantSecrets(s, values, h, c);
                root = values;
            }
        }
        Files.write(file, JsonText.damaged(JsonText.write(root, h), h));
        return file;
    }
}
