package org.kvmstudio.schema;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;

/**
 * Hand-written wrong parameter sets for each reference software type: each is rejected, and the
 * problem names the right JSON pointer in plain words.
 */
class WrongParametersTest {

    /** A wrong parameter set, where it is checked, and the pointer and words the problem must have. */
    record Case(String folder, String descriptor, String type, Map<String, Object> parameters, String pointer,
            String words) {
    }

    private static final String TOP = "";
    private static final String H2024 = "historic-2024-before-nbd-drop";
    private static final String H2019 = "historic-2019-before-frontend-drop";
    private static final String CDN = "related-rapid-cdn-frontend";

    private static List<Case> cases() {
        return List.of(
                // current kvm, draft 2020-12 with cross-file allOf and unevaluatedProperties: false
                new Case(TOP, "software.cfg.json", "default", Map.of("ram-size", "4096"), "/ram-size", "must be an integer"),
                new Case(TOP, "software.cfg.json", "default", Map.of("ram-size", 1000), "/ram-size", "multiple of 512"),
                new Case(TOP, "software.cfg.json", "default", Map.of("ram-size", 512), "/ram-size", "at least 1024"),
                new Case(TOP, "software.cfg.json", "default", Map.of("disk-size", 0), "/disk-size", "at least 1"),
                new Case(TOP, "software.cfg.json", "default", Map.of("ndb_ip", "::1"), "/ndb_ip", "not a parameter"),
                new Case(TOP, "software.cfg.json", "default", Map.of("disk-type", "nvme"), "/disk-type", "must be one of"),
                new Case(TOP, "software.cfg.json", "default", Map.of("nat-rules", List.of(22, "http")), "/nat-rules/1", "integer"),
                new Case(TOP, "software.cfg.json", "default", Map.of("enable-novnc-server", "yes"), "/enable-novnc-server", "boolean"),
                new Case(TOP, "software.cfg.json", "kvm-resilient", Map.of("resilient-clone-number", "two"), "/resilient-clone-number", "integer"),
                new Case(TOP, "software.cfg.json", "kvm-resilient", Map.of("cpu-count", 0), "/cpu-count", "at least 1"),
                new Case(TOP, "software.cfg.json", "kvm-resilient", Map.of("no-such-thing", true), "/no-such-thing", "not a parameter"),
                // nested: each VM of a cluster is checked against the kvm schema
                new Case(TOP, "software.cfg.json", "kvm-cluster",
                        Map.of("kvm-partition-dict", Map.of("vm1", Map.of("ram-size", "big"))), "/kvm-partition-dict/vm1/ram-size", "integer"),
                new Case(TOP, "software.cfg.json", "kvm-cluster",
                        Map.of("kvm-partition-dict", Map.of("vm1", Map.of("state", "paused"))), "/kvm-partition-dict/vm1/state", "must be one of"),
                new Case(TOP, "software.cfg.json", "kvm-cluster",
                        Map.of("kvm-partition-dict", Map.of("vm1", Map.of("typo", 1))), "/kvm-partition-dict/vm1/typo", "not allowed"),
                new Case(TOP, "software.cfg.json", "kvm-cluster", Map.of("unknown", 1), "/unknown", "not a parameter"),
                // 2024: draft-04 cluster, 2020-12 kvm with nbd-host
                new Case(H2024, "software.cfg.json", "default", Map.of("nbd-port", 70000), "/nbd-port", "at most 65535"),
                new Case(H2024, "software.cfg.json", "default", Map.of("nbd-host", 12), "/nbd-host", "must be a string"),
                new Case(H2024, "software.cfg.json", "default", Map.of("bogus", 12), "/bogus", "not a parameter"),
                new Case(H2024, "software.cfg.json", "kvm-resilient", Map.of("disk-cache", "fast"), "/disk-cache", "must be one of"),
                // 2019: draft-04
                new Case(H2019, "software.cfg.json", "default", Map.of("ram-size", -1), "/ram-size", "at least"),
                new Case(H2019, "software.cfg.json", "default", Map.of("keyboard-layout-language", "xx"), "/keyboard-layout-language", "must be one of"),
                // rapid-cdn slave: strings with patterns
                new Case(CDN, "software.cfg.json", "default-slave", Map.of("https-only", "perhaps"), "/https-only", "expected form"),
                new Case(CDN, "software.cfg.json", "default-slave", Map.of("type", "nonsense"), "/type", "must be one of"),
                new Case(CDN, "software.cfg.json", "default-slave", Map.of("enable_cache", true), "/enable_cache", "must be a string"));
    }

    @TestFactory
    Stream<DynamicTest> wrongParametersAreRejectedWithTheirPointer() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(
                (c.folder().isEmpty() ? "" : c.folder() + "/") + c.type() + " " + c.parameters(), () -> {
                    LoadedRelease release = new ReleaseLoader(SchemaSource.directory(SharedReference.schemas().resolve(c.folder())))
                            .load("ref", c.descriptor());
                    ParameterSchema schema = release.input(c.type()).orElseThrow();
                    List<ParameterProblem> problems = schema.validate(Parameters.of(c.parameters()));
                    assertTrue(problems.stream().anyMatch(p -> p.pointer().equals(c.pointer()) && p.message().contains(c.words())),
                            "expected a problem at " + c.pointer() + " saying '" + c.words() + "', got " + problems);
                    assertTrue(problems.stream().allMatch(p -> p.pointer().startsWith(c.pointer().substring(0, c.pointer().indexOf('/', 1) < 0
                            ? c.pointer().length() : c.pointer().indexOf('/', 1)))),
                            "problems about other parameters were reported: " + problems);
                }));
    }
}
