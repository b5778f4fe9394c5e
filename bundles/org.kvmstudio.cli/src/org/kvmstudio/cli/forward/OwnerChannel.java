package org.kvmstudio.cli.forward;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.util.List;

import jdk.net.ExtendedSocketOptions;
import jdk.net.UnixDomainPrincipal;

/**
 * The owner's end of the command line: a Unix-domain socket in the workspace, in a folder only the
 * owner's user may enter (0700, the socket 0600), which also checks each peer's user with
 * {@code SO_PEERCRED}. Each connection runs one command in the owner and streams its output back.
 * Created only by the process holding the workspace's lock, so a socket found there is stale and
 * replaced.
 */
public final class OwnerChannel implements AutoCloseable {

    /** Runs one command: its working directory and arguments, where it writes, and its exit code. */
    @FunctionalInterface
    public interface Runner {
        int run(String cwd, List<String> args, PrintStream out, PrintStream err);
    }

    private final Path socket;
    private final ServerSocketChannel server;
    private final Runner runner;
    private final UserPrincipal owner;
    private final Thread acceptor;
    /** Commands running for others: a closing owner lets them finish before it lets go of the workspace. */
    private final java.util.concurrent.Phaser running = new java.util.concurrent.Phaser(1);

    private OwnerChannel(Path socket, ServerSocketChannel server, Runner runner, UserPrincipal owner) {
        this.socket = socket;
        this.server = server;
        this.runner = runner;
        this.owner = owner;
        this.acceptor = new Thread(this::accept, "kvmstudio command channel");
        this.acceptor.setDaemon(true);
    }

    /** Listens for commands on {@code workspace}'s owner socket. The caller holds the workspace. */
    public static OwnerChannel open(Path workspace, Runner runner) throws IOException {
        Path socket = OwnerSocket.of(workspace);
        Path dir = socket.getParent();
        if (!Files.isDirectory(dir)) {
            Files.createDirectory(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Files.deleteIfExists(socket);
        ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX);
        server.bind(UnixDomainSocketAddress.of(socket));
        Files.setPosixFilePermissions(socket, PosixFilePermissions.fromString("rw-------"));
        OwnerChannel channel = new OwnerChannel(socket, server, runner,
                workspace.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(System.getProperty("user.name")));
        channel.acceptor.start();
        return channel;
    }

    private void accept() {
        while (server.isOpen()) {
            try {
                SocketChannel client = server.accept();
                running.register();
                Thread t = new Thread(() -> {
                    try {
                        serve(client);
                    } finally {
                        running.arriveAndDeregister();
                    }
                }, "kvmstudio command");
                t.setDaemon(true);
                t.start();
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(SocketChannel client) {
        try (client) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(client));
            UnixDomainPrincipal peer = client.getOption(ExtendedSocketOptions.SO_PEERCRED);
            if (!peer.user().equals(owner) && !"root".equals(peer.user().getName())) {
                Frames.write(out, Frames.ERR, ("kvmstudio: the workspace belongs to " + owner.getName() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                Frames.write(out, Frames.EXIT, Frames.exit(1));
                return;
            }
            Frames.Frame request = Frames.read(new DataInputStream(Channels.newInputStream(client)));
            if (request == null || request.kind() != Frames.REQUEST) {
                return;
            }
            List<String> all = Frames.parseRequest(request.payload());
            PrintStream stdout = stream(out, Frames.OUT);
            PrintStream stderr = stream(out, Frames.ERR);
            int code = runner.run(all.get(0), all.subList(1, all.size()), stdout, stderr);
            stdout.flush();
            stderr.flush();
            Frames.write(out, Frames.EXIT, Frames.exit(code));
        } catch (IOException | RuntimeException gone) {
            // the command line went away (Ctrl-C): nothing more to tell it
        }
    }

    /**
     * A print stream whose bytes become frames of {@code kind}: buffered, so that a long listing goes
     * in a few frames rather than one a line; the command flushes what must be seen at once (progress).
     */
    private static PrintStream stream(DataOutputStream out, byte kind) {
        return new PrintStream(new java.io.BufferedOutputStream(new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                write(new byte[] { (byte) b }, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Frames.write(out, kind, java.util.Arrays.copyOfRange(b, off, off + len));
            }
        }, 1 << 16), false, StandardCharsets.UTF_8);
    }

    /** Stops taking commands, and waits for those running to end. */
    @Override
    public void close() {
        try {
            server.close();
            Files.deleteIfExists(socket);
        } catch (IOException ignored) {
            // the next owner replaces a socket left behind
        }
        running.arriveAndAwaitAdvance();
    }
}
