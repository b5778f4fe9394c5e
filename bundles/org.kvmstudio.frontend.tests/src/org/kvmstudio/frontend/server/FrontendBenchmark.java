package org.kvmstudio.frontend.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.util.IteratingCallback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;
import org.junit.jupiter.api.Test;
import org.kvmstudio.console.ConsoleFiles;

/**
 * Benchmark, not a test (its name keeps it out of the test run; releng/scripts/frontend-benchmark.sh
 * runs it): HTTP requests/s for a console page and websocket bytes/s for a console's stream, through
 * the frontend (TLS), straight to the backend (plain, as a VM's VNC websocket is), and through nginx
 * configured as the same TLS reverse proxy with the same certificate, in one run. Prints figures and
 * ratios; decides nothing.
 *
 * <p>The frontend answers the console page itself (it is ours, not the VM's); nginx passes it on to
 * the backend, which serves the same bytes. The websocket goes through both to the backend.
 */
class FrontendBenchmark {

    private static final int ROUNDS = 3;
    private static final int HTTP_SECONDS = 4;
    private static final int HTTP_CONNECTIONS = 16;
    private static final long STREAM_BYTES = 256L << 20;
    private static final int FRAME_BYTES = 64 << 10;

    @Test
    void frontendAgainstDirectAndNginx() throws Exception {
        Path nginx = Path.of("/usr/sbin/nginx");
        Path wrk = Path.of("/usr/bin/wrk");
        if (!Files.isExecutable(nginx) || !Files.isExecutable(wrk)) {
            throw new IllegalStateException("the benchmark needs nginx and wrk (releng/scripts/frontend-benchmark.sh installs them)");
        }
        TlsIdentity identity = TlsIdentity.generate("localhost", Instant.now());
        Path dir = Files.createTempDirectory("kvmstudio-frontend-benchmark");
        try (Backend backend = new Backend();
                FrontendServer frontend = FrontendServer.start(
                        // wrk is one client sending thousands of requests a second: the per-client rate limit would
                        // answer most of them 429, and nginx's anchor has none either
                        new ServerSettings("localhost", 0, OptionalInt.empty()).withMaxRequestsPerSecondPerClient(0), identity);
                Nginx proxy = new Nginx(nginx, dir, identity, backend.port())) {
            frontend.routes(List.of(new Route("vm", "SOFTINST-1", URI.create("ws://127.0.0.1:" + backend.port() + "/ws"), true)));
            String viaFrontend = "https://localhost:" + frontend.port() + "/vm/";
            String direct = "http://127.0.0.1:" + backend.port() + "/vm/";
            String viaNginx = "https://localhost:" + proxy.port + "/vm/";
            TlsClient tls = new TlsClient(identity);

            List<Double> hf = new ArrayList<>(), hd = new ArrayList<>(), hn = new ArrayList<>();
            List<Double> wf = new ArrayList<>(), wd = new ArrayList<>(), wn = new ArrayList<>();
            requestsPerSecond(wrk, viaFrontend, 1); // warm-up: JIT, TLS session caches
            requestsPerSecond(wrk, direct, 1);
            requestsPerSecond(wrk, viaNginx, 1);
            stream(tls, URI.create("wss://localhost:" + frontend.port() + "/vm/websockify"), 32L << 20);
            stream(tls, URI.create("ws://127.0.0.1:" + backend.port() + "/ws"), 32L << 20);
            stream(tls, URI.create("wss://localhost:" + proxy.port + "/vm/websockify"), 32L << 20);
            for (int round = 0; round < ROUNDS; round++) { // interleaved, so that drift hits all three alike
                hf.add(requestsPerSecond(wrk, viaFrontend, HTTP_SECONDS));
                hd.add(requestsPerSecond(wrk, direct, HTTP_SECONDS));
                hn.add(requestsPerSecond(wrk, viaNginx, HTTP_SECONDS));
                wf.add(stream(tls, URI.create("wss://localhost:" + frontend.port() + "/vm/websockify"), STREAM_BYTES));
                wd.add(stream(tls, URI.create("ws://127.0.0.1:" + backend.port() + "/ws"), STREAM_BYTES));
                wn.add(stream(tls, URI.create("wss://localhost:" + proxy.port + "/vm/websockify"), STREAM_BYTES));
            }
            report("http requests/s (" + HTTP_CONNECTIONS + " keep-alive connections, wrk)", median(hf), median(hd), median(hn), "%.0f");
            report("websocket MB/s (one console streaming " + (STREAM_BYTES >> 20) + " MiB)", median(wf), median(wd), median(wn), "%.1f");
        } finally {
            try (var files = Files.walk(dir)) {
                files.sorted(Collections.reverseOrder()).forEach(p -> p.toFile().delete());
            }
        }
    }

