package org.kvmstudio.frontend.server;

import java.io.IOException;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;

import org.eclipse.jetty.client.HttpClient;
import org.eclipse.jetty.http.UriCompliance;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.NetworkConnectionLimit;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.SecureRequestCustomizer;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.SslConnectionFactory;
import org.eclipse.jetty.server.handler.DoSHandler;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.server.handler.SizeLimitHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.util.thread.QueuedThreadPool;
import org.eclipse.jetty.websocket.core.WebSocketComponents;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;
import org.eclipse.jetty.websocket.core.server.WebSocketMappings;

/**
 * The HTTPS server of one frontend (master), embedded Jetty: its entries' console pages and their
 * websockets relayed to the VMs' VNC servers, on its port for its domain; plain HTTP only redirects,
 * when asked. TLS 1.2 and 1.3 with Jetty's modern cipher list.
 */
public final class FrontendServer implements AutoCloseable {

    /** Request headers a console page needs are small; anything bigger is refused. */
    static final int MAX_HEADER_BYTES = 8 * 1024;
    /** A console request carries no body. */
    static final long MAX_BODY_BYTES = 1024;
    /**
     * Clients whose request rate is followed at once. Beyond, Jetty lets new clients through unlimited
     * (refusing them would lock everyone out once an attacker holds the table); their connections are
     * still limited.
     */
    static final int MAX_TRACKED_CLIENTS = 10_000;
    static final long HTTP_IDLE_MILLIS = 30_000;

    private final ServerSettings settings;
    private final TlsIdentity identity;
    private final Server server;
    private final ServerConnector https;
    private final ServerConnector http;
    private final Routes routes = new Routes();

    private FrontendServer(ServerSettings settings, TlsIdentity identity) {
        this.settings = settings;
        this.identity = identity;
        QueuedThreadPool threads = new QueuedThreadPool(64, 2);
        threads.setName("kvmstudio-frontend-" + settings.domain());
        threads.setDaemon(true);
        server = new Server(threads);
        server.setStopTimeout(2000);
        // what Jetty refuses itself (a malformed request) is answered in a line of text, naming nothing
        ErrorHandler errors = new ErrorHandler();
        errors.setShowStacks(false);
        errors.setShowCauses(false);
        errors.setShowMessageInTitle(false);
        errors.setShowOrigin(false);
        errors.setDefaultResponseMimeType("text/plain");
        server.setErrorHandler(errors);

        HttpConfiguration plain = new HttpConfiguration();
        plain.setSendServerVersion(false);
        plain.setSendXPoweredBy(false);
        plain.setRequestHeaderSize(MAX_HEADER_BYTES);
        // requests with encoded or dotted segments reach our handler, which refuses them with the same 404
        // as any other unknown path (it matches paths as sent against names that are never encoded)
        plain.setUriCompliance(UriCompliance.DEFAULT.with("kvmstudio-frontend", UriCompliance.Violation.AMBIGUOUS_PATH_SEGMENT,
                UriCompliance.Violation.AMBIGUOUS_EMPTY_SEGMENT, UriCompliance.Violation.AMBIGUOUS_PATH_SEPARATOR,
                UriCompliance.Violation.AMBIGUOUS_PATH_PARAMETER, UriCompliance.Violation.AMBIGUOUS_PATH_ENCODING,
                UriCompliance.Violation.SUSPICIOUS_PATH_CHARACTERS));
        HttpConfiguration secure = new HttpConfiguration(plain);
        SecureRequestCustomizer customizer = new SecureRequestCustomizer();
        customizer.setSniHostCheck(false); // the handler refuses other hosts itself
        secure.addCustomizer(customizer);

        char[] password = randomPassword();
        SslContextFactory.Server tls = new SslContextFactory.Server();
        tls.setKeyStore(identity.keyStore(password));
        tls.setKeyStorePassword(new String(password));
        tls.setIncludeProtocols("TLSv1.3", "TLSv1.2");
        tls.setRenegotiationAllowed(false);
        tls.addExcludeCipherSuites("^.*_CBC_.*$"); // TLS 1.2 with AEAD ciphers only, as TLS 1.3 has

        https = new ServerConnector(server, new SslConnectionFactory(tls, "http/1.1"), new HttpConnectionFactory(secure));
        https.setPort(settings.port());
        https.setIdleTimeout(HTTP_IDLE_MILLIS);
        server.addConnector(https);
        if (settings.redirectPort().isPresent()) {
            http = new ServerConnector(server, new HttpConnectionFactory(plain));
            http.setPort(settings.redirectPort().getAsInt());
            http.setIdleTimeout(HTTP_IDLE_MILLIS);
            server.addConnector(http);
        } else {
            http = null;
        }
        server.addBean(new NetworkConnectionLimit(settings.maxConnections(), server));
        PerClientLimit perClient = new PerClientLimit(settings.maxConnectionsPerClient());
        for (var connector : server.getConnectors()) {
            ((ServerConnector) connector).addEventListener(perClient);
        }

        WebSocketComponents components = new WebSocketComponents();
        server.addBean(components);
        HttpClient httpClient = new HttpClient();
        httpClient.setExecutor(threads);
        httpClient.setFollowRedirects(false); // a backend is where its entry says, never where it redirects
        httpClient.setConnectTimeout(ConsoleRelay.CONNECT_TIMEOUT.toMillis());
        WebSocketCoreClient client = new WebSocketCoreClient(httpClient, components);
        server.addBean(client);
        FrontendHandler handler = new FrontendHandler(settings, https::getLocalPort, routes, new WebSocketMappings(components), client);
        SizeLimitHandler limit = new SizeLimitHandler(MAX_BODY_BYTES, -1);
        limit.setHandler(handler);
        int rate = settings.maxRequestsPerSecondPerClient();
        if (rate > 0) {
            // a client past its rate is answered 429 at once, before any work, so that it cannot keep the
            // others waiting however many requests it sends on its connections
            server.setHandler(new DoSHandler(limit, FrontendServer::clientOf,
                    new DoSHandler.LeakingBucketTrackerFactory(rate, rate * ServerSettings.BURST_SECONDS, Duration.ofSeconds(30)),
                    FrontendHandler.TOO_MANY_REQUESTS, MAX_TRACKED_CLIENTS));
        } else {
            server.setHandler(limit);
        }
    }

