package org.kvmstudio.frontend.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Observation;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.core.provisioning.SlaveDeployment;
import org.kvmstudio.frontend.server.FrontendServer;
import org.kvmstudio.frontend.server.Route;
import org.kvmstudio.frontend.server.ServerSettings;
import org.kvmstudio.frontend.server.TlsIdentity;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Slave;
import org.kvmstudio.model.Status;
import org.kvmstudio.workspace.AtomicFiles;

/**
 * Deploys the {@code frontend} masters of the kvm release and their shared entries: a started master
 * is an HTTPS server in the workspace's owner for its domain and port, routing
 * {@code /<entry reference without "-">/} of each started entry to the VNC websocket the entry names.
 */
final class FrontendProvisioner implements Provisioner {

    static final String CERTIFICATE_FILE = "frontend-certificate.pem";
    static final String KEY_FILE = "frontend-key.pem";

    private final FrontendSession session;
    private final Clock clock = Clock.systemUTC();

    FrontendProvisioner(FrontendSession session) {
        this.session = session;
    }

    @Override
    public String releaseUri() {
        return "kvm";
    }

    @Override
    public Set<String> softwareTypes() {
        return Set.of("frontend");
    }

    @Override
    public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) throws ProvisioningException {
        String id = context.partition().id();
        RequestedState state = context.partition().requestedState();
        if (state != RequestedState.STARTED) {
            session.stop(id);
            if (state == RequestedState.DESTROYED) {
                return Deployment.reached(Status.Phase.DESTROYED, Parameters.EMPTY);
            }
            MasterParameters master = MasterParameters.of(context.effectiveParameters());
            return Deployment.reached(Status.Phase.STOPPED, master.published(master.port(), 0))
                    .withSlaves(notServed(context.slaves(), "its frontend '" + context.partition().reference() + "' is stopped"));
        }
        MasterParameters master = MasterParameters.of(context.effectiveParameters());
        if (!session.site().converging()) {
            String why = "a frontend serves from the workspace's owner: run kvmstudio agent or open the desktop application";
            return Deployment.behind(Status.Phase.NOT_READY, why, master.published(master.port(), 0))
                    .withSlaves(notServed(context.slaves(), why));
        }
        FrontendServer server;
        String domain = master.domain();
        try {
            ServerSettings settings = master.settings();
            domain = settings.domain();
            server = session.serve(id, settings, identity(context, settings.domain(), master));
        } catch (ProvisioningException | IOException e) {
            session.stop(id); // not on with what it was asked before
            throw e instanceof ProvisioningException pe ? pe
                    : new ProvisioningException("the frontend cannot listen on " + domain + ": " + e.getMessage(), e);
        }
        List<Route> routes = new ArrayList<>();
        Map<String, SlaveDeployment> outcomes = new LinkedHashMap<>();
        Map<String, String> takenBy = new HashMap<>();
        for (Slave s : inOrder(context.slaves())) {
            if (s.state() == RequestedState.DESTROYED) {
                continue;
            }
            Optional<String> resource = Route.resourceOf(s.reference());
            if (resource.isEmpty()) {
                outcomes.put(s.id(), new SlaveDeployment(Status.Phase.NOT_READY, "its reference '" + s.reference()
                        + "' cannot be an address: keep to letters, digits and - _ . ~ (not starting with a dot)", null));
                continue;
            }
            String other = takenBy.putIfAbsent(resource.get(), s.reference());
            if (other != null) {
                outcomes.put(s.id(), new SlaveDeployment(Status.Phase.NOT_READY, "/" + resource.get()
                        + "/ is already the address of the entry '" + other + "'", null));
                continue;
            }
            Parameters published = slavePublished(domain, server.port(), resource.get());
            if (s.state() == RequestedState.STOPPED) {
                outcomes.put(s.id(), SlaveDeployment.reached(Status.Phase.STOPPED, published));
                continue;
            }
            try {
                routes.add(route(s, resource.get()));
                outcomes.put(s.id(), SlaveDeployment.reached(Status.Phase.STARTED, published));
            } catch (IllegalArgumentException e) {
                outcomes.put(s.id(), new SlaveDeployment(Status.Phase.NOT_READY, e.getMessage(), null));
            }
        }
        server.routes(routes);
        return Deployment.reached(Status.Phase.STARTED, master.published(server.port(), routes.size()), expiryNote(master, server))
                .withSlaves(outcomes);
    }

    @Override
    public Optional<Observation> observe(ProvisioningContext context) {
        if (!session.site().converging()) {
            return Optional.empty(); // only the owner runs frontends: a command cannot tell
        }
        Optional<FrontendServer> server = session.running(context.partition().id());
        return switch (context.partition().requestedState()) {
            case STARTED -> Optional.of(server.isEmpty() ? new Observation(Status.Phase.STOPPED, "its HTTPS server is not running")
                    // a generated certificate close to its end: the deployment makes a new one (a given one is the user's to renew)
                    : !givenCertificate(context) && !server.get().identity().isCurrentFor(server.get().domain(), clock.instant())
                            ? new Observation(Status.Phase.NOT_READY, "its certificate is about to expire")
                            : new Observation(Status.Phase.STARTED, ""));
            case STOPPED -> Optional.of(new Observation(server.isPresent() ? Status.Phase.STARTED : Status.Phase.STOPPED, ""));
            case DESTROYED -> Optional.empty();
        };
    }

    /**
     * The route of a started entry, from its parameters (as the schema made them, defaults given): the
     * 2012 keys {@code host}, {@code port}, {@code https} (and {@code path}), or one {@code url}.
     */
    static Route route(Slave s, String resource) {
        Parameters p = s.parameters();
        boolean websocket = p.get("websocket").map(Boolean.TRUE::equals).orElse(true);
        Optional<String> url = p.get("url").map(Object::toString);
        if (url.isPresent()) {
            return new Route(resource, s.id(), backendOf(url.get()), websocket);
        }
        Optional<String> host = p.get("host").map(Object::toString);
        Optional<Integer> port = p.get("port").filter(Number.class::isInstance).map(n -> ((Number) n).intValue());
        if (host.isEmpty() || port.isEmpty()) {
            throw new IllegalArgumentException("an entry names its backend with host and port, or with url");
        }
        boolean secure = p.get("https").map(Boolean.TRUE::equals).orElse(true);
        String path = p.get("path").map(Object::toString).orElse("/");
        return new Route(resource, s.id(), Route.backend(host.get(), port.get(), secure, path), websocket);
    }

    /** A backend URL as a websocket address: http means ws, https means wss; nothing but scheme, host, port and path. */
    static URI backendOf(String url) {
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("the backend url is not a URL: " + e.getReason());
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        boolean secure = switch (scheme) {
            case "ws", "http" -> false;
            case "wss", "https" -> true;
            default -> throw new IllegalArgumentException("the backend url must be ws:, wss:, http: or https:, not " + scheme + ":");
        };
        if (uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException("the backend url must be scheme://host[:port][/path], without user, query or fragment");
        }
        int port = uri.getPort() > 0 ? uri.getPort() : secure ? 443 : 80;
        String path = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        String host = uri.getHost().startsWith("[") ? uri.getHost().substring(1, uri.getHost().length() - 1) : uri.getHost();
        return Route.backend(host, port, secure, path);
    }

    /** Entries in the order they were made, so that the first one keeps an address two of them want. */
    private static List<Slave> inOrder(List<Slave> slaves) {
        return slaves.stream().sorted(Comparator.comparingInt((Slave s) -> s.id().length()).thenComparing(Slave::id)).toList();
    }

    /**
     * The entries of a master that serves nothing from here: those to destroy are let go of (no route
     * is left to remove), those stopped are, the others wait for {@code why}.
     */
    private static Map<String, SlaveDeployment> notServed(List<Slave> slaves, String why) {
        Map<String, SlaveDeployment> outcomes = new LinkedHashMap<>();
        for (Slave s : slaves) {
            outcomes.put(s.id(), switch (s.state()) {
                case DESTROYED -> SlaveDeployment.reached(Status.Phase.DESTROYED, null);
                case STOPPED -> SlaveDeployment.reached(Status.Phase.STOPPED, null);
                case STARTED -> new SlaveDeployment(Status.Phase.NOT_READY, why, null);
            });
        }
        return outcomes;
    }

    /** What the master publishes for one entry: the 2012 keys. */
    static Parameters slavePublished(String domain, int port, String resource) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("url", url(domain, port, "/" + resource).toString());
        out.put("domainname", domain);
        out.put("port", Integer.toString(port));
        out.put("resource", resource);
        return Parameters.of(out);
    }

    static URI url(String domain, int port, String path) {
        try {
            return new URI("https", null, domain, port == 443 ? -1 : port, path, null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("no URL for " + domain + ":" + port, e);
        }
    }

    private static boolean givenCertificate(ProvisioningContext context) {
        return context.effectiveParameters().contains(MasterParameters.CERTIFICATE);
    }

    /** What the master's status says of a certificate the user gave that ends soon; nothing otherwise. */
    private String expiryNote(MasterParameters master, FrontendServer server) {
        if (master.certificate().isEmpty()) {
            return "";
        }
        Instant end = server.identity().chain().get(0).getNotAfter().toInstant();
        return clock.instant().plus(TlsIdentity.RENEW_BEFORE).isBefore(end) ? ""
                : "its certificate (" + MasterParameters.CERTIFICATE + ") expires on " + end + ": request it with a new one";
    }

    /**
     * The certificate the user gave ({@code ssl_crt} and {@code ssl_key}, checked), or else the one
     * generated for the master's domain, kept in its private state (the key readable by the owner
     * only) and made again only when the domain changed or it is about to expire.
     */
    private TlsIdentity identity(ProvisioningContext context, String domain, MasterParameters master) throws ProvisioningException {
        try {
            Path directory = context.state().directory();
            Path certificate = directory.resolve(CERTIFICATE_FILE);
            Path key = directory.resolve(KEY_FILE);
            if (master.certificate().isPresent()) {
                TlsIdentity given;
                try {
                    given = TlsIdentity.fromPem(master.certificate().get(), master.key().orElse(""), clock.instant());
                    given.checkCovers(domain);
                } catch (IllegalArgumentException e) {
                    // never quotes the key (TlsIdentity's messages do not)
                    throw new ProvisioningException(MasterParameters.CERTIFICATE + " and " + MasterParameters.KEY + ": " + e.getMessage(), e);
                }
                // the generated key is not needed while the user's is served: no key material lies about unused
                Files.deleteIfExists(key);
                Files.deleteIfExists(certificate);
                return given;
            }
            if (Files.isRegularFile(certificate) && Files.isRegularFile(key)) {
                try {
                    TlsIdentity kept = TlsIdentity.fromPem(Files.readString(certificate), Files.readString(key), clock.instant());
                    if (kept.isCurrentFor(domain, clock.instant())) {
                        return kept;
                    }
                } catch (IllegalArgumentException damaged) {
                    // made again below: it is ours, generated, and nothing else relies on it
                }
            }
            TlsIdentity made = TlsIdentity.generate(domain, clock.instant());
            AtomicFiles.write(key, made.privateKeyPem().getBytes(StandardCharsets.US_ASCII)); // temporary files are 0600
            AtomicFiles.write(certificate, made.certificatesPem().getBytes(StandardCharsets.US_ASCII));
            return made;
        } catch (IOException e) {
            throw new ProvisioningException("cannot keep the frontend's certificate in the workspace: " + e.getMessage(), e);
        }
    }

    /** The master's own parameters, checked. */
    record MasterParameters(String domain, int port, boolean redirection, int httpPort, Optional<String> certificate,
            Optional<String> key) {

        /** The SlapOS frontends' names of a certificate (PEM, chain after it) and its private key given by the user. */
        static final String CERTIFICATE = "ssl_crt";
        static final String KEY = "ssl_key";

        static MasterParameters of(Parameters p) throws ProvisioningException {
            String domain = p.get("domain").map(Object::toString)
                    .orElseThrow(() -> new ProvisioningException("a frontend needs its domain"));
            Optional<String> certificate = p.get(CERTIFICATE).map(Object::toString);
            Optional<String> key = p.get(KEY).map(Object::toString);
            if (certificate.isPresent() != key.isPresent()) {
                throw new ProvisioningException("a frontend's own certificate needs both " + CERTIFICATE + " and " + KEY);
            }
            return new MasterParameters(domain, integer(p, "port", 4443), integer(p, "http-redirection", 0) == 1,
                    integer(p, "http-port", 8080), certificate, key);
        }

        @Override
        public String toString() { // never the key
            return "MasterParameters[" + domain + ":" + port + (certificate.isPresent() ? ", certificate given" : "") + "]";
        }

        ServerSettings settings() throws ProvisioningException {
            try {
                return new ServerSettings(domain, port, redirection ? OptionalInt.of(httpPort) : OptionalInt.empty());
            } catch (IllegalArgumentException e) {
                throw new ProvisioningException(e.getMessage(), e);
            }
        }

        Parameters published(int boundPort, int entries) {
            Map<String, Object> out = new LinkedHashMap<>();
            String ascii;
            try {
                ascii = ServerSettings.asciiDomain(domain);
            } catch (IllegalArgumentException e) {
                return Parameters.EMPTY;
            }
            out.put("domain", ascii);
            out.put("port", Integer.toString(boundPort));
            out.put("url", url(ascii, boundPort, "/").toString());
            out.put("slave-count", Integer.toString(entries));
            return Parameters.of(out);
        }

        private static int integer(Parameters p, String name, int otherwise) {
            return p.get(name).filter(Number.class::isInstance).map(n -> ((Number) n).intValue()).orElse(otherwise);
        }
    }
}