    private static void report(String what, double frontend, double direct, double nginx, String format) {
        System.out.printf("frontend-benchmark: %s: frontend " + format + ", direct " + format + ", nginx " + format
                + "; frontend/direct %.2f (goal >= 0.9), frontend/nginx %.2f (goal >= 1.0)%n",
                what, frontend, direct, nginx, frontend / direct, frontend / nginx);
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }

    private static final Pattern RPS = Pattern.compile("Requests/sec:\\s+([0-9.]+)");

    private static double requestsPerSecond(Path wrk, String url, int seconds) throws Exception {
        Process p = new ProcessBuilder(wrk.toString(), "-t1", "-c" + HTTP_CONNECTIONS, "-d" + seconds + "s", url)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        Matcher m = RPS.matcher(out);
        if (!m.find() || out.contains("Non-2xx")) {
            throw new IllegalStateException("wrk against " + url + " did not measure 200s:\n" + out);
        }
        return Double.parseDouble(m.group(1));
    }

    /** Asks the backend for {@code bytes} through {@code uri} and returns MB/s received. */
    private static double stream(TlsClient tls, URI uri, long bytes) throws Exception {
        AtomicLong received = new AtomicLong();
        CompletableFuture<Void> done = new CompletableFuture<>();
        WebSocket socket = HttpClient.newBuilder().sslContext(tls.context).build().newWebSocketBuilder().subprotocols("binary")
                .buildAsync(uri, new WebSocket.Listener() {
                    @Override
                    public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                        if (received.addAndGet(data.remaining()) >= bytes) {
                            done.complete(null);
                        }
                        ws.request(1);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        done.completeExceptionally(error);
                    }
                }).get(10, TimeUnit.SECONDS);
        long start = System.nanoTime();
        socket.sendBinary(ByteBuffer.allocate(Long.BYTES).putLong(0, bytes), true).join();
        done.get(120, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        socket.sendClose(WebSocket.NORMAL_CLOSURE, "").join();
        return bytes / 1e6 / seconds;
    }

    /** The backend: the console page, and a websocket that streams as many bytes as it is asked for. */
    private static final class Backend implements AutoCloseable {
        private final Server server = new Server();
        private final ServerConnector connector = new ServerConnector(server);

        Backend() throws Exception {
            connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
            server.addConnector(connector);
            ConsoleFiles.File page = ConsoleFiles.find(FrontendHandler.PAGE).orElseThrow();
            Handler pages = new Handler.Abstract() {
                @Override
                public boolean handle(Request request, Response response, Callback callback) {
                    response.getHeaders().put(HttpHeader.CONTENT_TYPE, page.contentType());
                    response.getHeaders().put(HttpHeader.CACHE_CONTROL, "no-store");
                    response.write(true, ByteBuffer.wrap(page.bytes()), callback);
                    return true;
                }
            };
            WebSocketNegotiator negotiator = (request, response, callback) -> {
                if (request.hasSubProtocol("binary")) {
                    response.setAcceptedSubProtocol("binary");
                }
                return new Source();
            };
            WebSocketUpgradeHandler upgrades = new WebSocketUpgradeHandler(h -> h.addMapping("/ws", negotiator));
            upgrades.setHandler(pages);
            server.setHandler(upgrades);
            server.start();
        }

        int port() {
            return connector.getLocalPort();
        }