    /**
     * Who a request's rate counts against: its IPv4 address, or the /64 network of its IPv6 address (one
     * host commonly has a whole /64, and could otherwise take a new address for every request).
     */
    static String clientOf(Request request) {
        return clientOf(request.getConnectionMetaData().getRemoteSocketAddress());
    }

    static String clientOf(java.net.SocketAddress from) {
        if (from instanceof InetSocketAddress remote && remote.getAddress() != null) {
            byte[] address = remote.getAddress().getAddress();
            return address.length == 16 ? HexFormat.of().formatHex(address, 0, 8) + "::/64" : remote.getAddress().getHostAddress();
        }
        return String.valueOf(from);
    }

    /**
     * Starts serving.
     *
     * @throws IOException saying which port is taken, when one is
     */
    public static FrontendServer start(ServerSettings settings, TlsIdentity identity) throws IOException {
        FrontendServer frontend = new FrontendServer(settings, identity);
        try {
            frontend.server.start();
        } catch (IOException e) {
            frontend.close();
            if (e instanceof BindException || e.getCause() instanceof BindException) {
                throw new IOException("port " + settings.port() + settings.redirectPort().stream()
                        .mapToObj(p -> " or " + p).findFirst().orElse("") + " is in use by another program", e);
            }
            throw e;
        } catch (Exception e) {
            frontend.close();
            throw new IOException("the frontend for " + settings.domain() + " cannot start: " + e.getMessage(), e);
        }
        return frontend;
    }

    /** Serves exactly {@code entries} from now on; consoles open on entries that went or changed are closed. */
    public void routes(Collection<Route> entries) {
        routes.replace(entries);
    }

    /** Whether this server runs as {@code wanted} asks, with {@code wantedIdentity}: otherwise it is restarted. */
    public boolean serves(ServerSettings wanted, TlsIdentity wantedIdentity) {
        return server.isRunning() && settings.equals(wanted) && identity.sameAs(wantedIdentity);
    }

    /** The certificate and key it serves with. */
    public TlsIdentity identity() {
        return identity;
    }

    /** The domain it answers for. */
    public String domain() {
        return settings.domain();
    }

    public boolean isRunning() {
        return server.isRunning();
    }

    /** The HTTPS port, as bound (the asked one, or the one chosen for port 0). */
    public int port() {
        return https.getLocalPort();
    }

    /** The HTTP redirection port, as bound; -1 without redirection. */
    public int redirectPort() {
        return http == null ? -1 : http.getLocalPort();
    }

    /** The consoles open now, each saying where its two sides stand. */
    public List<String> describeConsoles() {
        return routes.describeRelays();
    }

    /** Consoles open now, all entries together. */
    public int openConsoles() {
        return routes.openRelays();
    }

    /** Closes every console and stops listening: the ports are free when this returns. */
    @Override
    public void close() {
        routes.closeAll();
        try {
            server.stop();
        } catch (Exception e) {
            System.getLogger(FrontendServer.class.getName()).log(System.Logger.Level.WARNING,
                    "the frontend for " + settings.domain() + " did not stop cleanly", e);
        }
    }

    /** The in-memory key store's password: it protects nothing on disk, it only has to exist. */
    private static char[] randomPassword() {
        byte[] bytes = new byte[18];
        new SecureRandom().nextBytes(bytes);
        return Base64.getEncoder().encodeToString(bytes).toCharArray();
    }
}
