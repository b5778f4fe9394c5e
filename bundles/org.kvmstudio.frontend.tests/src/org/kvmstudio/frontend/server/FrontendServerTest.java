package org.kvmstudio.frontend.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A frontend's HTTPS server on loopback, with its generated certificate, over real TLS and websockets. */
class FrontendServerTest {

    /** Connections one client may hold: more than any test here opens at once, however late the server counts closes. */
    private static final int PER_CLIENT = 24;

    private EchoVncServer vncA;
    private EchoVncServer vncB;
    private TlsIdentity identity;
    private TlsClient client;
    private FrontendServer frontend;

    @BeforeEach
    void start() throws Exception {
        vncA = new EchoVncServer("a");
        vncB = new EchoVncServer("b");
        identity = TlsIdentity.generate("localhost", Instant.now());
        client = new TlsClient(identity);
        frontend = FrontendServer.start(new ServerSettings("localhost", 0, OptionalInt.of(0), 64, PER_CLIENT, 2, 2,
                ServerSettings.DEFAULT_MAX_REQUESTS_PER_SECOND_PER_CLIENT), identity);
        frontend.routes(List.of(route("vma", vncA), route("vmb", vncB)));
    }

    @AfterEach
    void stop() throws Exception {
        frontend.close();
        vncA.close();
        vncB.close();
    }

    private static Route route(String resource, EchoVncServer vnc) {
        return new Route(resource, "SOFTINST-" + resource, vnc.uri(), true);
    }

    @Test
    void anEntryServesTheConsolePageAndNoVnc() throws Exception {
        TlsClient.Answer page = client.get(frontend.port(), "/vma/", "localhost");
        assertEquals(200, page.status());
        assertEquals("text/html; charset=utf-8", page.header("content-type"));
        assertTrue(page.body().contains("frontend.js"), page.body());
        assertTrue(page.header("content-security-policy").contains("frame-ancestors 'none'"));
        assertEquals("nosniff", page.header("x-content-type-options"));
        assertEquals(200, client.get(frontend.port(), "/vma/novnc/core/rfb.js", "localhost").status());
        assertEquals(200, client.get(frontend.port(), "/vma/viewer.js", "localhost").status());
        TlsClient.Answer bare = client.get(frontend.port(), "/vma", "localhost");
        assertEquals(301, bare.status(), "the 2012 address, without its slash, leads to the page");
        assertEquals("/vma/", URI.create(bare.header("location")).getPath());
        assertTrue(client.get(frontend.port(), "/vma/", "LocalHost:" + frontend.port()).status() == 200,
                "a Host header with the port and another case is the same domain");
    }

    @Test
    void anythingButARegisteredEntryOfItsDomainIsNotFound() throws Exception {
        String[] paths = {"/", "/other/", "/vma/../vmb/", "/vma/%2e%2e/vmb/", "/%76ma/", "/vma%2F", "/vma%2fwebsockify",
            "/vma/novnc/../../META-INF/MANIFEST.MF", "/vma/novnc%2fcore%2frfb.js", "/vma/%252e%252e/vmb/", "/vma/..%2f..%2fvmb/",
            "/vma/org/kvmstudio/frontend/server/FrontendServer.class", "/vma/META-INF/MANIFEST.MF", "//vma/", "/vma//",
            "/VMA/", "/vma/websockify/x", "/vma/./", "/./vma/", "/vma;x=1/", "/vma/novnc/core/rfb.js;.html", "/vma\\..\\vmb/",
            "/vma/%00", "/.vma/", "/vma/console.html/.."};
        for (String path : paths) {
            TlsClient.Answer answer = client.get(frontend.port(), path, "localhost");
            // Jetty itself refuses illegal characters in a path (a NUL, a backslash) as a bad request, before any routing
            assertEquals(path.contains("%00") || path.contains("\\") ? 400 : 404, answer.status(), path + " answered " + answer.status());
            assertFalse(answer.body().contains("<html"), "a 404 says nothing of what exists: " + path);
        }
        assertEquals(404, client.get(frontend.port(), "/vma/", "evil.example").status(), "another domain");
        assertEquals(400, client.send(frontend.port(), "GET https://evil.example/vma/ HTTP/1.1\r\nHost: localhost\r\n"
                + "Connection: close\r\n\r\n").status(), "an absolute URI naming another domain than its Host: Jetty refuses it");
        assertEquals(404, client.send(frontend.port(), "GET https://evil.example/vma/ HTTP/1.1\r\nHost: evil.example\r\n"
                + "Connection: close\r\n\r\n").status(), "an absolute URI of another domain");
        assertEquals(0, vncA.connections.get() + vncB.connections.get(), "no request reached a VNC server");
    }

