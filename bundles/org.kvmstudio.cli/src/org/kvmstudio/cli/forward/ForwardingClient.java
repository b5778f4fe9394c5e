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
 * Hands a command to the owner of its workspace (the GUI, {@code kvmstudio agent}) and prints what it
 * answers. The start script's fast path does the same without a JVM ({@code native/kvmstudio-forward.c},
 * which speaks {@link Frames}); this one serves a command that started its platform because nobody
 * listened then, or that waits for a short command to let go of the workspace. JDK only.
 */
public final class ForwardingClient {

    /** What {@link #forward} returns, and the native client exits with, when no owner listens. */
    public static final int NO_OWNER = 99;

    private ForwardingClient() {
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
