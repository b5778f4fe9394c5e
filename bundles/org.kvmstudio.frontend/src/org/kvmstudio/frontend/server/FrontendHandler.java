package org.kvmstudio.frontend.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.IntSupplier;

import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.http.HttpMethod;
import org.eclipse.jetty.http.HttpStatus;
import org.eclipse.jetty.http.HttpURI;
import org.eclipse.jetty.server.Handler;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeRequest;
import org.eclipse.jetty.websocket.core.server.ServerUpgradeResponse;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.kvmstudio.console.ConsoleFiles;

/**
 * What a frontend answers. Only {@code /<entry>/} (the console page), the console's files beneath
 * it and {@code /<entry>/websockify} (relayed to the entry's VNC server) exist, for registered entries
 * and the frontend's own domain; everything else is 404. Paths are matched as sent, before any
 * decoding, against names that never need encoding, so no dot-dot or encoded slash can lead elsewhere.
 */
final class FrontendHandler extends Handler.Abstract {

    static final String WEBSOCKET = "websockify";
    static final String PAGE = "frontend.html";

    private static final byte[] NOT_FOUND = "not found\n".getBytes(StandardCharsets.UTF_8);
    /** The page talks only to its own websocket, beside it. */
    private static final Map<String, String> SECURITY_HEADERS = ConsoleFiles.securityHeaders("'self'");

    private final ServerSettings settings;
    private final IntSupplier httpsPort;
    private final Routes routes;
    private final WebSocketMappings websockets;
    private final WebSocketCoreClient client;

    FrontendHandler(ServerSettings settings, IntSupplier httpsPort, Routes routes, WebSocketMappings websockets,
            WebSocketCoreClient client) {
        this.settings = settings;
        this.httpsPort = httpsPort;
        this.routes = routes;
        this.websockets = websockets;
        this.client = client;
    }

    @Override
    public boolean handle(Request request, Response response, Callback callback) throws Exception {
        HttpURI uri = request.getHttpURI();
        String path = uri.getPath();
        if (!settings.domain().equals(host(uri)) || path == null || path.length() < 2 || path.charAt(0) != '/') {
            return notFound(response, callback);
        }
        int slash = path.indexOf('/', 1);
        String resource = slash < 0 ? path.substring(1) : path.substring(1, slash);
        Optional<Route> route = routes.find(resource);
        if (route.isEmpty()) {
            return notFound(response, callback);
        }
        String rest = slash < 0 ? null : path.substring(slash + 1);
        if (rest != null && !rest.isEmpty() && !rest.equals(WEBSOCKET) && !ConsoleFiles.isFileName(rest)) {
            return notFound(response, callback);
        }
        if (!request.isSecure()) {
            return redirectToHttps(request, response, callback, "/" + resource + "/" + (rest == null ? "" : rest));
        }
        String method = request.getMethod();
        if (!HttpMethod.GET.is(method) && !HttpMethod.HEAD.is(method)) {
            response.getHeaders().put(HttpHeader.ALLOW, "GET, HEAD");
            return send(response, callback, HttpStatus.METHOD_NOT_ALLOWED_405, "text/plain; charset=utf-8",
                    "only GET\n".getBytes(StandardCharsets.UTF_8), false);
        }
        if (rest == null) {
            // the 2012 URL has no trailing slash; the page's relative links need one
            Response.sendRedirect(request, response, callback, HttpStatus.MOVED_PERMANENTLY_301, "/" + resource + "/", true);
            return true;
        }
        if (rest.equals(WEBSOCKET)) {
            return websocket(route.get(), request, response, callback);
        }
        Optional<ConsoleFiles.File> file = ConsoleFiles.find(rest.isEmpty() ? PAGE : rest);
        if (file.isEmpty()) {
            return notFound(response, callback);
        }
        return send(response, callback, HttpStatus.OK_200, file.get().contentType(), file.get().bytes(), HttpMethod.HEAD.is(method));
    }

