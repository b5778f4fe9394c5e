package org.kvmstudio.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.cli.forward.ForwardingClient;
import org.kvmstudio.cli.forward.OwnerChannel;
import org.kvmstudio.cli.forward.OwnerSocket;
import org.kvmstudio.core.Studio;
import org.kvmstudio.release.kvm.KvmRelease;

/**
 * The start script's native forwarding client ({@code native/kvmstudio-forward.c}, as the build
 * compiled it), run as a process against the owner's real socket: what it sends must be what the
 * JVM's {@link org.kvmstudio.cli.forward.Frames} read, byte for byte, and what it prints and exits
 * with must be what the owner said.
 */
class NativeForwardingClientTest {

    @TempDir
    Path dir;

    /** What the client printed and exited with. */
    record Run(int code, String out, String err, long pid) {
    }

    private static Path client() {
        Path client = Path.of(System.getProperty("kvmstudio.forwarder", "kvmstudio.forwarder is not set"));
        assertTrue(Files.isExecutable(client), "the build compiles the client to " + client);
        return client;
    }

    private Run run(Path cwd, Map<String, String> env, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(client().toString()));
        command.addAll(List.of(args));
        return run(command, cwd, env);
    }

    /** Runs {@code command} with its output and error read through pipes, as a terminal's pipeline would. */
    private static Run run(List<String> command, Path cwd, Map<String, String> env) throws Exception {
        ProcessBuilder pb = new ProcessBuilder(command).directory(cwd.toFile());
        pb.environment().remove("KVMSTUDIO_WORKSPACE");
        pb.environment().putAll(env);
        Process p = pb.start();
        try {
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(p.getErrorStream()));
            String out = read(p.getInputStream());
            assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the client ended");
            return new Run(p.exitValue(), out, err.get(30, TimeUnit.SECONDS), p.pid());
        } finally {
            p.destroyForcibly();
        }
    }

    private static String read(java.io.InputStream in) {
        try (in) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void argumentsAndWorkingDirectoryArriveByteForByteAndOutputErrorAndExitCodeComeBack() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path cwd = Files.createDirectories(dir.resolve("here"));
        AtomicReference<List<String>> seen = new AtomicReference<>();
        AtomicReference<String> seenCwd = new AtomicReference<>();
        try (OwnerChannel channel = OwnerChannel.open(ws, (where, args, out, err) -> {
            seenCwd.set(where);
            seen.set(List.copyOf(args));
            out.print("listed é ✓\n");
            err.print("a warning\n");
            out.print("x".repeat(300_000)); // more than one frame, and more than a pipe holds
            return 42;
        })) {
            String[] args = {"request", "a b", "\"quoted\" 'too'", "$HOME;`id`", "line\nbreak", "", "é✓", "--workspace", ws.toString()};
            Run r = run(cwd, Map.of(), args);
            assertEquals(42, r.code(), r.err());
            assertEquals(List.of(args), seen.get());
            assertEquals(cwd.toRealPath().toString(), seenCwd.get());
            assertEquals("listed é ✓\n" + "x".repeat(300_000), r.out());
            assertEquals("a warning\n", r.err());
        }
    }

    @Test
    void theWorkspaceIsFoundAsThePlatformFindsIt() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path cwd = Files.createDirectories(dir.resolve("a").resolve("b"));
        try (OwnerChannel channel = OwnerChannel.open(ws, (where, args, out, err) -> 7)) {
            assertEquals(7, run(cwd, Map.of(), "list", "--workspace", "../../ws").code(), "relative to the working directory");
            assertEquals(7, run(cwd, Map.of(), "list", "--workspace=" + dir.resolve("a/../ws/.")).code(), "normalised");
            assertEquals(7, run(cwd, Map.of("KVMSTUDIO_WORKSPACE", "../../ws"), "list").code(), "from the environment");
            assertEquals(ForwardingClient.NO_OWNER, run(cwd, Map.of("KVMSTUDIO_WORKSPACE", "../../ws"), "list",
                    "--workspace", "../other").code(), "--workspace comes before the environment");
            assertEquals(OwnerSocket.workspace(List.of("list", "--workspace", "../../ws"), cwd.toString()), ws,
                    "the JVM's rule finds the same folder");
        }
    }

    @Test
    void withoutAListeningOwnerItExitsNinetyNineSoThatThePlatformRunsTheCommand() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        assertEquals(ForwardingClient.NO_OWNER, run(dir, Map.of("KVMSTUDIO_WORKSPACE", ws.toString()), "list").code(),
                "no socket");
        // an owner that died leaves its socket behind: nobody accepts on it
        Path socket = OwnerSocket.of(ws);
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel dead = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            dead.bind(UnixDomainSocketAddress.of(socket));
        }
        assertTrue(Files.exists(socket));
        Run r = run(dir, Map.of("KVMSTUDIO_WORKSPACE", ws.toString()), "list");
        assertEquals(ForwardingClient.NO_OWNER, r.code(), "a stale socket");
        assertEquals("", r.err(), "nothing to say: the platform takes over");
    }

    @Test
    void withAFallbackItBecomesThePlatformsStartWhereNobodyListensOrTheOwnerIsAShortCommand() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        // stands for the start script: says how it was run
        Path script = dir.resolve("start");
        Files.writeString(script, "#!/bin/sh\necho \"platform [$KVMSTUDIO_NO_FORWARD] $# $*\"\necho $$ >&2\nexit 5\n");
        Files.setPosixFilePermissions(script, java.nio.file.attribute.PosixFilePermissions.fromString("rwx------"));
        Map<String, String> env = Map.of("KVMSTUDIO_WORKSPACE", ws.toString());
        Run alone = run(dir, env, "--fallback", script.toString(), "list", "a b");
        assertEquals(5, alone.code(), alone.err());
        assertEquals("platform [1] 2 list a b\n", alone.out(), "the platform is started with the arguments");
        assertEquals(Long.toString(alone.pid()), alone.err().strip(), "in the same process, which signals reach");
        try (OwnerChannel channel = OwnerChannel.open(ws, (where, args, out, err) -> Cli.BUSY)) {
            Run busy = run(dir, env, "--fallback", script.toString(), "list");
            assertEquals(5, busy.code());
            assertEquals("platform [1] 1 list\n", busy.out(), "the platform waits for a short command to let go");
        }
        try (OwnerChannel channel = OwnerChannel.open(ws, (where, args, out, err) -> 0)) {
            Run served = run(dir, env, "--fallback", script.toString(), "list");
            assertEquals(0, served.code());
            assertEquals("", served.out(), "an owner that answered is the end of it");
        }
    }

    @Test
    void aClosedStandardOutputNeitherHangsTheClientNorSendsItsOutputToTheOwner() throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        try (OwnerChannel channel = OwnerChannel.open(ws, (where, args, out, err) -> {
            out.print("x".repeat(2_000_000)); // more than a socket's buffer: written back to the owner, it would block both
            out.flush();
            return 3;
        })) {
            // the shell starts the client with descriptor 1 closed, as some daemons and `cmd >&-` do
            Run r = run(List.of("sh", "-c", "exec \"$0\" list >&-", client().toString()), dir,
                    Map.of("KVMSTUDIO_WORKSPACE", ws.toString()));
            assertEquals(3, r.code(), r.err());
        }
    }

    /** The client's run against an owner that reads the request, answers {@code reply} and goes away. */
    private Run againstAnOwnerThatSays(byte[] reply) throws Exception {
        Path ws = Files.createDirectories(dir.resolve("ws"));
        Path socket = OwnerSocket.of(ws);
        Files.createDirectories(socket.getParent());
        try (ServerSocketChannel owner = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
            owner.bind(UnixDomainSocketAddress.of(socket));
            Thread t = new Thread(() -> {
                try (SocketChannel c = owner.accept()) {
                    c.read(java.nio.ByteBuffer.allocate(1 << 16)); // the request
                    c.write(java.nio.ByteBuffer.wrap(reply));
                } catch (IOException ignored) {
                    // the test sees what the client made of it
                }
            });
            t.start();
            Run r = run(dir, Map.of("KVMSTUDIO_WORKSPACE", ws.toString()), "list");
            t.join();
            return r;
        }
    }

    @Test
    void anOwnerThatEndsTheStreamBetweenFramesIsAnErrorNotASuccess() throws Exception {
        Run r = againstAnOwnerThatSays(new byte[] {2, 0, 0, 0, 3, 'o', 'k', '\n'}); // a whole frame, then gone
        assertEquals(1, r.code());
        assertEquals("ok\n", r.out());
        assertTrue(r.err().contains("went away before the command ended"), r.err());
    }

    @Test
    void anOwnerThatGoesAwayMidCommandIsAnErrorNotASuccess() throws Exception {
        Run r = againstAnOwnerThatSays(new byte[] {2, 0, 0, 0, 10, 'h', 'i'}); // half a frame of output, then gone
        assertEquals(1, r.code());
        assertTrue(r.err().contains("talking to the owner of the workspace failed"), r.err());
    }

    @Test
    void aRequestHandedToTheOwnersCommandServerIsRecordedThere() throws Exception {
        Studio studio = Studio.open(dir.resolve("ws"), Clock.systemUTC());
        try {
            studio.releases().add(new KvmRelease());
            studio.provisioners().add(new CliTest.Publishing());
            try (OwnerChannel channel = CommandServer.serve(studio, true)) {
                Run r = run(dir, Map.of("KVMSTUDIO_WORKSPACE", studio.workspaceDirectory().toString()),
                        "request", "fwd", "kvm", "--parameters", "ram-size=1536");
                assertEquals(Cli.OK, r.code(), r.err());
                assertTrue(r.out().contains("backend-url = ws://127.0.0.1:5700/"), r.out());
                assertEquals(1536L, studio.engine().instance("fwd").orElseThrow().parameters().get("ram-size").orElseThrow());
                Run bad = run(dir, Map.of("KVMSTUDIO_WORKSPACE", studio.workspaceDirectory().toString()),
                        "request", "bad", "kvm", "--parameters", "ram-size=1");
                assertEquals(Cli.FAILED, bad.code());
                assertTrue(bad.err().contains("/ram-size"), bad.err());
            }
        } finally {
            studio.close();
        }
        assertTrue(new String(Files.readAllBytes(dir.resolve("ws").resolve("partitions").resolve("SOFTINST-1.json")),
                StandardCharsets.UTF_8).contains("\"fwd\""));
    }
}
