package org.kvmstudio.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Template;

class WorkspaceTest {

    @TempDir
    Path dir;

    @Test
    void savedPartitionsAndTemplatesAreReadBackSorted() throws IOException {
        try (Workspace workspace = Workspace.open(dir)) {
            for (String id : List.of("SOFTINST-10", "SOFTINST-2", "SOFTINST-1")) {
                workspace.save(Fixtures.partition(id));
            }
            workspace.save(Fixtures.richPartition("SOFTINST-3"));
            workspace.save(Fixtures.template("small"));
            workspace.save(Fixtures.template("Big"));
        }

        try (Workspace workspace = Workspace.open(dir)) {
            assertEquals(List.of("SOFTINST-1", "SOFTINST-2", "SOFTINST-3", "SOFTINST-10"),
                    workspace.partitions().stream().map(Partition::id).toList());
            assertEquals(Optional.of(Fixtures.richPartition("SOFTINST-3")), workspace.partition("SOFTINST-3"));
            assertEquals(List.of("Big", "small"), workspace.templates().stream().map(Template::name).toList());
            assertEquals(Optional.of(Fixtures.template("small")), workspace.template("small"));
            assertEquals(List.of(), workspace.loadProblems());
        }
        assertTrue(Files.isRegularFile(dir.resolve("partitions/SOFTINST-10.json")));
        assertTrue(Files.isRegularFile(dir.resolve("templates/Big.json")));
    }

    @Test
    void savingReplacesAndDeletingRemoves() throws IOException {
        try (Workspace workspace = Workspace.open(dir)) {
            Partition first = Fixtures.partition("SOFTINST-1");
            workspace.save(first);
            workspace.save(first.withHost("COMP-9"));
            workspace.save(Fixtures.partition("SOFTINST-2"));
            workspace.save(Fixtures.template("t"));
            workspace.deletePartition("SOFTINST-2");
            workspace.deleteTemplate("t");

            assertEquals(List.of(first.withHost("COMP-9")), workspace.partitions());
            assertEquals(List.of(), workspace.templates());
        }
        try (Workspace workspace = Workspace.open(dir)) {
            assertEquals(List.of(Fixtures.partition("SOFTINST-1").withHost("COMP-9")), workspace.partitions());
            assertEquals(List.of(), workspace.templates());
        }
        assertFalse(Files.exists(dir.resolve("partitions/SOFTINST-2.json")));
    }

