package org.kvmstudio.workspace;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The exclusive lock on a workspace's {@code .lock} file. The file also names its holder
 * ({@code pid=...}, {@code host=...}) so that a second KVM Studio can say who has the workspace.
 */
final class WorkspaceLock {

    static final String FILE_NAME = ".lock";
    private static final int MAX_HOLDER_BYTES = 4096;

    /*
     * Workspaces this JVM holds, checked before the lock file is even opened: with POSIX locks,
     * closing any channel on the file would release the lock this JVM holds through another one.
     */
    private static final Set<Path> HELD_HERE = ConcurrentHashMap.newKeySet();

    private final Path directory;
    private final FileChannel channel;

    private WorkspaceLock(Path directory, FileChannel channel) {
        this.directory = directory;
        this.channel = channel;
    }

    /** Locks {@code directory} (a real path) or throws {@link WorkspaceLockedException}. */
    static WorkspaceLock acquire(Path directory) throws IOException {
        if (!HELD_HERE.add(directory)) {
            throw new WorkspaceLockedException(
                    "workspace " + directory + " is already open in this KVM Studio (" + Holder.self() + ")");
        }
        FileChannel channel = null;
        try {
            channel = FileChannel.open(directory.resolve(FILE_NAME), StandardOpenOption.CREATE,
                    StandardOpenOption.READ, StandardOpenOption.WRITE);
            if (tryLock(channel) == null) {
                throw new WorkspaceLockedException("workspace " + directory + " is in use by " + Holder.read(channel)
                        + ": close that KVM Studio first");
            }
            Holder.self().write(channel);
            return new WorkspaceLock(directory, channel);
        } catch (Throwable e) {
            if (channel != null) {
                channel.close();
            }
            HELD_HERE.remove(directory);
            throw e;
        }
    }

    /** Releases the lock; the file stays, as deleting it would race with the next KVM Studio opening it. */
    void release() throws IOException {
        try {
            channel.close();
        } finally {
            HELD_HERE.remove(directory);
        }
    }

    private static FileLock tryLock(FileChannel channel) throws IOException {
        try {
            return channel.tryLock();
        } catch (OverlappingFileLockException heldByThisJvm) {
            return null;
        }
    }

    /** Who holds a workspace, as written in its lock file. */
    private record Holder(String pid, String host) {

        static Holder self() {
            return new Holder(Long.toString(ProcessHandle.current().pid()), hostName());
        }

        static Holder read(FileChannel channel) throws IOException {
            ByteBuffer buffer = ByteBuffer.allocate(MAX_HOLDER_BYTES);
            channel.read(buffer, 0);
            Map<String, String> fields = new HashMap<>();
            new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).lines().forEach(line -> {
                int equals = line.indexOf('=');
                if (equals > 0) {
                    fields.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
                }
            });
            return new Holder(fields.getOrDefault("pid", "(unknown)"), fields.getOrDefault("host", "(unknown)"));
        }

        void write(FileChannel channel) throws IOException {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(("pid=" + pid + "\nhost=" + host + "\n").getBytes(StandardCharsets.UTF_8)), 0);
        }

        private static String hostName() {
            try {
                return InetAddress.getLocalHost().getHostName();
            } catch (IOException unresolvable) {
                return "(unknown)";
            }
        }

        @Override
        public String toString() {
            return "process " + pid + " on host " + host;
        }
    }
}
