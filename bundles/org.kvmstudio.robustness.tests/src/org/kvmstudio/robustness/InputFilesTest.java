package org.kvmstudio.robustness;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.input.InputFileException;
import org.kvmstudio.input.InputFiles;

/** The one reader of files handed to KVM Studio: what it refuses, and what it only counts while reading. */
class InputFilesTest {

    @TempDir
    Path dir;

    @Test
    void aFileThatSaysItIsEmptyButIsNotIsCountedWhileRead() throws Exception {
        // /proc files report a size of 0: only counting the bytes read stops one that holds more than the limit
        Path status = Path.of("/proc/self/status");
        assertTrue(Files.size(status) == 0 && Files.isRegularFile(status));
        InputFileException e = assertThrows(InputFileException.class, () -> InputFiles.read(status, 100));
        assertTrue(e.getMessage().contains("is larger than 100 bytes"), e.getMessage());
    }

    @Test
    void regularFilesAndLinksToThemAreRead() throws Exception {
        Path file = Files.writeString(dir.resolve("a.json"), "{}");
        Path link = Files.createSymbolicLink(dir.resolve("link.json"), file);
        assertArrayEquals("{}".getBytes(), InputFiles.read(link));
        assertThrows(NoSuchFileException.class, () -> InputFiles.read(dir.resolve("missing.json")),
                "absence is not a refusal: callers tell them apart");
    }

    @Test
    void everySpecialFileIsRefusedBeforeItIsOpened() throws Exception {
        for (Path special : SpecialFiles.create(dir)) {
            if (special.startsWith("/proc")) {
                continue; // a regular file, read and then refused by the parser
            }
            if (special.getFileName().toString().equals("dangling.json")) {
                assertThrows(NoSuchFileException.class, () -> InputFiles.read(special));
                continue;
            }
            InputFileException e = org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(10),
                    () -> assertThrows(InputFileException.class, () -> InputFiles.read(special), special.toString()));
            assertTrue(e.getMessage().startsWith(special.toString()), e.getMessage());
        }
    }
}