    @Test
    void eachEntrysWebsocketReachesItsOwnVncServerOnly() throws Exception {
        try (Console a = Console.open(client, frontend.port(), "vma", null); Console b = Console.open(client, frontend.port(), "vmb", null)) {
            assertEquals("binary", a.socket.getSubprotocol());
            assertEquals("a:hello", a.roundTrip("hello"));
            assertEquals("b:hello", b.roundTrip("hello"));
            String large = "x".repeat(200_000);
            assertTrue(("a:" + large).equals(a.roundTrip(large)), "a large message crosses whole");
        }
        assertEquals(1, vncA.connections.get());
        assertEquals(1, vncB.connections.get());
        waitFor(() -> vncA.open.get() == 0 && frontend.openConsoles() == 0, "closing the console closes its VNC connection");
    }

    @Test
    void aConsoleOfAnotherSiteOrBeyondTheLimitIsRefused() throws Exception {
        CompletionException foreign = assertThrows(CompletionException.class,
                () -> Console.open(client, frontend.port(), "vma", "https://evil.example"));
        assertEquals(403, refusal(foreign));
        try (Console one = Console.open(client, frontend.port(), "vma", "https://localhost:" + frontend.port());
                Console two = Console.open(client, frontend.port(), "vma", null)) {
            assertEquals("a:1", one.roundTrip("1"));
            CompletionException third = assertThrows(CompletionException.class, () -> Console.open(client, frontend.port(), "vma", null));
            assertEquals(503, refusal(third));
            try (Console other = Console.open(client, frontend.port(), "vmb", null)) {
                assertEquals("b:2", other.roundTrip("2"), "the limit is per entry");
            }
        }
        waitFor(() -> frontend.openConsoles() == 0, () -> "closed and refused consoles are all counted out: " + frontend.describeConsoles());
        try (Console again = Console.open(client, frontend.port(), "vma", null)) {
            assertEquals("a:3", again.roundTrip("3"), "a place freed is taken again");
        }
        assertEquals(400, client.get(frontend.port(), "/vma/websockify", "localhost").status(), "a plain GET is not a console");
    }

    @Test
    void oneClientCannotTakeAllOfAnEntrysConsoles() throws Exception {
        try (FrontendServer shared = FrontendServer.start(new ServerSettings("localhost", 0, OptionalInt.empty(), 64, PER_CLIENT, 4, 1,
                ServerSettings.DEFAULT_MAX_REQUESTS_PER_SECOND_PER_CLIENT),
                identity)) {
            shared.routes(List.of(route("vma", vncA)));
            try (Console first = Console.open(client, shared.port(), "vma", null)) {
                assertEquals("a:1", first.roundTrip("1"));
                CompletionException second = assertThrows(CompletionException.class, () -> Console.open(client, shared.port(), "vma", null));
                assertEquals(429, refusal(second), "the entry has room, but not for a second console from the same address");
            }
            waitFor(() -> shared.openConsoles() == 0, () -> "the first console is counted out: " + shared.describeConsoles());
            try (Console again = Console.open(client, shared.port(), "vma", null)) {
                assertEquals("a:2", again.roundTrip("2"));
            }
        }
    }

