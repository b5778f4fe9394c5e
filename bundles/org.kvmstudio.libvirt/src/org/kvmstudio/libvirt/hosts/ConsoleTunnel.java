package org.kvmstudio.libvirt.hosts;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A guest's console websocket on another machine's loopback, made a port of this machine's loopback:
 * each connection to it is carried by its own {@code ssh -W} to the host ({@link SshRoute}), as libvirt
 * reaches that host. Nothing runs until a console is opened, and a broken SSH connection costs only
 * the console it carried. The port stays while the websocket behind it moves (a restarted guest gets
 * another one from libvirt), so that the URLs naming it stay right.
 */
public final class ConsoleTunnel implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConsoleTunnel.class.getName());
    /** What of ssh's complaints is kept for the log. */
    private static final int MAX_STDERR = 2048;

    private final SshRoute route;
    private final ServerSocket server;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile int remotePort;

    private record Connection(Socket client, Process ssh) {
        void close() {
            ssh.destroy();
            try {
                client.close();
            } catch (IOException ignored) {
                // closed either way
            }
        }
    }

    private ConsoleTunnel(SshRoute route, ServerSocket server, int remotePort) {
        this.route = route;
        this.server = server;
        this.remotePort = remotePort;
    }

    /** Listens on {@code localPort} of this machine's loopback for connections to {@code remotePort} of the host's. */
    public static ConsoleTunnel open(SshRoute route, int localPort, int remotePort) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            server.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), localPort));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        ConsoleTunnel tunnel = new ConsoleTunnel(route, server, remotePort);
        Thread.ofPlatform().daemon().name("console tunnel to " + route.destination() + " on " + localPort).start(tunnel::accept);
        return tunnel;
    }

    public int localPort() {
        return server.getLocalPort();
    }

    public SshRoute route() {
        return route;
    }

    public int remotePort() {
        return remotePort;
    }

    /** Where the next connections go: the guest's websocket moved. Those open keep their way. */
    public void retarget(int port) {
        remotePort = port;
    }

    public boolean isOpen() {
        return !server.isClosed();
    }

    private void accept() {
        while (!server.isClosed()) {
            try {
                carry(server.accept());
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void carry(Socket client) {
        Process ssh;
        try {
            ssh = new ProcessBuilder(route.connectTo(remotePort)).start();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot run ssh to reach a console on " + route.destination() + ": " + e.getMessage());
            try {
                client.close();
            } catch (IOException ignored) {
                // closed either way
            }
            return;
        }
        Connection c = new Connection(client, ssh);
        open.add(c);
        Thread.ofVirtual().start(() -> toHost(client, ssh));
        Thread.ofVirtual().start(() -> toClient(ssh, client, c));
        Thread.ofVirtual().start(() -> complaints(ssh, c));
    }

    /**
     * The client's bytes to ssh, each read passed on at once (a process's input is buffered, and a
     * console's keystrokes must not wait for more); the client's end of stream closes ssh's input.
     */
    private static void toHost(Socket client, Process ssh) {
        try (OutputStream in = ssh.getOutputStream()) {
            InputStream from = client.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = from.read(buffer)) >= 0;) {
                in.write(buffer, 0, n);
                in.flush();
            }
        } catch (IOException ended) {
            // either side went away: toClient closes both
        }
    }

    /** The host's bytes to the client, until either ends: then both are closed. */
    private void toClient(Process ssh, Socket client, Connection c) {
        try {
            ssh.getInputStream().transferTo(client.getOutputStream());
        } catch (IOException ended) {
            // the client went away
        } finally {
            open.remove(c);
            c.close();
        }
    }

    /** Keeps the start of what ssh says, and logs it when the connection failed. */
    private void complaints(Process ssh, Connection c) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try (InputStream err = ssh.getErrorStream()) {
            byte[] buffer = new byte[512];
            for (int n; (n = err.read(buffer)) > 0;) {
                said.write(buffer, 0, Math.min(n, Math.max(0, MAX_STDERR - said.size())));
            }
            if (ssh.waitFor() != 0 && said.size() > 0) {
                LOG.log(System.Logger.Level.WARNING, "ssh to " + route.destination() + " for a console: "
                        + said.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (IOException | InterruptedException ended) {
            // closed with the tunnel
        } finally {
            open.remove(c);
            c.close();
        }
    }

    /** Stops listening and ends the consoles it carries. */
    @Override
    public void close() {
        try {
            server.close();
        } catch (IOException ignored) {
            // closed either way
        }
        for (Connection c : open) {
            c.close();
        }
        open.clear();
    }
}
