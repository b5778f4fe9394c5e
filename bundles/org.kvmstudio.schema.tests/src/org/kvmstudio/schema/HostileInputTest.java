package org.kvmstudio.schema;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;

/**
 * Regression tests of the defects the robustness suite was written to find (each failed before its
 * fix): a thread killed by deep recursion, work without bound, an untyped exception, a message
 * quoting a whole value or a secret, a problem reported at no parameter.
 */
class HostileInputTest {

    @TempDir
    Path dir;

    private ParameterSchema schema(String json) throws Exception {
        return OneSchema.load(dir, json);
    }

    private static long cpuMillis(Runnable r) {
        var threads = ManagementFactory.getThreadMXBean();
        long before = threads.getCurrentThreadCpuTime();
        r.run();
        return (threads.getCurrentThreadCpuTime() - before) / 1_000_000;
    }

    @Test
    void aLongTextAgainstABacktrackingPatternIsRefusedNotAStackOverflow() throws Exception {
        // SlapOS's own pattern: java.util.regex recurses once per repetition, and backtracks exponentially
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"path": {"type": "string", "pattern": "^$|^(/[^ ]* ?)+$"}}}""");
        for (String value : List.of("/".repeat(200_000), "/a ".repeat(30) + "x", "/".repeat(40) + " x")) {
            List<List<ParameterProblem>> problems = new java.util.ArrayList<>();
            long cpu = cpuMillis(() -> problems.add(s.validate(Parameters.of(Map.of("path", value)))));
            assertTrue(cpu < 1000, cpu + " ms");
            // the long run of slashes matches or is refused as too costly to check; the others do not match
            assertTrue(problems.get(0).stream().allMatch(p -> p.pointer().equals("/path")), problems.toString());
            assertTrue(value.startsWith("/".repeat(200)) || !problems.get(0).isEmpty(), problems.toString());
        }
        assertTrue(s.validate(Parameters.of(Map.of("path", "/srv/a /srv/b"))).isEmpty(), "a valid value still matches");
    }

    @Test
    void aNumberBeyondADoublesRangeIsRefusedWhereItEntersNotInTheValidator() throws Exception {
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"ram-size": {"type": "integer", "maximum": 65536}}}""");
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> s.validate(Parameters.of(Map.of("ram-size", new BigDecimal("1e400")))));
        assertTrue(e.getMessage().contains("number out of range at /ram-size"), e.getMessage());
    }

    @Test
    void aQuarterMegabyteOfDigitsIsNotParsedAsANumber() throws Exception {
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"ram-size": {"type": "integer"}}}""");
        String digits = "9".repeat(250_000); // as long as a text may be; BigInteger would spend seconds on it
        Parameters[] coerced = new Parameters[1];
        long cpu = cpuMillis(() -> coerced[0] = s.coerceStrings(Parameters.of(Map.of("ram-size", digits))));
        assertTrue(cpu < 100, cpu + " ms");
        List<ParameterProblem> problems = s.validate(coerced[0]);
        assertEquals("/ram-size", problems.get(0).pointer());
        assertTrue(problems.get(0).message().length() < 200, problems.get(0).message());
    }

    @Test
    void aMessageQuotesAnExcerptOfAValueNeverAllOfIt() throws Exception {
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"size": {"enum": ["small", "large"]}, "n": {"type": "integer"}}}""");
        String huge = "x".repeat(250_000);
        List<ParameterProblem> problems = s.validate(Parameters.of(Map.of("size", huge, "n", huge)));
        assertEquals(2, problems.size(), problems.toString());
        for (ParameterProblem p : problems) {
            assertTrue(p.message().length() < 200, p.message());
            assertTrue(p.message().contains("(250000 characters)"), p.message());
        }
    }

    @Test
    void aSecretOfTheWrongTypeIsNotQuoted() throws Exception {
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"admin-password": {"type": "string"},
                 "token": {"type": "string", "enum": ["a"], "secret": true}}}""");
        List<ParameterProblem> problems = s.validate(Parameters.of(Map.of("admin-password", 1896027218L, "token", "T0ken-4711")));
        assertEquals(2, problems.size(), problems.toString());
        for (ParameterProblem p : problems) {
            assertFalse(p.message().contains("1896027218") || p.message().contains("T0ken-4711"), p.message());
        }
        assertEquals("must be a string, not an integer", problems.get(0).message());
    }

    @Test
    void aMissingDependentParameterIsReportedAtItsOwnPointerInOurWords() throws Exception {
        ParameterSchema s = schema("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "properties": {"image-url": {"type": "string"}, "image-md5sum": {"type": "string"}},
                 "dependentRequired": {"image-url": ["image-md5sum"]}}""");
        List<ParameterProblem> problems = s.validate(Parameters.of(Map.of("image-url", "http://example.com/a.qcow2")));
        assertEquals(List.of(new ParameterProblem("/image-md5sum", "is required when image-url is given")), problems);
    }

    @Test
    void aLoopOfReferencesIsRefusedWhenTheSchemaLoadsNotWhenAValueOverflowsTheStack() throws Exception {
        SchemaLoadException e = assertThrows(SchemaLoadException.class, () -> schema("""
                {"type": "object", "properties": {"a": {"$ref": "#/definitions/a"}},
                 "definitions": {"a": {"$ref": "#/definitions/b"}, "b": {"allOf": [{"$ref": "#/definitions/a"}]}}}"""));
        assertTrue(e.getMessage().contains("loop without end"), e.getMessage());
        // a loop through "not", also without stepping into the value
        assertThrows(SchemaLoadException.class, () -> schema("""
                {"type": "object", "definitions": {"a": {"not": {"$ref": "#/definitions/a"}}}, "allOf": [{"$ref": "#/definitions/a"}]}"""));
    }

    @Test
    void aSchemaWhoseRootIsNoObjectIsRefused() throws Exception {
        SchemaLoadException e = assertThrows(SchemaLoadException.class, () -> schema("{\"type\": \"null\"}"));
        assertTrue(e.getMessage().contains("must describe an object"), e.getMessage());
    }

    @Test
    void aTextTooLongForTheLibrarysFormatCheckIsRefusedNotThrown() throws Exception {
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"domain": {"type": "string", "format": "idn-hostname"}}}""");
        List<ParameterProblem> problems = s.validate(Parameters.of(Map.of("domain", "é".repeat(12_445))));
        assertEquals("/domain", problems.get(0).pointer(), problems.toString());
        assertTrue(s.validate(Parameters.of(Map.of("domain", "kvm.example.com"))).isEmpty());
    }

    @Test
    void aReleaseFileThatIsADeviceOrNamesAnImpossiblePathIsALoadProblem() throws Exception {
        Files.createSymbolicLink(dir.resolve("software.cfg.json"), Path.of("/dev/zero"));
        SchemaLoadException device = assertThrows(SchemaLoadException.class,
                () -> new ReleaseLoader(SchemaSource.directory(dir)).load("r", "software.cfg.json"));
        assertTrue(device.getMessage().contains("not a regular file"), device.getMessage());
        SchemaLoadException nul = assertThrows(SchemaLoadException.class,
                () -> new ReleaseLoader(SchemaSource.directory(dir)).loadSchema("a\u0000b.json"));
        assertTrue(nul.getMessage().contains("not a file name"), nul.getMessage());
    }

    @Test
    void aPatternEndsAtTheEndOfTheTextNotBeforeATrailingNewline() throws Exception {
        // ECMA-262's $, as JSON Schema means it; Java's $ also matches before a final \n
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"port": {"type": "string", "pattern": "^[0-9]{1,5}$"}},
                 "patternProperties": {"^x-[a-z]+$": {"type": "string"}}, "additionalProperties": false}""");
        assertTrue(s.validate(Parameters.of(Map.of("port", "22", "x-a", "b"))).isEmpty());
        assertEquals("/port", s.validate(Parameters.of(Map.of("port", "22\n"))).get(0).pointer());
        assertEquals("/x-a\n", s.validate(Parameters.of(Map.of("x-a\n", "b"))).get(0).pointer());
    }

    @Test
    void aValueTooCostlyToCheckIsRefusedEvenWhereNotWouldTurnNoMatchIntoAcceptance() throws Exception {
        ParameterSchema s = schema("""
                {"type": "object", "properties": {"path": {"type": "string", "not": {"pattern": "a.*c"}}}}""");
        // each start position reads to the end: n² steps, past any budget
        List<ParameterProblem> problems = s.validate(Parameters.of(Map.of("path", "a".repeat(100_000))));
        assertEquals("/path", problems.get(0).pointer(), problems.toString());
        assertTrue(problems.get(0).message().contains("too long or too complex"), problems.toString());
        assertTrue(s.validate(Parameters.of(Map.of("path", "b"))).isEmpty());
    }

    @Test
    void loopsThroughDependentSchemasAreFoundAndAPropertyNamedLikeAKeywordIsNoLoop() throws Exception {
        assertThrows(SchemaLoadException.class, () -> schema("""
                {"$schema": "https://json-schema.org/draft/2020-12/schema", "type": "object",
                 "dependentSchemas": {"a": {"$ref": "#"}}}"""));
        ParameterSchema named = schema("""
                {"type": "object", "properties": {"not": {"type": "string"}, "if": {"$ref": "#/definitions/s"}},
                 "definitions": {"s": {"type": "string"}}}""");
        assertTrue(named.validate(Parameters.of(Map.of("not", "x", "if", "y"))).isEmpty());
    }
}