    @Test
    void aClientGoneDuringTheUpgradeHoldsNoPlace() throws Exception {
        for (int i = 0; i < 20; i++) { // more than the entry's places: each must be given back
            try (SSLSocket socket = (SSLSocket) client.context.getSocketFactory().createSocket("127.0.0.1", frontend.port())) {
                socket.getOutputStream().write(("GET /vma/websockify HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n"
                        + "Connection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Protocol: binary\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                socket.getOutputStream().flush();
                socket.setSoLinger(true, 0); // a reset, not a polite close
            }
        }
        waitFor(() -> frontend.openConsoles() == 0, () -> "every upgrade cut short gave its place back: " + frontend.describeConsoles());
        try (Console console = Console.open(client, frontend.port(), "vma", null)) {
            assertEquals("a:ok", console.roundTrip("ok"));
        }
    }

    @Test
    void removingAnEntryClosesItsConsolesAndItsAddressAtOnce() throws Exception {
        try (Console a = Console.open(client, frontend.port(), "vma", null); Console b = Console.open(client, frontend.port(), "vmb", null)) {
            assertEquals("a:x", a.roundTrip("x"));
            frontend.routes(List.of(route("vmb", vncB)));
            assertNotNull(a.closed.get(10, TimeUnit.SECONDS), "the removed entry's console is closed");
            assertEquals(404, client.get(frontend.port(), "/vma/", "localhost").status());
            assertEquals("b:still", b.roundTrip("still"), "the other entry's console is untouched");
            frontend.routes(List.of(route("vmb", vncA)));
            assertNotNull(b.closed.get(10, TimeUnit.SECONDS), "an entry that leads elsewhere now closes its consoles");
        }
        waitFor(() -> vncA.open.get() == 0 && vncB.open.get() == 0, "the VNC connections are closed too");
    }

    @Test
    void plainHttpOnlyRedirectsToHttpsForRegisteredEntries() throws Exception {
        TlsClient.Answer redirected = TlsClient.sendPlain(frontend.redirectPort(), "GET /vma/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertEquals(301, redirected.status());
        assertEquals(URI.create("https://localhost:" + frontend.port() + "/vma/"), URI.create(redirected.header("location")));
        assertEquals(404, TlsClient.sendPlain(frontend.redirectPort(), "GET /nothere/ HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n").status());
        assertEquals(404, TlsClient.sendPlain(frontend.redirectPort(), "GET /vma/ HTTP/1.1\r\nHost: evil.example\r\nConnection: close\r\n\r\n").status(),
                "no redirection to anywhere for another domain");
    }

    @Test
    void oversizedOrBodiedRequestsAreRefused() throws Exception {
        TlsClient.Answer big = client.send(frontend.port(), "GET /vma/ HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "y".repeat(10_000)
                + "\r\nConnection: close\r\n\r\n");
        assertEquals(431, big.status());
        TlsClient.Answer post = client.send(frontend.port(), "POST /vma/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 5\r\n"
                + "Connection: close\r\n\r\nhello");
        assertEquals(405, post.status());
        TlsClient.Answer huge = client.send(frontend.port(), "GET /vma/ HTTP/1.1\r\nHost: localhost\r\nContent-Length: 100000\r\n"
                + "Connection: close\r\n\r\n");
        assertEquals(413, huge.status());
    }

    @Test
    void oneClientCannotHoldEveryConnection() throws Exception {
        List<SSLSocket> held = new java.util.ArrayList<>();
        try {
            for (int i = 0; i < PER_CLIENT; i++) { // this client's share, held open idle
                SSLSocket socket = (SSLSocket) client.context.getSocketFactory().createSocket("127.0.0.1", frontend.port());
                socket.startHandshake();
                held.add(socket);
            }
            try (SSLSocket beyond = (SSLSocket) client.context.getSocketFactory().createSocket("127.0.0.1", frontend.port())) {
                beyond.setSoTimeout(5000);
                assertThrows(IOException.class, () -> {
                    beyond.startHandshake();
                    beyond.getOutputStream().write("GET /vma/ HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
                    if (beyond.getInputStream().read() < 0) {
                        throw new IOException("closed");
                    }
                }, "one more connection from the same client is closed");
            }
        } finally {
            for (SSLSocket s : held) {
                s.close();
            }
        }
        waitFor(() -> {
            try {
                return client.get(frontend.port(), "/vma/", "localhost").status() == 200;
            } catch (IOException notYet) {
                return false;
            }
        }, "once it lets go, it is served again");
    }

    @Test
    void aClientPastItsRequestRateIsAnswered429WhileAnotherIsServed() throws Exception {
        int rate = 5;
        int burst = rate * ServerSettings.BURST_SECONDS;
        try (FrontendServer limited = FrontendServer.start(new ServerSettings("localhost", 0, OptionalInt.empty())
                .withMaxRequestsPerSecondPerClient(rate), identity)) {
            limited.routes(List.of(route("vma", vncA)));
            int served = 0;
            TlsClient.Answer refusal = null;
            long start = System.nanoTime();
            for (int i = 0; i < burst + 40; i++) {
                TlsClient.Answer a = client.get(limited.port(), "/vma/", "localhost");
                assertTrue(a.status() == 200 || a.status() == 429, "200 or 429, not " + a.status());
                served += a.status() == 200 ? 1 : 0;
                refusal = a.status() == 429 ? a : refusal;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            // Jetty's leaking bucket lets a burst of one less than its size through, then one request per drip
            assertTrue(served >= burst - 1, "the burst is served: " + served);
            assertTrue(served <= burst + rate * seconds + 1, served + " served in " + seconds + " s: the burst and the rate, no more");
            assertTrue(refusal != null, (burst + 40) + " requests in " + seconds + " s are beyond the rate");
            assertEquals("1", refusal.header("Retry-After"));
            assertTrue(refusal.header("Content-Type").startsWith("text/plain"), "our plain answer, not an HTML page");
            assertTrue(refusal.header("Content-Security-Policy") != null, "with the headers of every other answer");

            // another client address (all of 127/8 is this machine) is not held back by the first
            assertEquals(200, client.get(limited.port(), "/vma/", "localhost", java.net.InetAddress.getByName("127.0.0.2")).status());
            // and the first is served again once it pauses
            Thread.sleep(3 * 1000 / rate);
            assertEquals(200, client.get(limited.port(), "/vma/", "localhost").status());
        }
    }

    @Test
    void anIpv6ClientCountsByItsSlash64() throws Exception {
        assertEquals(clientOf("2001:db8:1:2::1"), clientOf("2001:db8:1:2:ffff:ffff:ffff:fffe"), "one /64, one client");
        assertTrue(!clientOf("2001:db8:1:2::1").equals(clientOf("2001:db8:1:3::1")), "another /64, another client");
        assertEquals("192.0.2.7", clientOf("192.0.2.7"));
    }

    private static String clientOf(String literal) throws IOException {
        return FrontendServer.clientOf(new java.net.InetSocketAddress(java.net.InetAddress.getByName(literal), 4443));
    }

    @Test
    void onlyModernTlsIsSpoken() throws Exception {
        try (SSLSocket old = (SSLSocket) client.context.getSocketFactory().createSocket("127.0.0.1", frontend.port())) {
            old.setEnabledProtocols(new String[] {"TLSv1.1"});
            assertThrows(IOException.class, old::startHandshake);
        } catch (IllegalArgumentException jdkRefusesIt) {
            // this JDK cannot even offer TLS 1.1: nothing to test
        }
        try (SSLSocket modern = (SSLSocket) client.context.getSocketFactory().createSocket("127.0.0.1", frontend.port())) {
            modern.startHandshake();
            assertEquals("TLSv1.3", modern.getSession().getProtocol());
        }
        TlsClient stranger = new TlsClient(TlsIdentity.generate("localhost", Instant.now()));
        assertThrows(SSLHandshakeException.class, () -> stranger.get(frontend.port(), "/vma/", "localhost"),
                "the server presents the identity it was given");
    }

    @Test
    void closingFreesItsPorts() throws Exception {
        int port = frontend.port();
        int redirect = frontend.redirectPort();
        frontend.close();
        try (ServerSocket again = new ServerSocket(port, 1, InetAddress.getByName("0.0.0.0"));
                ServerSocket again2 = new ServerSocket(redirect, 1, InetAddress.getByName("0.0.0.0"))) {
            assertEquals(port, again.getLocalPort());
        }
        IOException taken;
        try (ServerSocket squatter = new ServerSocket(0)) {
            taken = assertThrows(IOException.class, () -> FrontendServer.start(
                    new ServerSettings("localhost", squatter.getLocalPort(), OptionalInt.empty()), identity));
            assertTrue(taken.getMessage().contains("port " + squatter.getLocalPort() + " is in use"), taken.getMessage());
        }
    }

    private static int refusal(CompletionException e) {
        return ((java.net.http.WebSocketHandshakeException) e.getCause()).getResponse().statusCode();
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
        waitFor(condition, () -> what);
    }

    private static void waitFor(java.util.function.BooleanSupplier condition, java.util.function.Supplier<String> what)
            throws InterruptedException {
        long end = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within 10 s: " + what.get());
            }
            Thread.sleep(20);
        }
    }

    /** A browser's side of a console: Java's websocket client, trusting the frontend's certificate. */
    static final class Console implements WebSocket.Listener, AutoCloseable {
        final BlockingQueue<String> received = new LinkedBlockingQueue<>();
        final CompletableFuture<Integer> closed = new CompletableFuture<>();
        private final ByteBuffer message = ByteBuffer.allocate(1 << 20);
        WebSocket socket;

        static Console open(TlsClient client, int port, String resource, String origin) {
            Console console = new Console();
            WebSocket.Builder builder = HttpClient.newBuilder().sslContext(client.context).build().newWebSocketBuilder()
                    .subprotocols("binary");
            if (origin != null) {
                builder.header("Origin", origin);
            }
            console.socket = builder.buildAsync(URI.create("wss://localhost:" + port + "/" + resource + "/websockify"), console).join();
            return console;
        }

        String roundTrip(String text) throws InterruptedException {
            socket.sendBinary(ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII)), true).join();
            String answer = received.poll(10, TimeUnit.SECONDS);
            assertNotNull(answer, "no answer to " + text.length() + " bytes");
            return answer;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket webSocket, ByteBuffer data, boolean last) {
            message.put(data);
            if (last) {
                message.flip();
                received.add(StandardCharsets.US_ASCII.decode(message).toString());
                message.clear();
            }
            webSocket.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket webSocket, int statusCode, String reason) {
            closed.complete(statusCode);
            return null;
        }

        @Override
        public void onError(WebSocket webSocket, Throwable error) {
            closed.complete(-1);
        }

        @Override
        public void close() {
            try {
                socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
            } catch (CompletionException alreadyClosed) {
                // the frontend closed it first (an entry removed): nothing left to close
            }
        }
    }
}