    @Test
    void aPartitionWrittenDurablyHoldsUpNeitherReadsNorOtherPartitionsAndItsOwnWritesKeepTheirOrder() throws Exception {
        Workspace workspace = Workspace.open(dir);
        Partition first = Fixtures.partition("SOFTINST-1");
        workspace.save(first);
        workspace.save(Fixtures.partition("SOFTINST-2"));
        workspace.state("SOFTINST-1").put("port", 5900);
        HeldWrites held = new HeldWrites(workspace, "SOFTINST-1.json");
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            // a write of SOFTINST-1 stays under way, as a write held up by a busy disk does
            Future<?> slow = threads.submit(() -> save(workspace, first.withHost("COMP-1")));
            assertTrue(held.inWrite.await(10, TimeUnit.SECONDS));
            // meanwhile reads answer what is on disk, and another partition is written
            Future<?> beside = threads.submit(() -> {
                assertEquals(Optional.of(first), workspace.partition("SOFTINST-1"));
                assertEquals(2, workspace.partitions().size());
                assertEquals(Optional.of(5900L), workspace.state("SOFTINST-1").get("port"));
                workspace.id();
                save(workspace, Fixtures.partition("SOFTINST-2").withHost("COMP-2"));
                return null;
            });
            beside.get(10, TimeUnit.SECONDS);
            assertEquals("COMP-2", workspace.partition("SOFTINST-2").orElseThrow().hostId());
            // a second write of SOFTINST-1 waits for the first, and a close for both
            Future<?> next = threads.submit(() -> save(workspace, first.withHost("COMP-3")));
            assertThrows(TimeoutException.class, () -> next.get(300, TimeUnit.MILLISECONDS));
            Future<?> close = threads.submit(() -> {
                workspace.close();
                return null;
            });
            assertThrows(TimeoutException.class, () -> close.get(300, TimeUnit.MILLISECONDS));
            held.letGo.countDown();
            slow.get(10, TimeUnit.SECONDS);
            next.get(10, TimeUnit.SECONDS);
            close.get(10, TimeUnit.SECONDS);
        } finally {
            held.letGo.countDown();
            threads.shutdownNow();
            workspace.close();
        }
        try (Workspace reopened = Workspace.open(dir)) {
            assertEquals("COMP-3", reopened.partition("SOFTINST-1").orElseThrow().hostId());
            assertEquals("COMP-2", reopened.partition("SOFTINST-2").orElseThrow().hostId());
        }
    }

    @Test
    void aCloseWaitsForTheWriteUnderWayAndNoWriteStartsAfterIt() throws Exception {
        Workspace workspace = Workspace.open(dir);
        HeldWrites held = new HeldWrites(workspace, ".json");
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            Future<?> write = threads.submit(() -> save(workspace, Fixtures.partition("SOFTINST-1")));
            assertTrue(held.inWrite.await(10, TimeUnit.SECONDS));
            Future<?> close = threads.submit(() -> {
                workspace.close();
                return null;
            });
            assertThrows(TimeoutException.class, () -> close.get(300, TimeUnit.MILLISECONDS));
            held.letGo.countDown();
            write.get(10, TimeUnit.SECONDS);
            close.get(10, TimeUnit.SECONDS);
            assertThrows(IllegalStateException.class, () -> workspace.save(Fixtures.partition("SOFTINST-2")));
        } finally {
            held.letGo.countDown();
            threads.shutdownNow();
        }
        try (Workspace reopened = Workspace.open(dir)) {
            assertEquals(List.of("SOFTINST-1"), reopened.partitions().stream().map(Partition::id).toList());
        }
    }

    @Test
    void aGuidWhosePartitionIsWrittenFromOutsideIsNeverHandedOutMeanwhile() throws Exception {
        Workspace workspace = Workspace.open(dir);
        HeldWrites held = new HeldWrites(workspace, "SOFTINST-1.json");
        ExecutorService threads = Executors.newCachedThreadPool();
        try {
            // SOFTINST-1 is the next guid the counter would hand out; its partition arrives from elsewhere
            Future<?> adopted = threads.submit(() -> save(workspace, Fixtures.partition("SOFTINST-1")));
            assertTrue(held.inWrite.await(10, TimeUnit.SECONDS));
            assertEquals("SOFTINST-2", workspace.nextInstanceGuid(), "not the guid whose file is being written");
            held.letGo.countDown();
            adopted.get(10, TimeUnit.SECONDS);
            assertEquals("SOFTINST-3", workspace.nextInstanceGuid());
        } finally {
            held.letGo.countDown();
            threads.shutdownNow();
            workspace.close();
        }
    }

    private static Void save(Workspace workspace, Partition p) throws IOException {
        workspace.save(p);
        return null;
    }

    /** Holds the partition writes whose file name contains {@code name} once written, as a busy disk does, until let go. */
    private static final class HeldWrites {
        final CountDownLatch inWrite = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);

        HeldWrites(Workspace workspace, String name) {
            workspace.beforePartitionRename = temp -> {
                if (temp.getFileName().toString().contains(name)) {
                    inWrite.countDown();
                    try {
                        if (!letGo.await(30, TimeUnit.SECONDS)) {
                            throw new IOException("never let go");
                        }
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        throw new IOException(e);
                    }
                }
            };
        }
    }

    @Test
    void crashBetweenTemporaryFileAndRenameKeepsTheOldPartitionAndNextOpenCleansUp() throws IOException {
        Partition saved = Fixtures.partition("SOFTINST-1");
        try (Workspace workspace = Workspace.open(dir)) {
            workspace.save(saved);
        }
        Path file = dir.resolve("partitions/SOFTINST-1.json");
        byte[] changed = WorkspaceJson.partitionToJson(saved.withHost("COMP-2"));

        assertThrows(IOException.class, () -> AtomicFiles.write(file, changed, temp -> {
            throw new IOException("simulated crash");
        }));
        // a crash that kills the process before the rename leaves its temporary file behind
        Path leftover = file.resolveSibling(".SOFTINST-1.json.tmp-4711");
        Files.write(leftover, changed);

        try (Workspace workspace = Workspace.open(dir)) {
            assertEquals(List.of(saved), workspace.partitions());
            assertEquals(List.of(), workspace.loadProblems());
        }
        assertFalse(Files.exists(leftover));
    }

    @Test
    void unreadableFilesAreMovedAsideAndReportedWhileTheOthersLoad() throws IOException {
        try (Workspace workspace = Workspace.open(dir)) {
            workspace.save(Fixtures.partition("SOFTINST-1"));
            workspace.save(Fixtures.template("good"));
        }
        String valid = json(Fixtures.partition("SOFTINST-2"));
        Map<String, String> broken = Map.of(
                "partitions/SOFTINST-2.json", valid.substring(0, valid.length() / 2),
                "partitions/SOFTINST-3.json", json(Fixtures.partition("SOFTINST-3")).replace("\"revision\"", "\"colour\": 1, \"revision\""),
                "partitions/SOFTINST-4.json", json(Fixtures.partition("SOFTINST-4")).replace("\"format\": 1", "\"format\": 2"),
                "partitions/SOFTINST-5.json", json(Fixtures.partition("SOFTINST-6")),
                "partitions/notes.json", json(Fixtures.partition("SOFTINST-7")),
                "templates/bad.json", "{\"format\": 1, \"template\": {}}");
        Map<String, String> reasons = Map.of(
                "partitions/SOFTINST-2.json", "end-of-input",
                "partitions/SOFTINST-3.json", "colour",
                "partitions/SOFTINST-4.json", "written by a newer KVM Studio (format 2); this version reads format 1",
                "partitions/SOFTINST-5.json", "SOFTINST-6",
                "partitions/notes.json", "not an instance guid",
                "templates/bad.json", "name");
        for (Map.Entry<String, String> file : broken.entrySet()) {
            Files.writeString(dir.resolve(file.getKey()), file.getValue());
        }

        try (Workspace workspace = Workspace.open(dir)) {
            assertEquals(List.of(Fixtures.partition("SOFTINST-1")), workspace.partitions());
            assertEquals(List.of(Fixtures.template("good")), workspace.templates());
            List<LoadProblem> problems = workspace.loadProblems();
            assertEquals(broken.size(), problems.size(), problems::toString);
            for (LoadProblem problem : problems) {
                String original = workspace.directory().relativize(problem.original()).toString();
                assertTrue(problem.reason().contains(reasons.get(original)), problem::toString);
                assertFalse(Files.exists(problem.original()), problem::toString);
                assertTrue(problem.keptAs().startsWith(workspace.directory().resolve("corrupt").resolve(original).getParent()),
                        problem::toString);
                assertEquals(broken.get(original), Files.readString(problem.keptAs()), problem::toString);
            }
        }
    }

    @Test
    void filesMovedAsideNeverOverwriteEachOther() throws IOException {
        List<Path> keptAs = new ArrayList<>();
        for (int round = 0; round < 3; round++) {
            Files.createDirectories(dir.resolve("partitions"));
            Files.writeString(dir.resolve("partitions/SOFTINST-1.json"), "round " + round);
            try (Workspace workspace = Workspace.open(dir)) {
                keptAs.add(workspace.loadProblems().get(0).keptAs());
            }
        }

        assertEquals(3, new HashSet<>(keptAs).size(), keptAs::toString);
        for (int round = 0; round < 3; round++) {
            assertEquals("round " + round, Files.readString(keptAs.get(round)));
        }
    }

    @Test
    void corruptWorkspaceFileDoesNotResetTheGuidCounter() throws IOException {
        try (Workspace workspace = Workspace.open(dir)) {
            for (int i = 0; i < 3; i++) {
                workspace.save(Fixtures.partition(workspace.nextInstanceGuid()));
            }
            workspace.deletePartition("SOFTINST-2");
        }
        Files.writeString(dir.resolve("workspace.json"), "{\"format\": 1, \"nextInstanceNu");

        try (Workspace workspace = Workspace.open(dir)) {
            assertEquals(dir.toRealPath().resolve("workspace.json"), workspace.loadProblems().get(0).original());
            assertEquals("SOFTINST-4", workspace.nextInstanceGuid());
        }
    }

    @Test
    void idsOfUnreadablePartitionsAreNotHandedOutAgain() throws IOException {
        Files.createDirectories(dir.resolve("partitions"));
        Files.writeString(dir.resolve("partitions/SOFTINST-7.json"), "not json");

        try (Workspace workspace = Workspace.open(dir)) {
            assertEquals(1, workspace.loadProblems().size());
            assertEquals("SOFTINST-8", workspace.nextInstanceGuid());
        }
    }

    @Test
    void instanceGuidsSurviveReopeningAndNeverRepeat() throws IOException {
        List<String> guids = new ArrayList<>();
        for (int session = 0; session < 3; session++) {
            try (Workspace workspace = Workspace.open(dir)) {
                for (int i = 0; i < 4; i++) {
                    guids.add(workspace.nextInstanceGuid());
                }
            }
        }
        try (Workspace workspace = Workspace.open(dir)) {
            // a partition saved under an id not handed out here moves the counter past it
            workspace.save(Fixtures.partition("SOFTINST-100"));
            guids.add(workspace.nextInstanceGuid());
        }

        assertEquals(List.of("SOFTINST-1", "SOFTINST-2", "SOFTINST-3", "SOFTINST-4"), guids.subList(0, 4));
        assertEquals("SOFTINST-12", guids.get(11));
        assertEquals("SOFTINST-101", guids.get(12));
        assertEquals(guids.size(), new HashSet<>(guids).size(), guids::toString);
    }

    @Test
    void guidsAreReservedABlockAtATimeAndAWorkspaceLeftByACrashNeverHandsOneOutAgain(@TempDir Path afterCrash)
            throws IOException {
        List<String> handedOut = new ArrayList<>();
        try (Workspace workspace = Workspace.open(dir)) {
            handedOut.add(workspace.nextInstanceGuid());
            String counter = Files.readString(dir.resolve("workspace.json"));
            for (int i = 0; i < 40; i++) { // past the first block
                String guid = workspace.nextInstanceGuid();
                handedOut.add(guid);
                workspace.save(Fixtures.partition(guid));
                if (i < 5) {
                    assertEquals(counter, Files.readString(dir.resolve("workspace.json")),
                            "a guid of the block already reserved writes no counter");
                }
            }
            workspace.deletePartition(handedOut.get(handedOut.size() - 1)); // its number must not come back either
            // the files as a crash now would leave them (the lock file is not locked in the copy)
            try (Stream<Path> files = Files.walk(dir)) {
                for (Path f : files.toList()) {
                    Path to = afterCrash.resolve(dir.relativize(f).toString());
                    if (Files.isDirectory(f)) {
                        Files.createDirectories(to);
                    } else {
                        Files.copy(f, to);
                    }
                }
            }
        }
        try (Workspace crashed = Workspace.open(afterCrash)) {
            String next = crashed.nextInstanceGuid();
            assertFalse(handedOut.contains(next), next + " was handed out before the crash");
            assertEquals("SOFTINST-65", next, "the rest of the block reserved last is skipped");
        }
        try (Workspace reopened = Workspace.open(dir)) {
            assertEquals("SOFTINST-42", reopened.nextInstanceGuid(), "a clean close gives back what was reserved");
            reopened.save(Fixtures.partition("SOFTINST-500")); // imported, beyond the block
            assertEquals("SOFTINST-501", reopened.nextInstanceGuid());
        }
        try (Workspace reopened = Workspace.open(dir)) {
            assertEquals("SOFTINST-502", reopened.nextInstanceGuid());
        }
    }

    @Test
    void idsAndNamesAreCheckedBeforeTheyBecomePaths() throws IOException {
        Path workspaceDir = dir.resolve("ws");
        try (Workspace workspace = Workspace.open(workspaceDir)) {
            assertThrows(IllegalArgumentException.class, () -> workspace.save(Fixtures.partition("../../escape")));
            assertThrows(IllegalArgumentException.class, () -> workspace.save(Fixtures.partition("SOFTINST-1/../x")));
            assertThrows(IllegalArgumentException.class, () -> workspace.deletePartition("../workspace"));
            assertThrows(org.kvmstudio.model.InvalidRequestException.class, () -> workspace.deleteTemplate("../partitions/SOFTINST-1"));
            assertEquals(Optional.empty(), workspace.partition("../workspace"));
        }
        assertTrue(Files.exists(workspaceDir.resolve("workspace.json")));
        try (Stream<Path> files = Files.walk(dir)) {
            assertFalse(files.anyMatch(file -> file.getFileName().toString().contains("escape")));
        }
    }

    @Test
    void closedWorkspaceRefusesToBeUsed() throws IOException {
        Workspace workspace = Workspace.open(dir);
        workspace.close();
        workspace.close();

        assertThrows(IllegalStateException.class, workspace::partitions);
        assertThrows(IllegalStateException.class, workspace::nextInstanceGuid);
        assertThrows(IllegalStateException.class, () -> workspace.save(Fixtures.template("t")));
        assertEquals(dir.toRealPath(), workspace.directory());
    }

    @Test
    void defaultLocationFollowsTheSystemProperty() {
        String previous = System.getProperty(Workspace.LOCATION_PROPERTY);
        try {
            System.setProperty(Workspace.LOCATION_PROPERTY, dir.toString());
            assertEquals(dir, Workspace.defaultLocation());
            System.setProperty(Workspace.LOCATION_PROPERTY, " ");
            assertNotEquals(Path.of(" "), Workspace.defaultLocation());
        } finally {
            if (previous == null) {
                System.clearProperty(Workspace.LOCATION_PROPERTY);
            } else {
                System.setProperty(Workspace.LOCATION_PROPERTY, previous);
            }
        }
    }

    private static String json(Partition partition) {
        try {
            return new String(WorkspaceJson.partitionToJson(partition), StandardCharsets.UTF_8);
        } catch (FileTooLargeException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void privateStateIsOwnerOnlyGoesWithItsPartitionAndAnUnreadableOneIsKeptAsideNotFatal() throws IOException {
        try (Workspace workspace = Workspace.open(dir)) {
            workspace.save(Fixtures.partition("SOFTINST-4"));
            PartitionState state = workspace.state("SOFTINST-4");
            state.put("vnc-password", "s3cret-pw");
            Path file = dir.resolve("state").resolve("SOFTINST-4").resolve("state.json");
            assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
            assertFalse(Files.readString(dir.resolve("partitions").resolve("SOFTINST-4.json")).contains("s3cret-pw"));
            workspace.deletePartition("SOFTINST-4");
            assertFalse(Files.exists(file.getParent()), "the state goes with its partition");

            workspace.save(Fixtures.partition("SOFTINST-5"));
            workspace.state("SOFTINST-5").put("k", "v");
        }
        Path file = dir.resolve("state").resolve("SOFTINST-5").resolve("state.json");
        Files.writeString(file, "{ not json");
        try (Workspace workspace = Workspace.open(dir)) {
            assertEquals(Optional.empty(), workspace.state("SOFTINST-5").get("k"));
            try (Stream<Path> kept = Files.list(file.getParent())) {
                assertEquals(1, kept.filter(f -> f.getFileName().toString().startsWith("state.json.unreadable-")).count());
            }
            workspace.state("SOFTINST-5").put("k", "again");
            assertEquals(Optional.of("again"), workspace.state("SOFTINST-5").get("k"));

            // several values at once: one write, a null removes
            java.util.HashMap<String, Object> two = new java.util.HashMap<>(Map.of("a", 1, "b", "two"));
            two.put("k", null);
            workspace.state("SOFTINST-5").putAll(two);
        }
        try (Workspace workspace = Workspace.open(dir)) {
            PartitionState state = workspace.state("SOFTINST-5");
            assertEquals(List.of(Optional.of(1L), Optional.of("two"), Optional.empty()),
                    List.of(state.get("a").map(n -> ((Number) n).longValue()), state.get("b"), state.get("k")),
                    "written through, as the file gives them back");
        }
    }
}