    private boolean websocket(Route route, Request request, Response response, Callback callback) {
        if (!route.websocket()) {
            return notFound(response, callback);
        }
        String origin = request.getHeaders().get(HttpHeader.ORIGIN);
        if (origin != null && !origin.equalsIgnoreCase(ownOrigin())) {
            // a page of another site may not open consoles with the visitor's browser
            return send(response, callback, HttpStatus.FORBIDDEN_403, "text/plain; charset=utf-8",
                    "cross-origin console refused\n".getBytes(StandardCharsets.UTF_8), false);
        }
        InetAddress from = request.getConnectionMetaData().getRemoteSocketAddress() instanceof InetSocketAddress a
                ? a.getAddress() : InetAddress.getLoopbackAddress();
        ConsoleRelay relay = new ConsoleRelay(client, route.backend(), from, closed -> routes.closed(route.resource(), closed));
        switch (routes.open(route, relay, settings.maxConsoles(), settings.maxConsolesPerClient())) {
            case GONE -> {
                return notFound(response, callback);
            }
            case FULL -> {
                return send(response, callback, HttpStatus.SERVICE_UNAVAILABLE_503, "text/plain; charset=utf-8",
                        "too many consoles are open on this entry\n".getBytes(StandardCharsets.UTF_8), false);
            }
            case FULL_FOR_CLIENT -> {
                return send(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, "text/plain; charset=utf-8",
                        "too many consoles are open on this entry from your address\n".getBytes(StandardCharsets.UTF_8), false);
            }
            case OPENED -> {
            }
        }
        // a client gone before the upgrade completes never opens the relay, which then never closes: count it out here
        Callback released = new Callback.Nested(callback) {
            @Override
            public void failed(Throwable x) {
                routes.closed(route.resource(), relay);
                super.failed(x);
            }
        };
        if (!websockets.upgrade(new Negotiator(relay), request, response, released, null)) {
            routes.closed(route.resource(), relay);
            return send(response, callback, HttpStatus.BAD_REQUEST_400, "text/plain; charset=utf-8",
                    "this address takes websocket connections only\n".getBytes(StandardCharsets.UTF_8), false);
        }
        return true;
    }

    /** Accepts the browser's websocket for a relay to the entry's VNC server. */
    private static final class Negotiator implements WebSocketNegotiator {
        private final ConsoleRelay relay;

        Negotiator(ConsoleRelay relay) {
            this.relay = relay;
        }

        @Override
        public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            if (request.hasSubProtocol("binary")) {
                response.setAcceptedSubProtocol("binary");
            }
            response.setExtensions(List.of()); // frames pass as they are, not recompressed
            return relay.browserSide();
        }

        @Override
        public void customize(Configuration configuration) {
            ConsoleRelay.configure(configuration);
        }
    }

    private boolean redirectToHttps(Request request, Response response, Callback callback, String path) {
        if (settings.redirectPort().isEmpty()) {
            return notFound(response, callback);
        }
        HttpURI target = HttpURI.build().scheme("https").host(settings.domain()).port(publicPort()).path(path);
        Response.sendRedirect(request, response, callback, HttpStatus.MOVED_PERMANENTLY_301, target.asString(), true);
        return true;
    }

    private String ownOrigin() {
        int port = publicPort();
        return "https://" + settings.domain() + (port == 443 ? "" : ":" + port);
    }

    private int publicPort() {
        return settings.port() == 0 ? httpsPort.getAsInt() : settings.port();
    }

    private static String host(HttpURI uri) {
        String host = uri.getHost();
        return host == null ? "" : host.toLowerCase(Locale.ROOT);
    }

    /**
     * What a client past its request rate is answered: plain text with the same headers as every other
     * answer, and when to come back. (Jetty's own rejection would be an HTML error page.)
     */
    static final Request.Handler TOO_MANY_REQUESTS = (request, response, callback) -> {
        response.getHeaders().put(HttpHeader.RETRY_AFTER, "1");
        return send(response, callback, HttpStatus.TOO_MANY_REQUESTS_429, "text/plain; charset=utf-8",
                "too many requests from your address: wait a moment\n".getBytes(StandardCharsets.UTF_8),
                HttpMethod.HEAD.is(request.getMethod()));
    };

    private static boolean notFound(Response response, Callback callback) {
        return send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8", NOT_FOUND, false);
    }

    private static boolean send(Response response, Callback callback, int status, String type, byte[] body, boolean headOnly) {
        response.setStatus(status);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, type);
        SECURITY_HEADERS.forEach(headers::put);
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, headOnly ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }
}
