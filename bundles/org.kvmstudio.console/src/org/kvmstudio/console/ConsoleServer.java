package org.kvmstudio.console;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * Serves the VNC console page (noVNC and ours) on loopback, to the SWT browser or the system's.
 * A console is opened with {@link #open}: the page's address holds only a one-time token, and the
 * page fetches the websocket URL and the VNC password once with it, so the password is neither in
 * a URL nor in a browser's history.
 */
public final class ConsoleServer implements AutoCloseable {

    /** How long a console link may wait to be opened. */
    static final Duration LINK_LIFETIME = Duration.ofMinutes(2);
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9_-]{43}");
    private static final ObjectMapper JSON = new ObjectMapper();

    /** A console waiting for its page to ask for it. */
    record Session(String title, URI websocket, String password, Instant expires) {
    }

    private final HttpServer server;
    private final ExecutorService threads;
    private final Map<String, Session> sessions = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();
    private final Clock clock;

    private ConsoleServer(HttpServer server, ExecutorService threads, Clock clock) {
        this.server = server;
        this.threads = threads;
        this.clock = clock;
    }

    /** Starts serving on a free loopback port. */
    public static ConsoleServer start() throws IOException {
        return start(Clock.systemUTC());
    }

    static ConsoleServer start(Clock clock) throws IOException {
        HttpServer http = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
        ExecutorService threads = Executors.newFixedThreadPool(2, r -> {
            Thread t = new Thread(r, "kvmstudio-console-server");
            t.setDaemon(true);
            return t;
        });
        http.setExecutor(threads);
        ConsoleServer server = new ConsoleServer(http, threads, clock);
        http.createContext("/", server::handle);
        http.start();
        return server;
    }

    /**
     * A one-time address of the console of {@code websocket} (a VNC websocket, {@code ws:} or {@code wss:}).
     *
     * @param title what the page calls the console (the partition's reference)
     */
    public URI open(String title, URI websocket, String password) {
        String scheme = websocket.getScheme() == null ? "" : websocket.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("ws") && !scheme.equals("wss")) {
            throw new IllegalArgumentException("a console needs a ws: or wss: address, not " + scheme + ":");
        }
        Instant now = clock.instant();
        sessions.values().removeIf(s -> s.expires().isBefore(now));
        byte[] bytes = new byte[32];
        random.nextBytes(bytes);
        String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
        sessions.put(token, new Session(title, websocket, password, now.plus(LINK_LIFETIME)));
        return URI.create("http://" + server.getAddress().getAddress().getHostAddress() + ":" + server.getAddress().getPort()
                + "/console/" + token);
    }

    /** The port the page is served on. */
    public int port() {
        return server.getAddress().getPort();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String path = exchange.getRequestURI().getRawPath();
            String method = exchange.getRequestMethod();
            if (path.startsWith("/session/") && method.equals("POST")) {
                session(exchange, path.substring("/session/".length()));
            } else if (path.startsWith("/console/") && method.equals("GET") && TOKEN.matcher(path.substring(9)).matches()) {
                file(exchange, "console.html");
            } else if (method.equals("GET") && path.length() > 1 && ConsoleFiles.isFileName(path.substring(1))) {
                file(exchange, path.substring(1));
            } else {
                send(exchange, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
            }
        }
    }

    /** The console a token was opened for, once: the token is gone after this. */
    private void session(HttpExchange exchange, String token) throws IOException {
        Session s = TOKEN.matcher(token).matches() ? sessions.remove(token) : null;
        if (s == null || s.expires().isBefore(clock.instant())) {
            send(exchange, 410, "text/plain; charset=utf-8", "this console link was used already or has expired".getBytes(StandardCharsets.UTF_8));
            return;
        }
        byte[] body = JSON.writeValueAsBytes(Map.of("title", s.title(), "url", s.websocket().toString(), "password", s.password()));
        send(exchange, 200, "application/json", body);
    }

    private void file(HttpExchange exchange, String path) throws IOException {
        var file = ConsoleFiles.find(path);
        if (file.isEmpty()) {
            send(exchange, 404, "text/plain; charset=utf-8", "not found".getBytes(StandardCharsets.UTF_8));
        } else {
            send(exchange, 200, file.get().contentType(), file.get().bytes());
        }
    }

    private static void send(HttpExchange exchange, int code, String type, byte[] body) throws IOException {
        var headers = exchange.getResponseHeaders();
        headers.set("Content-Type", type);
        // the page talks to itself and to the VNC server's websocket, wherever that is
        ConsoleFiles.securityHeaders("'self' ws: wss:").forEach(headers::set);
        exchange.sendResponseHeaders(code, body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(body);
            }
        }
    }

    @Override
    public void close() {
        server.stop(0);
        threads.shutdownNow();
        sessions.clear();
    }
}
