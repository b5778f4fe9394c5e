package org.kvmstudio.frontend.server;

import java.time.Duration;

/** The server package's test helpers, for the provisioner's tests in another package. */
public final class FrontendTestAccess {

    private FrontendTestAccess() {
    }

    /** A loopback websocket server that answers like a VNC websocket and echoes with {@code name}. */
    public interface Vnc extends AutoCloseable {
        int port();

        @Override
        void close() throws Exception;
    }

    public static Vnc vnc(String name) throws Exception {
        EchoVncServer server = new EchoVncServer(name);
        return new Vnc() {
            @Override
            public int port() {
                return server.port();
            }

            @Override
            public void close() throws Exception {
                server.close();
            }
        };
    }

    public static int status(TlsIdentity trusted, int port, String path) throws Exception {
        return new TlsClient(trusted).get(port, path, "localhost").status();
    }

    /** Waits until {@code path} answers {@code status} (a route comes or goes with a deployment). */
    public static void awaitStatus(TlsIdentity trusted, int port, String path, int status) throws Exception {
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                if (status(trusted, port, path) == status) {
                    return;
                }
            } catch (java.io.IOException notYet) {
                last = notYet;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(path + " did not answer " + status + " within 30 s", last);
    }

    public static String roundTrip(TlsIdentity trusted, int port, String resource, String text) throws Exception {
        try (FrontendServerTest.Console console = FrontendServerTest.Console.open(new TlsClient(trusted), port, resource, null)) {
            return console.roundTrip(text);
        }
    }
}
