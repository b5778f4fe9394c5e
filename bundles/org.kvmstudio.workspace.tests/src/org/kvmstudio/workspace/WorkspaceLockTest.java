package org.kvmstudio.workspace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The workspace lock against another process (a small Java program run from source) and within this JVM. */
class WorkspaceLockTest {

    /**
     * Takes the lock file's lock, names itself in it like KVM Studio does, says "locked" and holds
     * the lock until its stdin closes; if the lock is taken, says "busy" and who holds it.
     */
    private static final String LOCK_HOLDER = """
            import java.nio.ByteBuffer;
            import java.nio.channels.FileChannel;
            import java.nio.charset.StandardCharsets;
            import java.nio.file.Path;
            import java.nio.file.StandardOpenOption;

            public class LockHolder {
                public static void main(String[] args) throws Exception {
                    try (FileChannel channel = FileChannel.open(Path.of(args[0]), StandardOpenOption.CREATE,
                            StandardOpenOption.READ, StandardOpenOption.WRITE)) {
                        if (channel.tryLock() == null) {
                            ByteBuffer holder = ByteBuffer.allocate(4096);
                            channel.read(holder, 0);
                            String text = new String(holder.array(), 0, holder.position(), StandardCharsets.UTF_8);
                            System.out.println("busy " + text.replace('\\n', ' '));
                            return;
                        }
                        String self = "pid=" + ProcessHandle.current().pid() + "\\nhost=lockholder-host\\n";
                        channel.truncate(0);
                        channel.write(ByteBuffer.wrap(self.getBytes(StandardCharsets.UTF_8)), 0);
                        System.out.println("locked");
                        while (System.in.read() != -1) {
                            // hold the lock until the test closes our stdin
                        }
                    }
                }
            }
            """;

    @TempDir
    Path dir;

    @Test
    void workspaceLockedByAnotherProcessCannotBeOpenedUntilItEnds() throws Exception {
        Path workspaceDir = Files.createDirectories(dir.resolve("workspace"));
        Process holder = startLockHolder(workspaceDir);
        try {
            assertEquals("locked", firstLine(holder));

            WorkspaceLockedException e = assertThrows(WorkspaceLockedException.class, () -> Workspace.open(workspaceDir));
            assertTrue(e.getMessage().contains(workspaceDir.toRealPath().toString()), e.getMessage());
            assertTrue(e.getMessage().contains("process " + holder.pid() + " on host lockholder-host"), e.getMessage());

            holder.getOutputStream().close();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS), "the lock holder did not end");
        } finally {
            holder.destroyForcibly();
        }
        Workspace.open(workspaceDir).close();
    }

    @Test
    void secondOpenInTheSameJvmFailsAndLeavesTheLockHeld() throws Exception {
        Path workspaceDir = dir.resolve("workspace");
        String ownPid = Long.toString(ProcessHandle.current().pid());
        try (Workspace first = Workspace.open(workspaceDir)) {
            WorkspaceLockedException e = assertThrows(WorkspaceLockedException.class, () -> Workspace.open(workspaceDir));
            assertTrue(e.getMessage().contains("process " + ownPid), e.getMessage());

            // the failed attempt must not have dropped the lock: another process still finds it taken, by us
            Process holder = startLockHolder(workspaceDir);
            try {
                String answer = firstLine(holder);
                assertTrue(answer.startsWith("busy ") && answer.contains("pid=" + ownPid + " "), answer);
                assertTrue(holder.waitFor(60, TimeUnit.SECONDS), "the lock holder did not end");
            } finally {
                holder.destroyForcibly();
            }
            assertEquals(0, first.partitions().size());
        }
        Workspace.open(workspaceDir).close();
    }

    /** Runs {@link #LOCK_HOLDER} with the java launcher of this JVM, in source-file mode. */
    private Process startLockHolder(Path workspaceDir) throws IOException {
        Path source = dir.resolve("LockHolder.java");
        Files.writeString(source, LOCK_HOLDER);
        String java = ProcessHandle.current().info().command().orElseThrow();
        return new ProcessBuilder(java, source.toString(), workspaceDir.resolve(WorkspaceLock.FILE_NAME).toString())
                .redirectError(dir.resolve("lockholder.err").toFile())
                .start();
    }

    private String firstLine(Process process) {
        String line = assertTimeoutPreemptively(Duration.ofSeconds(120),
                () -> new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)).readLine());
        assertNotNull(line, () -> "the lock holder said nothing; its errors: " + readErrors());
        return line;
    }

    private String readErrors() {
        try {
            return Files.readString(dir.resolve("lockholder.err"));
        } catch (IOException e) {
            return e.toString();
        }
    }
}
