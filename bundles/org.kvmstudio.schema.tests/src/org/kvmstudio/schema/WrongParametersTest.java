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

    /**
     * A wrong parameter set, where it is checked (a descriptor's type, or with no descriptor a schema
     * file on its own), and the pointer and words the problem must have.
     */
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
                new Case(CDN, "software.cfg.json", "default-slave", Map.of("enable_cache", true), "/enable_cache", "must be a string"),
                new Case(CDN, "software.cfg.json", "custom-personal-slave", Map.of("health-check-timeout", 0), "/health-check-timeout", "at least"),
                // more of each current type
                new Case(TOP, "software.cfg.json", "kvm-resilient", Map.of("disk-format", "floppy"), "/disk-format", "must be one of"),
                new Case(TOP, "software.cfg.json", "kvm-cluster",
                        Map.of("kvm-partition-dict", Map.of("vm1", Map.of("cpu-count", 0))), "/kvm-partition-dict/vm1/cpu-count", "at least 1"),
                new Case(TOP, "software.cfg.internal.json", "kvm-import", Map.of("number", "one"), "/number", "must be an integer"),
                new Case(TOP, "software.cfg.internal.json", "pull-backup", Map.of("unknown", 1), "/unknown", "not a parameter"),
                new Case(TOP, "software.cfg.internal.json", "frozen", Map.of("ram-size", 100), "/ram-size", "at least 1024"),
                // historic types, draft-04 (each VM of a cluster is a patternProperties entry)
                new Case(H2024, "software.cfg.json", "default", Map.of("disk-type", "nvme"), "/disk-type", "must be one of"),
                new Case(H2024, "software.cfg.json", "kvm-cluster",
                        Map.of("kvm-partition-dict", Map.of("vm1", Map.of("ram-size", 1000))), "/kvm-partition-dict/vm1/ram-size", "multiple of 512"),
                new Case(H2024, "software.cfg.json", "kvm-cluster", Map.of("fw-restricted-access", "maybe"), "/fw-restricted-access", "must be one of"),
                new Case(H2019, "software.cfg.json", "kvm-cluster-simplified",
                        Map.of("kvm-partition-dict", Map.of("a", Map.of("nbd-port", 0))), "/kvm-partition-dict/a/nbd-port", "at least 1"),
                new Case(H2019, "software.cfg.json", "kvm-cluster-simplified",
                        Map.of("kvm-partition-dict", Map.of("a", Map.of("state", "destroyed"))), "/kvm-partition-dict/a/state", "must be one of"),
                new Case(H2019, "software.cfg.json", "default", Map.of("ram-size", "1G"), "/ram-size", "must be an integer"),
                // schemas no descriptor of the folder names, loaded on their own
                new Case("historic-2012-first-schemas", null, "instance-kvm-input-schema.json", Map.of("ram-size", 32768),
                        "/ram-size", "at most 16384"),
                new Case("historic-2012-first-schemas", null, "instance-kvm-input-schema.json", Map.of("nbd-port", "1024"),
                        "/nbd-port", "must be an integer"),
                new Case("historic-2012-first-schemas", null, "instance-kvm-input-schema.json", Map.of("nbd-ip", "not a host!"),
                        "/nbd-ip", "is not a valid hostname or ipv4 or ipv6"),
                new Case("historic-2021-with-keyboard-layout", null, "instance-kvm-input-schema.json",
                        Map.of("keyboard-layout-language", "klingon"), "/keyboard-layout-language", "must be one of"),
                new Case("historic-2021-with-keyboard-layout", null, "instance-kvm-input-schema.json",
                        Map.of("httpd-port", 0), "/httpd-port", "at least"),
                new Case("historic-2021-with-keyboard-layout", null, "instance-kvm-input-schema.json",
                        Map.of("use-nat", "yes"), "/use-nat", "must be a boolean"));
    }

    private static ParameterSchema schemaOf(Case c) throws SchemaLoadException {
        ReleaseLoader loader = new ReleaseLoader(SchemaSource.directory(SharedReference.schemas().resolve(c.folder())));
        if (c.descriptor() == null) {
            return loader.loadSchema(c.type());
        }
        return loader.load("ref", c.descriptor()).input(c.type()).orElseThrow();
    }

    @TestFactory
    Stream<DynamicTest> wrongParametersAreRejectedWithTheirPointer() {
        return cases().stream().map(c -> DynamicTest.dynamicTest(
                (c.folder().isEmpty() ? "" : c.folder() + "/") + c.type() + " " + c.parameters(), () -> {
                    ParameterSchema schema = schemaOf(c);
                    List<ParameterProblem> problems = schema.validate(Parameters.of(c.parameters()));
                    assertTrue(problems.stream().anyMatch(p -> p.pointer().equals(c.pointer()) && p.message().contains(c.words())),
                            "expected a problem at " + c.pointer() + " saying '" + c.words() + "', got " + problems);
                    assertTrue(problems.stream().allMatch(p -> p.pointer().startsWith(c.pointer().substring(0, c.pointer().indexOf('/', 1) < 0
                            ? c.pointer().length() : c.pointer().indexOf('/', 1)))),
                            "problems about other parameters were reported: " + problems);
                }));
    }
}
