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
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;

/**
 * A guest's console websocket on another machine's loopback, made a port of this machine's loopback:
 * each connection to it is carried by its own {@code ssh -W} to the host ({@link SshRoute}), as libvirt
 * reaches that host. Nothing runs until a console is opened, and a broken SSH connection costs only
 * the console it carried. The port stays while the websocket behind it moves (a restarted guest gets
 * another one from libvirt), so that the URLs naming it stay right.
 *
 * <p>Anyone on this machine may connect to the port, as to a guest's own websocket (the VNC password
 * guards the console); so that nobody makes the owner start ssh without end, a tunnel carries at most
 * {@value #MAX_PER_TUNNEL} connections at once, and all tunnels {@value #MAX_IN_ALL}.
 */
public final class ConsoleTunnel implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ConsoleTunnel.class.getName());
    static final int MAX_PER_TUNNEL = 8;
    static final int MAX_IN_ALL = 64;
    private static final Semaphore IN_ALL = new Semaphore(MAX_IN_ALL);
    /** What of ssh's complaints is kept for the log. */
    private static final int MAX_STDERR = 2048;
    /** How long ssh may linger once its client went away (a handshake that never ends does not read its input). */
    private static final long GRACE_SECONDS = 5;

    private final SshRoute route;
    private final ServerSocket server;
    private final Semaphore here = new Semaphore(MAX_PER_TUNNEL);
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile int remotePort;
    private volatile boolean closed;

    /** One console carried: the client's socket and its ssh. */
    private final class Connection {
        private final Socket client;
        private final Process ssh;
        private boolean ended;

        Connection(Socket client, Process ssh) {
            this.client = client;
            this.ssh = ssh;
        }

        /** Ends ssh (and what a wrapper of it started) and the client's socket; gives back its places once. */
        void close() {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
            }
            ssh.toHandle().descendants().forEach(ProcessHandle::destroy);
            ssh.destroy();
            quietly(client);
            open.remove(this);
            here.release();
            IN_ALL.release();
        }
    }

    private volatile Thread acceptor;

    private ConsoleTunnel(SshRoute route, ServerSocket server, int remotePort) {
        this.route = route;
        this.server = server;
        this.remotePort = remotePort;
    }

    /** Listens on {@code localPort} of 127.0.0.1 for connections to {@code remotePort} of the host's loopback. */
    public static ConsoleTunnel open(SshRoute route, int localPort, int remotePort) throws IOException {
        ServerSocket server = new ServerSocket();
        try {
            server.setReuseAddress(true);
            // 127.0.0.1 as the published URL says, whatever address family the JVM prefers
            server.bind(new InetSocketAddress(InetAddress.getByAddress(new byte[] {127, 0, 0, 1}), localPort));
        } catch (IOException e) {
            server.close();
            throw e;
        }
        ConsoleTunnel tunnel = new ConsoleTunnel(route, server, remotePort);
        tunnel.acceptor = daemon("console tunnel to " + route.destination() + " on " + localPort, tunnel::accept);
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
        return !closed;
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                if (closed) {
                    return;
                }
                // out of file descriptors, say: the port stays, and the next accept may succeed
                LOG.log(System.Logger.Level.WARNING, "a console tunnel to " + route.destination() + " cannot accept: " + e.getMessage());
                sleep(200);
                continue;
            }
            if (!here.tryAcquire()) {
                quietly(client);
                continue;
            }
            if (!IN_ALL.tryAcquire()) {
                here.release();
                quietly(client);
                continue;
            }
            carry(client);
        }
    }

    private void carry(Socket client) {
        Process ssh;
        try {
            ssh = new ProcessBuilder(route.connectTo(remotePort)).start();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot run ssh to reach a console on " + route.destination() + ": " + e.getMessage());
            quietly(client);
            here.release();
            IN_ALL.release();
            return;
        }
        Connection c = new Connection(client, ssh);
        open.add(c);
        if (closed) {
            c.close(); // the tunnel closed while this one was being accepted
            return;
        }
        // platform threads: a virtual thread blocked on a pipe would hold a carrier the whole time
        daemon("console to " + route.destination() + ": client", () -> toHost(c));
        daemon("console to " + route.destination() + ": host", () -> toClient(c));
        daemon("console to " + route.destination() + ": ssh's errors", () -> complaints(c));
    }

    /**
     * The client's bytes to ssh, each read passed on at once (a process's input is buffered, and a
     * console's keystrokes must not wait for more). At the client's end of stream, ssh's input is
     * closed so that it ends the channel, and it is ended if it has not after a grace.
     */
    private static void toHost(Connection c) {
        try (OutputStream in = c.ssh.getOutputStream()) {
            InputStream from = c.client.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = from.read(buffer)) >= 0;) {
                in.write(buffer, 0, n);
                in.flush();
            }
        } catch (IOException ended) {
            // either side went away
        }
        try {
            if (!c.ssh.waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                c.close();
            }
        } catch (InterruptedException e) {
            c.close();
        }
    }

    /** The host's bytes to the client, until either ends: then the connection is closed (only here). */
    private static void toClient(Connection c) {
        try (InputStream from = c.ssh.getInputStream()) {
            from.transferTo(c.client.getOutputStream());
        } catch (IOException ended) {
            // the client went away
        } finally {
            c.close();
        }
    }

    /** Keeps the start of what ssh says, and logs it when ssh failed. */
    private void complaints(Connection c) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        try (InputStream err = c.ssh.getErrorStream()) {
            byte[] buffer = new byte[512];
            for (int n; (n = err.read(buffer)) > 0;) {
                said.write(buffer, 0, Math.min(n, Math.max(0, MAX_STDERR - said.size())));
            }
            if (c.ssh.waitFor() != 0 && said.size() > 0 && !closed) {
                LOG.log(System.Logger.Level.WARNING, "ssh to " + route.destination() + " for a console: "
                        + said.toString(StandardCharsets.UTF_8).strip());
            }
        } catch (IOException | InterruptedException ended) {
            // closed with the tunnel
        }
    }

    /**
     * Stops listening and ends the consoles it carries. The port is free when this returns: the JDK
     * closes a listening socket only once the thread blocked in its accept has woken, so that thread is
     * waited for (a second at most).
     */
    @Override
    public void close() {
        closed = true;
        quietly(server);
        for (Connection c : open) {
            c.close();
        }
        Thread accepting = acceptor;
        if (accepting != null && accepting != Thread.currentThread()) {
            try {
                accepting.join(1000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private static Thread daemon(String name, Runnable task) {
        return Thread.ofPlatform().daemon().name(name).start(task);
    }

    private static void quietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception ignored) {
            // closed either way
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
