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
import java.util.concurrent.CompletableFuture;
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
 * <p>A host whose sshd refuses TCP forwarding ({@code AllowTcpForwarding no}) is reached through netcat
 * run there instead, as libvirt's own connection is: the connection that found the refusal goes on that
 * way at once (what its client sent meanwhile is sent again; a console's client speaks first and then
 * waits), and so do the tunnel's later ones.
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
    /** What a client may send before the host answers, kept to be sent again through netcat: a websocket's upgrade. */
    private static final int MOST_UNANSWERED = 64 * 1024;
    /** What OpenSSH says when the host's sshd will not forward (its wording of the channel's reason code 1). */
    private static final String REFUSED = "administratively prohibited";

    private final SshRoute route;
    private final ServerSocket server;
    private final Semaphore here = new Semaphore(MAX_PER_TUNNEL);
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private volatile int remotePort;
    private volatile boolean closed;
    /** Set once the host refused to forward: connections go through netcat on it from then on. */
    private volatile boolean throughNetcat;

    /**
     * One ssh carrying a connection (with -W, or through netcat), and whether what it said on its standard
     * error, once it ended, was that the host refused to forward.
     */
    private record Carrier(Process ssh, boolean throughNetcat, CompletableFuture<Boolean> refused) {
    }

    /** One console carried: the client's socket and its ssh (another one, once the first was refused). */
    private final class Connection {
        private final Socket client;
        private final int port;
        private Carrier carrier;
        /**
         * What the client sent before the host said anything: sent again if the first way is refused (a
         * connection through netcat has no other way to go).
         */
        private ByteArrayOutputStream unanswered;
        /** The client sent all it had: a connection it left before the host answered is not carried another way. */
        private boolean clientDone;
        private boolean ended;

        Connection(Socket client, int port, Carrier carrier) {
            this.client = client;
            this.port = port;
            this.carrier = carrier;
            this.unanswered = carrier.throughNetcat() ? null : new ByteArrayOutputStream();
        }

        synchronized Carrier carrier() {
            return carrier;
        }

        /** Where the client's next bytes go, once they are kept in case they must be sent again another way. */
        synchronized OutputStream sending(byte[] bytes, int length) {
            if (unanswered != null) {
                if (unanswered.size() + length > MOST_UNANSWERED) {
                    unanswered = null; // not a console's client: no other way is tried for it
                } else {
                    unanswered.write(bytes, 0, length);
                }
            }
            return carrier.ssh().getOutputStream();
        }

        /** The host said something: this way works. */
        synchronized void answered() {
            unanswered = null;
        }

        /** Whether what the client sends now would be sent again through another ssh, if this one was refused. */
        synchronized boolean unanswered() {
            return unanswered != null && !ended;
        }

        synchronized void clientDone() {
            clientDone = true;
        }

        /**
         * The refused carrier replaced by {@code next}, which is given what the client sent (at most 64 KiB, what
         * a pipe holds: written here, in order before any later byte); false once that cannot be.
         */
        synchronized boolean switchTo(Carrier next) throws IOException {
            if (ended || unanswered == null || clientDone) {
                return false;
            }
            Carrier refused = carrier;
            carrier = next;
            end(refused);
            OutputStream in = next.ssh().getOutputStream();
            unanswered.writeTo(in);
            in.flush();
            return true;
        }

        /** Ends ssh (and what a wrapper of it started) and the client's socket; gives back its places once. */
        void close() {
            Carrier last;
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                last = carrier;
            }
            end(last);
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
        int port = remotePort;
        Carrier first;
        try {
            first = start(port, throughNetcat);
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "cannot run ssh to reach a console on " + route.destination() + ": " + e.getMessage());
            quietly(client);
            here.release();
            IN_ALL.release();
            return;
        }
        Connection c = new Connection(client, port, first);
        open.add(c);
        if (closed) {
            c.close(); // the tunnel closed while this one was being accepted
            return;
        }
        // platform threads: a virtual thread blocked on a pipe would hold a carrier the whole time
        daemon("console to " + route.destination() + ": client", () -> toHost(c));
        daemon("console to " + route.destination() + ": host", () -> toClient(c));
    }

    /** Runs one ssh to {@code port} on the host, and a thread that keeps the start of what it says on its standard error. */
    private Carrier start(int port, boolean netcat) throws IOException {
        Process ssh = new ProcessBuilder(netcat ? route.connectThroughNetcat(port) : route.connectTo(port)).start();
        Carrier carrier = new Carrier(ssh, netcat, new CompletableFuture<>());
        daemon("console to " + route.destination() + ": ssh's errors", () -> complaints(carrier));
        return carrier;
    }

    /**
     * The client's bytes to ssh, each read passed on at once (a process's input is buffered, and a
     * console's keystrokes must not wait for more). At the client's end of stream, ssh's input is
     * closed so that it ends the channel, and it is ended if it has not after a grace. A write to an ssh
     * that was refused is not the end: what was sent goes again through the next one.
     */
    private static void toHost(Connection c) {
        try {
            InputStream from = c.client.getInputStream();
            byte[] buffer = new byte[16 * 1024];
            for (int n; (n = from.read(buffer)) >= 0;) {
                OutputStream to = c.sending(buffer, n);
                try {
                    to.write(buffer, 0, n);
                    to.flush();
                } catch (IOException refusedOrGone) {
                    if (!c.unanswered()) {
                        throw refusedOrGone;
                    }
                    // kept: the next way gets it, or the connection is closed and the next read ends this
                }
            }
            c.clientDone();
            c.carrier().ssh().getOutputStream().close();
        } catch (IOException ended) {
            // either side went away
        }
        try {
            if (!c.carrier().ssh().waitFor(GRACE_SECONDS, TimeUnit.SECONDS)) {
                c.close();
            }
        } catch (InterruptedException e) {
            c.close();
        }
    }

    /**
     * The host's bytes to the client, until either ends: then the connection is closed (only here). An
     * ssh that ends before the host said anything because the host refused to forward is replaced by
     * one through netcat on the host, for this connection and the tunnel's next ones.
     */
    private void toClient(Connection c) {
        try {
            while (true) {
                Carrier carrier = c.carrier();
                InputStream from = carrier.ssh().getInputStream();
                int first = from.read();
                if (first >= 0) {
                    c.answered();
                    OutputStream to = c.client.getOutputStream();
                    to.write(first);
                    from.transferTo(to);
                    return;
                }
                if (carrier.throughNetcat() || !refused(carrier)) {
                    return; // what it said is logged once it ended: waited for above, before it is ended
                }
                if (!throughNetcat) {
                    throughNetcat = true;
                    LOG.log(System.Logger.Level.INFO, route.destination() + " does not forward TCP for ssh: its consoles go"
                            + " through " + route.netcat() + " run on it");
                }
                Carrier next;
                try {
                    next = start(c.port, true);
                } catch (IOException e) {
                    LOG.log(System.Logger.Level.WARNING, "cannot run ssh to reach a console on " + route.destination()
                            + " through " + route.netcat() + ": " + e.getMessage());
                    return;
                }
                if (!c.switchTo(next)) {
                    end(next);
                    return;
                }
            }
        } catch (IOException ended) {
            // the client went away
        } finally {
            c.close();
        }
    }

    /** Whether {@code carrier}'s ssh, whose output ended, said the host refused to forward (a few seconds at most: it is ended after). */
    private static boolean refused(Carrier carrier) {
        try {
            return carrier.refused().get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            // an ssh that does not end is ended with the connection
        }
        return false;
    }

    /**
     * Keeps the start of what ssh says, looks through all of it for a refusal to forward (after a long
     * banner, say), and logs it when ssh failed (unless the host refused to forward: netcat follows).
     */
    private void complaints(Carrier carrier) {
        ByteArrayOutputStream said = new ByteArrayOutputStream();
        boolean refused = false;
        try (InputStream err = carrier.ssh().getErrorStream()) {
            byte[] buffer = new byte[512];
            String tail = "";
            for (int n; (n = err.read(buffer)) > 0;) {
                said.write(buffer, 0, Math.min(n, Math.max(0, MAX_STDERR - said.size())));
                String seen = tail + new String(buffer, 0, n, StandardCharsets.ISO_8859_1);
                refused |= seen.contains(REFUSED);
                tail = seen.substring(Math.max(0, seen.length() - REFUSED.length()));
            }
            String text = said.toString(StandardCharsets.UTF_8).strip();
            if (carrier.ssh().waitFor() != 0 && !text.isEmpty() && !closed && !refused) {
                LOG.log(System.Logger.Level.WARNING, "ssh to " + route.destination() + " for a console: " + text);
            }
        } catch (IOException | InterruptedException ended) {
            // closed with the tunnel
        } finally {
            carrier.refused().complete(refused);
        }
    }

    /** Ends an ssh and what a wrapper of it started. */
    private static void end(Carrier carrier) {
        carrier.ssh().toHandle().descendants().forEach(ProcessHandle::destroy);
        carrier.ssh().destroy();
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
