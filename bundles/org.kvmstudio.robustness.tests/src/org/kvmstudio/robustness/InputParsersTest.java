package org.kvmstudio.robustness;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;

import org.junit.jupiter.api.Test;
import org.kvmstudio.input.JsonInput;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The JSON and YAML parsers every reader of untrusted text is built on, and the limits they apply while reading. */
class InputParsersTest {

    private static final ObjectMapper JSON = JsonInput.mapper(false).build();
    private static final ObjectMapper YAML = JsonInput.mapper(true).build();

    private static JsonProcessingException refused(ObjectMapper mapper, String text) {
        return assertThrows(JsonProcessingException.class, () -> mapper.readValue(text.getBytes(StandardCharsets.UTF_8), Object.class), text);
    }

    @Test
    void nestingDigitsAndDuplicateNamesAreRefusedWhileParsing() {
        refused(JSON, "[".repeat(10_000) + "]".repeat(10_000));
        refused(JSON, "{\"n\": " + "9".repeat(1001) + "}");
        refused(JSON, "{\"a\": 1, \"a\": 2}");
        refused(YAML, "a: 1\na: 2\n");
        refused(YAML, "a: " + "[".repeat(10_000) + "]".repeat(10_000));
    }

    @Test
    void yamlAliasesCannotMultiplyAValueWithoutEnd() {
        // "billion laughs": each level refers to the one before ten times
        StringBuilder bomb = new StringBuilder("a0: &a0 [\"lol\"]\n");
        for (int i = 1; i < 30; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [");
            bomb.append(String.join(", ", java.util.Collections.nCopies(10, "*a" + (i - 1)))).append("]\n");
        }
        // Jackson reads an alias as the anchor's name rather than a copy: the bomb stays the size of its text
        Object read = assertTimeoutPreemptively(java.time.Duration.ofSeconds(5),
                () -> YAML.readValue(bomb.toString().getBytes(StandardCharsets.UTF_8), Object.class));
        assertTrue(read.toString().length() < 10 * bomb.length(), () -> read.toString().length() + " characters read");
    }

    @Test
    void aParsersMessageSaysWhatAndWhereButNotTheTokenItMet() {
        JsonProcessingException e = refused(JSON, "{\"admin-password\": hunter2secret}");
        String message = JsonInput.problem(e);
        assertFalse(message.contains("hunter2secret"), message);
        assertTrue(message.contains("line 1"), message);
        JsonProcessingException yaml = refused(YAML, "admin-password: \"hunter2secret\n  - [x: y");
        assertFalse(JsonInput.problem(yaml).contains("hunter2secret"), JsonInput.problem(yaml));
    }
}
