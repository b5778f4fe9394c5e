package org.kvmstudio.libvirt.nbd;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Observation;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.libvirt.LibvirtSession;
import org.kvmstudio.libvirt.hosts.FreePorts;
import org.kvmstudio.libvirt.storage.LocalStorage;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;

/**
 * NBD exports of the kvm release ({@code nbd}): one image in the storage pool of this machine,
 * served by a supervised {@code qemu-nbd} on loopback (IPv6 where the machine has it). The image is
 * downloaded from {@code image-url} (checked against its MD5) or uploaded once through a key-protected
 * endpoint. {@code stopped} stops serving; {@code destroyed} removes the image.
 */
public final class NbdProvisioner implements Provisioner {

    static final String UPLOAD_KEY = "upload-key";
    static final String SERVED = "served";
    /** Uploads stop at this size: a disk image bigger than this is not a boot image. */
    static final long MAX_UPLOAD = 64L << 30;

    private final LibvirtSession session;
    private final Map<String, UploadEndpoint> uploads = new ConcurrentHashMap<>();
    private final Map<String, ProcessHandle> watched = new ConcurrentHashMap<>();
    private final SecureRandom random = new SecureRandom();

    public NbdProvisioner(LibvirtSession session) {
        this.session = session;
    }

    @Override
    public String releaseUri() {
        return "kvm";
    }

    @Override
    public Set<String> softwareTypes() {
        return Set.of("nbd");
    }

