package org.kvmstudio.frontend.server;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
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
        boolean upgraded = websockets.upgrade(new Negotiator(route), request, response, callback, null);
        if (!upgraded) {
            return send(response, callback, HttpStatus.BAD_REQUEST_400, "text/plain; charset=utf-8",
                    "this address takes websocket connections only\n".getBytes(StandardCharsets.UTF_8), false);
        }
        return true;
    }

    /** Accepts the browser's websocket and pairs it with one to the entry's VNC server. */
    private final class Negotiator implements WebSocketNegotiator {
        private final Route route;

        Negotiator(Route route) {
            this.route = route;
        }

        @Override
        public FrameHandler negotiate(ServerUpgradeRequest request, ServerUpgradeResponse response, Callback callback) {
            List<String> passed = request.getSubProtocols().stream().filter("binary"::equals).toList();
            if (!passed.isEmpty()) {
                response.setAcceptedSubProtocol("binary");
            }
            response.setExtensions(List.of()); // frames pass as they are, not recompressed
            ConsoleRelay[] relay = new ConsoleRelay[1];
            relay[0] = new ConsoleRelay(client, route.backend(), passed, () -> routes.closed(route.resource(), relay[0]));
            if (!routes.open(route, relay[0], settings.maxConsoles())) {
                Response.writeError(request, response, callback, HttpStatus.SERVICE_UNAVAILABLE_503,
                        "too many consoles are open on this entry");
                return null;
            }
            return relay[0].browserSide();
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

    private static boolean notFound(Response response, Callback callback) {
        return send(response, callback, HttpStatus.NOT_FOUND_404, "text/plain; charset=utf-8", NOT_FOUND, false);
    }

    private static boolean send(Response response, Callback callback, int status, String type, byte[] body, boolean headOnly) {
        response.setStatus(status);
        var headers = response.getHeaders();
        headers.put(HttpHeader.CONTENT_TYPE, type);
        headers.put(HttpHeader.CACHE_CONTROL, "no-store");
        headers.put("X-Content-Type-Options", "nosniff");
        headers.put("Referrer-Policy", "no-referrer");
        headers.put("X-Frame-Options", "DENY");
        // the page loads only its own files and talks only to its own websocket
        headers.put("Content-Security-Policy", "default-src 'self'; connect-src 'self'; img-src 'self' data:; "
                + "frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
        headers.put(HttpHeader.CONTENT_LENGTH, body.length);
        response.write(true, headOnly ? ByteBuffer.allocate(0) : ByteBuffer.wrap(body), callback);
        return true;
    }
}
