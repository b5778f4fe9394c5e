package org.kvmstudio.workspace;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {

    @TempDir
    Path dir;

    @Test
    void writeCreatesThenReplacesAndLeavesNoTemporaryFile() throws IOException {
        Path target = dir.resolve("a.json");

        AtomicFiles.write(target, bytes("first"));
        AtomicFiles.write(target, bytes("second"));

        assertEquals("second", Files.readString(target));
        assertEquals(List.of("a.json"), fileNames());
    }

    @Test
    void crashBeforeRenameKeepsTheOldContentAndRemovesTheTemporaryFile() throws IOException {
        Path target = dir.resolve("a.json");
        AtomicFiles.write(target, bytes("old"));

        IOException crash = assertThrows(IOException.class, () -> AtomicFiles.write(target, bytes("new"), temp -> {
            assertTrue(temp.getFileName().toString().startsWith(".a.json.tmp-"), temp.toString());
            assertArrayEquals(bytes("new"), Files.readAllBytes(temp));
            throw new IOException("simulated crash");
        }));

        assertEquals("simulated crash", crash.getMessage());
        assertEquals("old", Files.readString(target));
        assertEquals(List.of("a.json"), fileNames());
    }

    @Test
    void leftoversOfInterruptedWritesAreDeletedAndNothingElse() throws IOException {
        Files.writeString(dir.resolve("a.json"), "kept");
        Files.writeString(dir.resolve(".hidden"), "kept");
        Files.writeString(dir.resolve(".a.json.tmp-123"), "half writ");

        AtomicFiles.deleteLeftovers(dir);

        assertEquals(List.of(".hidden", "a.json"), fileNames());
    }

    @Test
    void deleteRemovesTheFileAndToleratesItsAbsence() throws IOException {
        Path target = dir.resolve("a.json");
        AtomicFiles.write(target, bytes("x"));

        AtomicFiles.delete(target);
        AtomicFiles.delete(target);

        assertEquals(List.of(), fileNames());
    }

    private List<String> fileNames() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(file -> file.getFileName().toString()).sorted().toList();
        }
    }

    private static byte[] bytes(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
