package org.kvmstudio.cli.forward;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * The {@code kvmstudio} command's fast path: when an owner (the GUI, {@code kvmstudio agent}) holds
 * the workspace, hand it the command and print what it answers, without starting the platform. Runs
 * on the JDK alone, from the start script. Exits {@value #NO_OWNER} when no owner listens, and the
 * start script then runs the command in a platform of its own.
 */
public final class ForwardingClient {

    /** The exit code that tells the start script to run the command itself. */
    public static final int NO_OWNER = 99;

    private ForwardingClient() {
    }

    public static void main(String[] args) {
        String cwd = Path.of("").toAbsolutePath().toString();
        List<String> arguments = List.of(args);
        Path socket = OwnerSocket.of(OwnerSocket.workspace(arguments, cwd));
        System.exit(forward(socket, cwd, arguments));
    }

    /** Runs the command in the owner; {@link #NO_OWNER} when there is none. */
    public static int forward(Path socket, String cwd, List<String> args) {
        if (!Files.exists(socket)) {
            return NO_OWNER;
        }
        SocketChannel channel;
        try {
            channel = SocketChannel.open(StandardProtocolFamily.UNIX);
            channel.connect(UnixDomainSocketAddress.of(socket));
        } catch (IOException nobodyListens) {
            return NO_OWNER; // a socket left by an owner that died: the command runs here
        }
        try (channel) {
            DataOutputStream out = new DataOutputStream(Channels.newOutputStream(channel));
            DataInputStream in = new DataInputStream(Channels.newInputStream(channel));
            Frames.write(out, Frames.REQUEST, Frames.request(cwd, args));
            for (Frames.Frame f = Frames.read(in); f != null; f = Frames.read(in)) {
                switch (f.kind()) {
                    case Frames.OUT -> {
                        System.out.write(f.payload());
                        System.out.flush();
                    }
                    case Frames.ERR -> {
                        System.err.write(f.payload());
                        System.err.flush();
                    }
                    case Frames.EXIT -> {
                        return Frames.exitCode(f.payload());
                    }
                    default -> throw new IOException("unknown frame " + f.kind());
                }
            }
            System.err.println("kvmstudio: the owner of the workspace went away before the command ended");
            return 1;
        } catch (IOException e) {
            System.err.println("kvmstudio: talking to the owner of the workspace failed: " + e.getMessage());
            return 1;
        }
    }
}
