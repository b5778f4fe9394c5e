package org.kvmstudio.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Template;

class WorkspaceJsonTest {

    private static final Partition RICH = Fixtures.richPartition("SOFTINST-42");
    private static final String RICH_JSON = json(RICH);

    private static String json(Partition p) {
        try {
            return new String(WorkspaceJson.partitionToJson(p), StandardCharsets.UTF_8);
        } catch (FileTooLargeException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void aPartitionTooLargeToBeReadBackIsRefusedBeforeItIsWritten() {
        java.util.Map<String, Object> big = new java.util.LinkedHashMap<>();
        for (int i = 0; i < 20; i++) {
            big.put("p" + i, "\u0000".repeat(200_000)); // written escaped, six bytes a character
        }
        Partition huge = RICH.withRequest(org.kvmstudio.model.InstanceRequest.of(RICH.releaseUri(), RICH.reference())
                .withSoftwareType(RICH.softwareType()).withParameters(org.kvmstudio.model.Parameters.of(big)), RICH.status());
        FileTooLargeException e = org.junit.jupiter.api.Assertions.assertThrows(FileTooLargeException.class,
                () -> WorkspaceJson.partitionToJson(huge));
        assertTrue(e.getMessage().contains("at most 4096 KiB"), e.getMessage());
    }

    @Test
    void partitionRoundTripKeepsEveryValue() throws Exception {
        Partition back = WorkspaceJson.partitionFromJson(WorkspaceJson.partitionToJson(RICH));

        assertEquals(RICH, back);
        assertEquals(new BigInteger("123456789012345678901234567890123"), back.parameters().get("huge").orElseThrow());
        assertEquals(new BigDecimal("3.1415926535897932384626433832795028841971693993751"),
                back.parameters().get("precise").orElseThrow());
        assertEquals(RICH.parameters().get("ratio"), back.parameters().get("ratio"), "a double compares equal once read back");
    }

    @Test
    void templateRoundTripKeepsEveryValue() throws Exception {
        Template template = Fixtures.template("small vm_1.0");

        assertEquals(template, WorkspaceJson.templateFromJson(WorkspaceJson.templateToJson(template)));
    }

    @Test
    void fileShapeIsDeliberateAndReadable() {
        assertTrue(RICH_JSON.startsWith("{\n  \"format\": 1,\n  \"partition\": {\n    \"id\": \"SOFTINST-42\","), RICH_JSON);
        assertTrue(RICH_JSON.contains("\"requestedState\": \"stopped\""), RICH_JSON);
        assertTrue(RICH_JSON.contains("\"phase\": \"not_ready\""), RICH_JSON);
        assertTrue(RICH_JSON.contains("\"since\": \"2025-03-01T10:00:00.123456789Z\""), RICH_JSON);
        assertTrue(RICH_JSON.contains("\"computer_guid\": \"COMP-1\""), RICH_JSON);
        assertTrue(RICH_JSON.contains("\"huge\": 123456789012345678901234567890123,"), RICH_JSON);
        assertTrue(RICH_JSON.endsWith("}\n"), RICH_JSON);
        // computed accessors (isReady, isRoot) are not state
        assertFalse(RICH_JSON.contains("\"ready\""), RICH_JSON);
        assertFalse(RICH_JSON.contains("\"root\""), RICH_JSON);
    }

    @Test
    void truncatedJsonIsRefusedWithItsLocation() {
        assertRefused(RICH_JSON.substring(0, RICH_JSON.length() / 2), "end-of-input", "line ");
    }

    @Test
    void emptyFileIsRefused() {
        assertRefused("", "empty");
    }

    @Test
    void unknownFieldIsRefusedWithItsPath() {
        assertRefused(RICH_JSON.replace("\"revision\"", "\"colour\": \"red\", \"revision\""), "colour", "/partition/colour");
    }

    @Test
    void missingFieldIsRefused() {
        assertRefused(RICH_JSON.replace("\"revision\": 7,", ""), "revision");
    }

    @Test
    void duplicateFieldIsRefused() {
        assertRefused(RICH_JSON.replace("\"ram-size\": 4096,", "\"ram-size\": 4096, \"ram-size\": 1,"), "Duplicate", "ram-size");
    }

    @Test
    void newerFormatIsRefusedBeforeItsFieldsAreRead() {
        String newer = RICH_JSON.replace("\"format\": 1", "\"format\": 2").replace("\"revision\"", "\"future\": 1, \"revision\"");

        assertRefused(newer, "written by a newer KVM Studio (format 2); this version reads format 1");
    }

    @Test
    void missingFormatIsRefused() {
        assertRefused(RICH_JSON.replace("\"format\": 1,", ""), "no \"format\" version");
    }

    @Test
    void valuesTheModelRefusesAreReportedWithTheModelsReason() {
        assertRefused(RICH_JSON.replace("\"stopped\"", "\"paused\""), "unknown requested state \"paused\"", "/partition/requestedState");
        assertRefused(RICH_JSON.replace("\"not_ready\"", "\"NOT_READY\""), "unknown phase", "/partition/status/phase");
        assertRefused(RICH_JSON.replace("2025-03-01T10:00:00.123456789Z", "yesterday"), "yesterday", "/partition/status/since");
        assertRefused(RICH_JSON.replace("frontend \\\"main\\\" é", "a/b"), "slashes");
        assertRefused(RICH_JSON.replace("\"computer_guid\"", "\"colour\""), "unknown filter \"colour\"", "/partition/filter");
    }

    @Test
    void scalarsOfTheWrongTypeAreNotCoerced() {
        assertRefused(RICH_JSON.replace("\"revision\": 7", "\"revision\": \"7\""), "/partition/revision");
        assertRefused(RICH_JSON.replace("\"revision\": 7", "\"revision\": 7.5"), "/partition/revision");
        assertRefused(RICH_JSON.replace("\"shared\": true", "\"shared\": \"true\""), "/partition/shared");
        assertRefused(RICH_JSON.replace("\"retention_delay\": \"3\"", "\"retention_delay\": 3"),
                "filter 'retention_delay' must be a string");
    }

    @Test
    void partitionFileIsNotATemplate() {
        WorkspaceFormatException e = assertThrows(WorkspaceFormatException.class,
                () -> WorkspaceJson.templateFromJson(RICH_JSON.getBytes(StandardCharsets.UTF_8)));

        assertTrue(e.getMessage().contains("'template'"), e.getMessage());
    }

    private static void assertRefused(String json, String... expectedInMessage) {
        WorkspaceFormatException e = assertThrows(WorkspaceFormatException.class,
                () -> WorkspaceJson.partitionFromJson(json.getBytes(StandardCharsets.UTF_8)));
        for (String expected : expectedInMessage) {
            assertTrue(e.getMessage().contains(expected), () -> "'" + expected + "' not in: " + e.getMessage());
        }
    }
}
