package org.kvmstudio.libvirt.nbd;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;

/**
 * The one-time upload of an NBD export's image, as the 2012 {@code nbd} type offered: an HTTP
 * endpoint that takes one image (PUT or POST of the raw bytes) from whoever shows the generated key
 * in the {@code X-Upload-Key} header, stores it under the pool and then closes for good. The key
 * never travels in a URL, so it cannot end up in a proxy's log.
 */
final class UploadEndpoint {

    static final String KEY_HEADER = "X-Upload-Key";

    private final HttpServer server;
    private final ExecutorService executor;
    private final String key;
    private final Path target;
    private final long maxBytes;
    private final Runnable uploaded;
    private boolean done;

    private UploadEndpoint(HttpServer server, String key, Path target, long maxBytes, Runnable uploaded) {
        this.server = server;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "NBD image upload " + target.getFileName());
            t.setDaemon(true);
            return t;
        });
        this.key = key;
        this.target = target;
        this.maxBytes = maxBytes;
        this.uploaded = uploaded;
    }

    /** Listens on {@code address:port} until one image is received into {@code target}. */
    static UploadEndpoint open(String address, int port, String key, Path target, long maxBytes, Runnable uploaded)
            throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress(address, port), 4);
        UploadEndpoint endpoint = new UploadEndpoint(server, key, target, maxBytes, uploaded);
        server.createContext("/", endpoint::handle);
        server.setExecutor(endpoint.executor);
        server.start();
        return endpoint;
    }

    int port() {
        return server.getAddress().getPort();
    }

    void close() {
        server.stop(0);
        executor.shutdownNow();
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            String method = exchange.getRequestMethod();
            if (!method.equals("PUT") && !method.equals("POST")) {
                reply(exchange, 405, "upload the image with PUT or POST\n");
                return;
            }
            String given = exchange.getRequestHeaders().getFirst(KEY_HEADER);
            if (given == null || !MessageDigest.isEqual(given.getBytes(StandardCharsets.UTF_8), key.getBytes(StandardCharsets.UTF_8))) {
                reply(exchange, 403, "a valid " + KEY_HEADER + " header is needed\n");
                return;
            }
            synchronized (this) {
                if (done) {
                    reply(exchange, 409, "the image was already uploaded\n");
                    return;
                }
                Path partial = target.resolveSibling(target.getFileName() + ".part");
                long written = 0;
                try (InputStream in = exchange.getRequestBody(); OutputStream out = Files.newOutputStream(partial)) {
                    byte[] buffer = new byte[1 << 16];
                    for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                        written += n;
                        if (written > maxBytes) {
                            throw new IOException("the image is larger than " + maxBytes + " bytes");
                        }
                        out.write(buffer, 0, n);
                    }
                } catch (IOException e) {
                    Files.deleteIfExists(partial);
                    reply(exchange, 413, e.getMessage() + "\n");
                    return;
                }
                if (written == 0) {
                    Files.deleteIfExists(partial);
                    reply(exchange, 400, "the upload was empty\n");
                    return;
                }
                Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
                done = true;
            }
            reply(exchange, 201, "image received\n");
        }
        // one image only: the endpoint goes away once it has it
        Thread closer = new Thread(() -> {
            server.stop(1);
            executor.shutdown();
            uploaded.run();
        }, "NBD upload closing");
        closer.setDaemon(true);
        closer.start();
    }

    private static void reply(HttpExchange exchange, int status, String text) throws IOException {
        byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
        exchange.sendResponseHeaders(status, body.length);
        exchange.getResponseBody().write(body);
    }
}