        @Override
        public void close() throws Exception {
            server.stop();
        }
    }

    /** Sends as many bytes as the 8-byte number it receives, in 64 KiB binary messages, one after the other. */
    private static final class Source implements FrameHandler {
        private CoreSession session;
        private final ByteBuffer chunk = ByteBuffer.allocateDirect(FRAME_BYTES);

        @Override
        public void onOpen(CoreSession s, Callback callback) {
            session = s;
            callback.succeeded();
            s.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.getOpCode() == OpCode.BINARY && frame.getPayloadLength() == Long.BYTES) {
                long bytes = frame.getPayload().getLong(frame.getPayload().position());
                callback.succeeded();
                send(bytes);
            } else {
                callback.succeeded();
            }
            session.demand();
        }

        private void send(long bytes) {
            // iterating, not recursing: a write may complete at once, thousands of times in a row
            new IteratingCallback() {
                private long left = bytes;

                @Override
                protected Action process() {
                    if (left <= 0) {
                        return Action.SUCCEEDED;
                    }
                    int n = (int) Math.min(FRAME_BYTES, left);
                    left -= n;
                    session.sendFrame(new Frame(OpCode.BINARY, true, chunk.duplicate().limit(n)), this, false);
                    return Action.SCHEDULED;
                }
            }.iterate();
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            callback.succeeded();
        }
    }

    /** nginx as the same TLS reverse proxy: the same certificate and protocols, websockets upgraded. */
    private static final class Nginx implements AutoCloseable {
        final int port;
        private final Process process;

        Nginx(Path nginx, Path dir, TlsIdentity identity, int backendPort) throws Exception {
            Files.writeString(dir.resolve("cert.pem"), identity.certificatesPem());
            Files.writeString(Files.createFile(dir.resolve("key.pem"), java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                    java.nio.file.attribute.PosixFilePermissions.fromString("rw-------"))), identity.privateKeyPem());
            try (ServerSocket s = new ServerSocket(0)) {
                port = s.getLocalPort();
            }
            String conf = """
                    worker_processes auto;
                    daemon off;
                    pid %1$s/nginx.pid;
                    error_log %1$s/error.log warn;
                    events { worker_connections 1024; }
                    http {
                      access_log off;
                      client_body_temp_path %1$s/body; proxy_temp_path %1$s/proxy; fastcgi_temp_path %1$s/fastcgi;
                      uwsgi_temp_path %1$s/uwsgi; scgi_temp_path %1$s/scgi;
                      upstream backend { server 127.0.0.1:%2$d; keepalive 32; }
                      server {
                        listen 127.0.0.1:%3$d ssl;
                        server_name localhost;
                        ssl_certificate %1$s/cert.pem;
                        ssl_certificate_key %1$s/key.pem;
                        ssl_protocols TLSv1.2 TLSv1.3;
                        location = /vm/websockify {
                          proxy_pass http://backend/ws;
                          proxy_http_version 1.1;
                          proxy_set_header Upgrade $http_upgrade;
                          proxy_set_header Connection "upgrade";
                          proxy_read_timeout 1h;
                        }
                        location /vm/ {
                          proxy_pass http://backend;
                          proxy_http_version 1.1;
                          proxy_set_header Connection "";
                        }
                      }
                    }
                    """.formatted(dir, backendPort, port);
            Files.writeString(dir.resolve("nginx.conf"), conf);
            process = new ProcessBuilder(nginx.toString(), "-p", dir.toString(), "-c", dir.resolve("nginx.conf").toString())
                    .redirectErrorStream(true).redirectOutput(dir.resolve("nginx.out").toFile()).start();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (true) {
                try (var probe = new java.net.Socket("127.0.0.1", port)) {
                    break;
                } catch (IOException notYet) {
                    if (!process.isAlive() || System.nanoTime() > end) {
                        throw new IllegalStateException("nginx did not start: " + Files.readString(dir.resolve("nginx.out")));
                    }
                    Thread.sleep(50);
                }
            }
        }

        @Override
        public void close() throws Exception {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