    @Override
    public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) throws ProvisioningException {
        Partition p = context.partition();
        SubMonitor sub = SubMonitor.convert(monitor, "Deploying NBD export " + p.reference(), 100);
        LocalStorage storage = session.nbdStorage();
        String image = imageName(context);
        NbdServer.Export export = export(context, storage, image);
        if (p.requestedState() == RequestedState.DESTROYED) {
            closeUpload(p.id());
            NbdServer.stop(export);
            for (String volume : storage.list(p.id() + "-")) {
                storage.delete(volume, false);
            }
            return Deployment.reached(Status.Phase.DESTROYED, Parameters.EMPTY);
        }
        int wanted = wantedPort(context);
        boolean portTaken = NbdServer.running(export).isEmpty() && !FreePorts.free(export.bindAddress(), export.port());
        boolean portChanged = export.port() != wanted && FreePorts.free(export.bindAddress(), wanted);
        if (portTaken || portChanged) {
            // another program took the port while the export was not served, or another port is asked and free
            try {
                context.releasePort("nbd");
            } catch (IOException e) {
                throw new ProvisioningException("cannot keep the state of the export: " + e.getMessage(), e);
            }
            export = export(context, storage, image);
        }
        // what is served now, if it is not what is asked (another image, port, format, name, or writability), stops
        String served;
        try {
            served = context.state().get(SERVED).map(Object::toString).orElse(describe(export));
        } catch (IOException e) {
            throw new ProvisioningException("cannot read the state of the export: " + e.getMessage(), e);
        }
        if (!describe(export).equals(served) || NbdServer.running(export).isEmpty()) {
            NbdServer.stopRecorded(export.pidFile());
        }
        Parameters params = context.effectiveParameters();
        Optional<String> url = text(params, "image-url");
        if (url.isPresent() && !storage.exists(image)) {
            storage.fetch(image, url.get(), text(params, "image-md5sum").orElse(""), sub.split(80));
        }
        for (String old : storage.list(p.id() + "-nbd")) {
            if (!old.equals(image) && !old.endsWith(".part")) {
                storage.delete(old, false); // the image of an earlier image-url
            }
        }
        Map<String, Object> published = new LinkedHashMap<>();
        published.put("nbd-host", export.bindAddress());
        published.put("nbd-port", Integer.toString(export.port()));
        published.put("nbd-url", nbdUrl(export));
        if (!storage.exists(image)) {
            if (!session.converging()) {
                // the endpoint lives in the owner, and this one exits when its command is done
                return Deployment.behind(Status.Phase.NOT_READY, "waiting for the image: give image-url, or run kvmstudio agent "
                        + "(or the desktop application) to accept its one-time upload", Parameters.of(published));
            }
            openUpload(context, storage, image, export.bindAddress(), published);
            return Deployment.behind(Status.Phase.NOT_READY, "waiting for the image to be uploaded once to "
                    + published.get("upload-url") + " (with the " + UploadEndpoint.KEY_HEADER + " header set to the upload key)",
                    Parameters.of(published));
        }
        closeUpload(p.id());
        if (p.requestedState() == RequestedState.STOPPED) {
            NbdServer.stop(export);
            return Deployment.reached(Status.Phase.STOPPED, Parameters.of(published));
        }
        ProcessHandle server = NbdServer.running(export).orElse(null);
        if (server == null) {
            storage.checkStandalone(image); // an uploaded qcow2 must not make qemu-nbd serve host files
            server = NbdServer.start(export);
            try {
                context.state().put(SERVED, describe(export));
            } catch (IOException e) {
                throw new ProvisioningException("cannot keep the state of the export: " + e.getMessage(), e);
            }
        }
        watch(p.id(), server);
        return Deployment.reached(Status.Phase.STARTED, Parameters.of(published));
    }

    @Override
    public Optional<Observation> observe(ProvisioningContext context) {
        try {
            NbdServer.Export export = export(context, session.nbdStorage(), imageName(context));
            Optional<ProcessHandle> running = NbdServer.running(export);
            running.ifPresent(handle -> watch(context.partition().id(), handle));
            return Optional.of(running.isPresent() ? new Observation(Status.Phase.STARTED, "")
                    : new Observation(Status.Phase.STOPPED, "qemu-nbd is not running"));
        } catch (ProvisioningException e) {
            return Optional.of(new Observation(Status.Phase.NOT_READY, e.getMessage()));
        }
    }

    /** The export's image: named by the download's checksum, so that another image-url is another image; else the uploaded one. */
    private static String imageName(ProvisioningContext context) {
        Parameters params = context.effectiveParameters();
        return text(params, "image-url").isPresent()
                ? context.partition().id() + "-nbd-" + text(params, "image-md5sum").orElse("").toLowerCase(java.util.Locale.ROOT) + ".img"
                : context.partition().id() + "-nbd.img";
    }

    private static int wantedPort(ProvisioningContext context) {
        return context.effectiveParameters().get("port").filter(Number.class::isInstance).map(n -> ((Number) n).intValue())
                .orElse(1024);
    }

    /** How an export is served, to tell whether the running server serves it so. */
    private static String describe(NbdServer.Export e) {
        return e.image() + " " + e.format() + " " + (e.readOnly() ? "ro" : "rw") + " " + e.bindAddress() + " " + e.port()
                + " " + e.exportName();
    }

    /** Stops watching and closes upload endpoints: the exports themselves keep serving. */
    public void close() {
        uploads.values().forEach(UploadEndpoint::close);
        uploads.clear();
        watched.clear();
    }

    /** Reports at once when a served export's {@code qemu-nbd} ends, so the controller serves it again. */
    private void watch(String id, ProcessHandle server) {
        if (server.equals(watched.put(id, server))) {
            return;
        }
        server.onExit().thenRun(() -> {
            if (watched.remove(id, server)) {
                session.engine().observed(id, new Observation(Status.Phase.STOPPED, "qemu-nbd stopped"));
                session.wakeUp();
            }
        });
    }

    private NbdServer.Export export(ProvisioningContext context, LocalStorage storage, String image)
            throws ProvisioningException {
        Parameters params = context.effectiveParameters();
        String bind = loopback();
        int port;
        try {
            port = context.claimPort("nbd", wantedPort(context), candidate -> FreePorts.free(bind, candidate));
        } catch (IOException e) {
            throw new ProvisioningException(e.getMessage(), e);
        }
        Path pidFile;
        try {
            pidFile = context.state().directory().resolve("qemu-nbd.pid");
        } catch (IOException e) {
            throw new ProvisioningException("cannot keep the state of the export: " + e.getMessage(), e);
        }
        return new NbdServer.Export(storage.directory().resolve(image),
                text(params, "image-format").orElse("raw"),
                params.get("read-only").map(Boolean.TRUE::equals).orElse(true), bind, port,
                text(params, "export-name").orElse(""), pidFile);
    }

    private void openUpload(ProvisioningContext context, LocalStorage storage, String image, String bind,
            Map<String, Object> published) throws ProvisioningException {
        String id = context.partition().id();
        try {
            String key = context.state().get(UPLOAD_KEY).map(Object::toString).orElse(null);
            if (key == null) {
                byte[] bytes = new byte[24];
                random.nextBytes(bytes);
                key = HexFormat.of().formatHex(bytes);
                context.state().put(UPLOAD_KEY, key);
            }
            int port = context.claimPort("upload", 8080, candidate -> uploads.containsKey(id) || FreePorts.free(bind, candidate));
            if (!uploads.containsKey(id)) {
                uploads.put(id, UploadEndpoint.open(bind, port, key, storage.directory().resolve(image), MAX_UPLOAD, () -> {
                    uploads.remove(id);
                    session.engine().retryNow(id);
                    session.wakeUp();
                }));
            }
            published.put("upload-url", httpUrl(bind, port));
            published.put("upload-key", key);
        } catch (IOException e) {
            throw new ProvisioningException("cannot open the upload endpoint: " + e.getMessage(), e);
        }
    }

    private void closeUpload(String id) {
        UploadEndpoint endpoint = uploads.remove(id);
        if (endpoint != null) {
            endpoint.close();
        }
    }

    /** {@code ::1} where this machine has IPv6, else {@code 127.0.0.1}. */
    static String loopback() {
        try (ServerSocket probe = new ServerSocket()) {
            probe.bind(new InetSocketAddress(InetAddress.getByName("::1"), 0));
            return "::1";
        } catch (IOException noIpv6) {
            return "127.0.0.1";
        }
    }

    static String nbdUrl(NbdServer.Export export) {
        return uri("nbd", export.bindAddress(), export.port(), "/" + export.exportName());
    }

    static String httpUrl(String address, int port) {
        return uri("http", address, port, "/");
    }

    /** A URL built from its parts by java.net.URI (which brackets IPv6 literals), never by pasting strings. */
    private static String uri(String scheme, String host, int port, String path) {
        try {
            return new URI(scheme, null, host, port, path, null, null).toASCIIString();
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static Optional<String> text(Parameters p, String name) {
        return p.get(name).filter(String.class::isInstance).map(String.class::cast).filter(s -> !s.isBlank());
    }
}
