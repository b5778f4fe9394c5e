package org.kvmstudio.libvirt.kvm;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Observation;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.libvirt.LibvirtSession;
import org.kvmstudio.libvirt.domain.DiskBus;
import org.kvmstudio.libvirt.domain.DiskDevice;
import org.kvmstudio.libvirt.domain.DiskSpec;
import org.kvmstudio.libvirt.domain.DomainSpec;
import org.kvmstudio.libvirt.domain.DomainXmlException;
import org.kvmstudio.libvirt.domain.DomainXmlReader;
import org.kvmstudio.libvirt.domain.DomainXmlWriter;
import org.kvmstudio.libvirt.domain.FileSource;
import org.kvmstudio.libvirt.domain.InstanceMetadata;
import org.kvmstudio.libvirt.domain.InvalidDomainSpecException;
import org.kvmstudio.libvirt.domain.LiveGraphics;
import org.kvmstudio.libvirt.domain.NbdSource;
import org.kvmstudio.libvirt.domain.NicModel;
import org.kvmstudio.libvirt.domain.PortForward;
import org.kvmstudio.libvirt.domain.UserNetwork;
import org.kvmstudio.libvirt.domain.VirtType;
import org.kvmstudio.libvirt.domain.VncGraphics;
import org.kvmstudio.libvirt.hosts.HostConnection;
import org.kvmstudio.libvirt.hosts.LibvirtErrors;
import org.kvmstudio.libvirt.hosts.Placement;
import org.kvmstudio.libvirt.hosts.SshRoute;
import org.kvmstudio.libvirt.storage.Storage;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.kvmstudio.workspace.PartitionState;
import org.libvirt.Connect;
import org.libvirt.Domain;
import org.libvirt.DomainInfo.DomainState;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;

/**
 * The virtual machines of the kvm release ({@code default} and {@code kvm+}) as libvirt domains.
 *
 * <p>Each deployment converges: volumes that are missing are made (an empty thin disk, or the
 * downloaded hard drive image), the domain XML built from the parameters is defined when it differs
 * from what was defined last, and the domain is started or stopped as requested; a definition that
 * changed while it runs takes effect by a restart. A first deployment that fails undoes what it made,
 * so a refused request leaves no domain or volume behind. Destroying undefines the domain and deletes
 * every volume of the partition (overwritten first when asked).
 */
public final class KvmProvisioner implements Provisioner, AutoCloseable {

    static final String DOMAIN_UUID = "domain-uuid";
    static final String VNC_PASSWORD = "vnc-password";
    static final String DEFINED_XML = "defined-xml-sha256";
    /** libvirt's flag to resize a block device by bytes rather than KiB. */
    private static final int BLOCK_RESIZE_BYTES = 1;
    private static final long GIB = 1L << 30;
    private static final String PASSWORD_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";

    private final LibvirtSession session;
    private final SecureRandom random = new SecureRandom();
    private final GuestConsole console = new GuestConsole();

    public KvmProvisioner(LibvirtSession session) {
        this.session = session;
    }

    @Override
    public String releaseUri() {
        return "kvm";
    }

    @Override
    public Set<String> softwareTypes() {
        return Set.of("default", "kvm+");
    }

    @Override
    public Optional<String> place(ProvisioningContext context) throws ProvisioningException {
        VmParameters vm = VmParameters.of(context.effectiveParameters());
        Map<String, Placement.Placed> placed = new LinkedHashMap<>();
        for (Partition p : context.placed()) {
            if (p.shared() || !softwareTypes().contains(p.softwareType()) || p.requestedState() == RequestedState.DESTROYED) {
                continue;
            }
            VmParameters other = VmParameters.of(session.engine().requestedWithDefaults(p)); // sizes are no secrets
            placed.merge(p.hostId(), new Placement.Placed(other.ramMiB(), other.cpus()),
                    (a, b) -> new Placement.Placed(a.memoryMiB() + b.memoryMiB(), a.vcpus() + b.vcpus()));
        }
        return Optional.of(session.placement().choose(vm.ramMiB(), vm.cpus(), session.refreshedHostStatuses(), placed));
    }

    @Override
    public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) throws ProvisioningException {
        Partition p = context.partition();
        String hostId = context.hostId().orElseThrow(() -> new ProvisioningException("'" + p.reference()
                + "' is not placed on a host"));
        if (p.requestedState() == RequestedState.DESTROYED && session.hosts().get(hostId).isEmpty()) {
            // placed on a host this workspace does not know: nothing was ever made there
            return Deployment.reached(Status.Phase.DESTROYED, Parameters.EMPTY);
        }
        HostConnection host = session.hosts().require(hostId);
        SubMonitor sub = SubMonitor.convert(monitor, "Deploying " + p.reference() + " on " + hostId, 100);
        Connect conn = host.connect();
        Storage storage = session.storage(hostId);
        String name = domainName(p);
        if (p.requestedState() == RequestedState.DESTROYED) {
            destroy(conn, name, storage, p, VmParameters.of(context.effectiveParameters()), sub);
            return Deployment.reached(Status.Phase.DESTROYED, Parameters.EMPTY);
        }
        VmParameters vm = VmParameters.of(context.effectiveParameters());
        Undo undo = new Undo();
        boolean firstTime = false;
        try {
            Optional<Domain> before = lookup(conn, name);
            Optional<String> definedUuid;
            try {
                definedUuid = before.isPresent() ? Optional.of(before.get().getUUIDString()) : Optional.empty();
            } finally {
                before.ifPresent(this::free);
            }
            firstTime = before.isEmpty();
            IProgressMonitor volumeProgress = sub.split(40);
            Beside volumes;
            if (firstTime) {
                // a new VM's volumes are made while its domain is defined: libvirt needs them only to start
                // it (a new disk is a qemu-img run, a few tens of milliseconds of a request)
                volumes = new Beside("kvmstudio volumes of " + p.id(),
                        () -> prepareVolumes(p, vm, storage, conn, name, undo, volumeProgress));
            } else {
                // a domain that exists is redefined only once what its new definition names is there
                prepareVolumes(p, vm, storage, conn, name, undo, volumeProgress);
                volumes = Beside.DONE;
            }
            boolean redefined = false;
            String digest;
            Beside remembering = Beside.DONE;
            try {
                List<DiskSpec> disks = disks(p, vm, storage);
                Identity identity = identity(context.state(), definedUuid);
                if (firstTime) {
                    // written while the domain is defined, and waited for before it starts: the password is
                    // published only once it is kept (a crash before leaves a domain the next run redefines)
                    remembering = new Beside("kvmstudio state of " + p.id(), () -> remember(context, identity));
                } else {
                    remember(context, identity);
                }
                DomainSpec spec = spec(context, vm, host.virtType(), disks, storage, identity.uuid(), identity.password());
                String xml = DomainXmlWriter.write(spec);
                digest = sha256(xml);
                if (firstTime || !digest.equals(context.state().get(DEFINED_XML).orElse(null))) {
                    Domain defined = conn.domainDefineXML(xml);
                    if (firstTime) {
                        undo.pushDomain(() -> undefine(conn, name));
                    }
                    free(defined);
                    redefined = !firstTime;
                }
                remembering.join();
            } catch (Throwable e) {
                remembering.joinAfter(e);
                volumes.joinAfter(e);
                throw e;
            }
            volumes.join();
            sub.setWorkRemaining(50);
            Domain domain = lookup(conn, name).orElseThrow(() -> new ProvisioningException("the domain " + name
                    + " vanished while it was being deployed"));
            try {
                Status.Phase phase = converge(domain, p.requestedState(), redefined, sub.split(40));
                // only now: a restart cut short leaves the old digest, so the next run restarts again; kept in
                // one write with the port the frontend entry follows (each durable write costs milliseconds)
                Map<String, Object> remembered = new LinkedHashMap<>(Map.of(DEFINED_XML, digest));
                Published published;
                GuestConsole.Reach reach = null;
                try {
                    published = published(context, vm, domain, phase);
                    if (vm.novnc()) {
                        reach = console.reach(context, host.host(), phase, published.websocketPort());
                        FrontendEntry.followedPort(phase, reach)
                                .ifPresent(port -> remembered.put(FrontendEntry.PORT_STATE, port));
                    }
                } catch (Throwable e) {
                    try {
                        context.state().putAll(remembered);
                    } catch (IOException also) {
                        e.addSuppressed(also);
                    }
                    throw e;
                }
                context.state().putAll(remembered);
                Map<String, Object> values = new LinkedHashMap<>(published.values());
                String note = "";
                if (reach != null) {
                    if (reach.direct()) {
                        values.put("vnc-host", "127.0.0.1");
                        published.vncPort().ifPresent(port -> values.put("vnc-port", Integer.toString(port)));
                    }
                    reach.port().ifPresent(port -> values.put("backend-url", GuestConsole.backendUrl(port)));
                    FrontendEntry.Outcome entry = FrontendEntry.follow(context, phase, reach);
                    entry.url().ifPresent(url -> values.put("url", url));
                    note = entry.note();
                }
                return Deployment.reached(phase, Parameters.of(values), note);
            } finally {
                free(domain);
            }
        } catch (ProvisioningException | RuntimeException e) {
            if (firstTime) {
                undo.run();
            }
            throw e;
        } catch (LibvirtException e) {
            if (firstTime) {
                undo.run();
            }
            throw new ProvisioningException("libvirt on host '" + hostId + "': " + LibvirtErrors.describe(e), e);
        } catch (IOException e) {
            if (firstTime) {
                undo.run();
            }
            throw new ProvisioningException("cannot keep the state of '" + p.reference() + "': " + e.getMessage(), e);
        }
    }

    /**
     * The domain XML a deployment would define, without creating volumes, state or anything on the
     * host (its capabilities are read, to know KVM from TCG); the VNC password is left out.
     */
    @Override
    public Optional<String> preview(ProvisioningContext context) {
        Partition p = context.partition();
        Optional<HostConnection> host = context.hostId().flatMap(id -> session.hosts().get(id));
        if (host.isEmpty() || p.requestedState() == RequestedState.DESTROYED) {
            return Optional.empty();
        }
        try {
            VmParameters vm = VmParameters.of(context.effectiveParameters());
            Storage storage = session.storage(host.get().host().id());
            List<DiskSpec> disks = disks(p, vm, storage);
            UUID uuid = context.state().get(DOMAIN_UUID).map(Object::toString).map(UUID::fromString)
                    .orElse(new UUID(0, 0));
            return Optional.of(DomainXmlWriter.writeWithoutSecrets(spec(context, vm, host.get().virtType(), disks, storage,
                    uuid, "--------")));
        } catch (ProvisioningException | IOException | InvalidDomainSpecException e) {
            return Optional.of("<!-- the domain cannot be worked out: " + e.getMessage().replace("--", "- -") + " -->");
        }
    }

    @Override
    public Optional<String> live(ProvisioningContext context) {
        Optional<HostConnection> host = context.hostId().flatMap(id -> session.hosts().get(id));
        if (host.isEmpty()) {
            return Optional.empty();
        }
        try {
            // without VIR_DOMAIN_XML_SECURE libvirt leaves the VNC password out
            return Optional.of(host.get().connect().domainLookupByName(domainName(context.partition())).getXMLDesc(0));
        } catch (LibvirtException | ProvisioningException none) {
            return Optional.empty(); // not defined (yet, or any more), or the host does not answer
        }
    }

    @Override
    public Optional<Observation> observe(ProvisioningContext context) {
        Partition p = context.partition();
        Optional<HostConnection> host = context.hostId().flatMap(id -> session.hosts().get(id));
        if (host.isEmpty()) {
            return Optional.empty();
        }
        try {
            Connect conn = host.get().connect();
            Observation seen = observe(conn, domainName(p));
            return Optional.of(followConsole(context, host.get(), conn, seen.phase()).orElse(seen));
        } catch (ProvisioningException down) {
            return Optional.of(new Observation(Status.Phase.NOT_READY, down.getMessage()));
        }
    }

    /**
     * Keeps the tunnel to the console of a guest on a {@code qemu+ssh://} host as the guest is seen:
     * after this owner's start (tunnels live in the owner), once its host is back, and after a restart
     * that moved its websocket. It claims nothing: a port taken meanwhile, or an address published for
     * another one, makes the guest not ready, and the deployment that follows publishes the right one.
     * Passing states (paused, a libvirt hiccup) keep the consoles open; a guest being stopped or
     * destroyed gets none back.
     *
     * @return what the guest is, where its console makes it differ from what libvirt says
     */
    private Optional<Observation> followConsole(ProvisioningContext context, HostConnection host, Connect conn,
            Status.Phase phase) {
        Partition p = context.partition();
        Optional<SshRoute> route = GuestConsole.carried(host.host());
        if (route.isEmpty()) {
            return Optional.empty();
        }
        if (phase == Status.Phase.STOPPED || p.requestedState() != RequestedState.STARTED) {
            if (phase == Status.Phase.STOPPED) {
                console.forget(p.id());
            }
            return Optional.empty();
        }
        if (phase != Status.Phase.STARTED || !VmParameters.of(context.effectiveParameters()).novnc()) {
            return Optional.empty();
        }
        OptionalInt websocket;
        try {
            Optional<Domain> domain = lookup(conn, domainName(p));
            if (domain.isEmpty()) {
                return Optional.empty();
            }
            try {
                websocket = DomainXmlReader.graphics(domain.get().getXMLDesc(0)).websocketPort();
            } finally {
                free(domain.get());
            }
        } catch (LibvirtException | DomainXmlException notNow) {
            return Optional.empty(); // the next look
        }
        if (websocket.isEmpty()) {
            return Optional.empty();
        }
        return console.keep(context, host.host(), route.get(), websocket.getAsInt(),
                p.connectionParameters().get("backend-url").map(Object::toString))
                .map(why -> new Observation(Status.Phase.NOT_READY, why));
    }

    /** Closes the console tunnels this owner keeps open, for good: the owner stops. */
    @Override
    public void close() {
        console.close();
    }

    /**
     * Closes the console tunnels open now, as the end of the owner's process does, without stopping: the
     * next look at each guest opens its tunnel again, as the next owner's first look does.
     */
    public void closeCarriedConsoles() {
        console.closeCarried();
    }

    /** What the host has of domain {@code name} now. */
    public Observation observe(Connect conn, String name) {
        try {
            Optional<Domain> domain = lookup(conn, name);
            if (domain.isEmpty()) {
                // stopped or not, a partition has a defined domain: a missing one is made again
                return new Observation(Status.Phase.NOT_READY, "the domain " + name + " is gone from its host");
            }
            try {
                DomainState state = domain.get().getInfo().state;
                return switch (state) {
                    case VIR_DOMAIN_RUNNING, VIR_DOMAIN_BLOCKED -> new Observation(Status.Phase.STARTED, "");
                    case VIR_DOMAIN_SHUTOFF -> new Observation(Status.Phase.STOPPED, "");
                    case VIR_DOMAIN_CRASHED -> new Observation(Status.Phase.FAILED, "the virtual machine crashed");
                    case VIR_DOMAIN_PAUSED -> new Observation(Status.Phase.NOT_READY, "the virtual machine is paused");
                    default -> new Observation(Status.Phase.NOT_READY, "the virtual machine is " + state.name()
                            .replace("VIR_DOMAIN_", "").toLowerCase(java.util.Locale.ROOT));
                };
            } finally {
                free(domain.get());
            }
        } catch (LibvirtException e) {
            return new Observation(Status.Phase.NOT_READY, "cannot look at " + name + ": " + LibvirtErrors.describe(e));
        }
    }

    /** The domain name of a partition: the workspace's mark, then its instance guid (never its reference). */
    public String domainName(Partition p) {
        return DomainSpec.nameFor(session.workspaceMark() + "-" + p.id());
    }

    private static void remember(ProvisioningContext context, Identity identity) throws ProvisioningException {
        try {
            context.state().putAll(identity.remembered());
        } catch (IOException e) {
            throw new ProvisioningException("cannot keep the state of '" + context.partition().reference() + "': " + e.getMessage(), e);
        }
    }

    /** Makes what the disks need on the host: downloads once, the main disk (grown, never shrunk). */
    private void prepareVolumes(Partition p, VmParameters vm, Storage storage, Connect conn, String name,
            Undo undo, IProgressMonitor monitor) throws ProvisioningException, LibvirtException {
        SubMonitor sub = SubMonitor.convert(monitor, vm.bootImages().size() + 2);
        for (int i = 0; i < vm.bootImages().size(); i++) {
            String image = bootImage(p, vm.bootImages().get(i));
            VmParameters.BootImage b = vm.bootImages().get(i);
            if (!storage.exists(image)) {
                storage.fetch(image, b.url(), b.md5(), sub.split(1));
                undo.pushVolume(() -> storage.delete(image, false));
            }
        }
        String disk = p.id() + "-disk";
        long bytes = vm.diskGiB() * GIB;
        if (!storage.exists(disk)) {
            storage.checkFits(bytes);
            if (vm.hardDriveUrl().isPresent()) {
                String source = p.id() + "-hard-drive-download";
                storage.fetch(source, vm.hardDriveUrl().get(), vm.hardDriveMd5().orElse(""), sub.split(1));
                try {
                    storage.importVolume(disk, source, vm.diskFormat(), bytes, sub.split(1));
                } finally {
                    storage.delete(source, false);
                }
            } else {
                storage.create(disk, vm.diskFormat(), bytes);
            }
            undo.pushVolume(() -> storage.delete(disk, false));
        } else if (storage.capacity(disk) < bytes) {
            // a bigger disk (an imported image, a size asked down) is kept as it is: shrinking loses data
            grow(conn, name, storage, disk, bytes);
        }
    }

    /**
     * The domain's disks, in boot order: the NBD exports first (the first boot is from the first one,
     * as in SlapOS's kvm), the boot images, the main disk, the external disks. Pure: the same list
     * for a deployment and for a preview.
     */
    private List<DiskSpec> disks(Partition p, VmParameters vm, Storage storage) throws ProvisioningException {
        try {
            DiskBus bus = DiskBus.fromSlapOs(vm.diskType());
            List<DiskSpec> disks = new ArrayList<>();
            int order = 1;
            if (vm.nbdHost().isPresent()) {
                disks.add(new DiskSpec(new NbdSource(vm.nbdHost().get(), vm.nbdPort(), ""), DiskDevice.CDROM, "raw",
                        DiskBus.IDE, null, true, order++));
            }
            if (vm.nbd2Host().isPresent()) {
                disks.add(new DiskSpec(new NbdSource(vm.nbd2Host().get(), vm.nbd2Port(), ""), DiskDevice.CDROM, "raw",
                        DiskBus.IDE, null, true, null));
            }
            for (VmParameters.BootImage b : vm.bootImages()) {
                disks.add(new DiskSpec(storage.source(bootImage(p, b)), DiskDevice.CDROM, "raw", DiskBus.IDE, null, true,
                        order++));
            }
            disks.add(new DiskSpec(storage.source(p.id() + "-disk"), DiskDevice.DISK, vm.diskFormat(), bus, vm.diskCache(),
                    false, order));
            for (VmParameters.ExternalDisk e : vm.externalDisks()) {
                disks.add(new DiskSpec(new FileSource(e.path()), DiskDevice.DISK,
                        e.format().equals("autodetect") ? "raw" : e.format(), bus, e.cache(), false, null));
            }
            return disks;
        } catch (InvalidDomainSpecException e) {
            throw new ProvisioningException(e.getMessage(), e);
        }
    }

    /** A boot image's volume, named by its checksum: a new image in the list is a new volume. */
    private static String bootImage(Partition p, VmParameters.BootImage b) {
        return p.id() + "-boot-" + b.md5().toLowerCase(java.util.Locale.ROOT) + ".img";
    }

    /** Grows the disk: live through libvirt when the guest runs (QEMU holds the file), else in the pool. */
    private void grow(Connect conn, String name, Storage storage, String disk, long bytes)
            throws ProvisioningException, LibvirtException {
        Storage.checkGrowth(storage.capacity(disk), bytes);
        Optional<Domain> domain = lookup(conn, name);
        try {
            if (domain.isPresent() && domain.get().isActive() == 1) {
                String path = storage.hostPath(disk);
                domain.get().blockResize(path, bytes, BLOCK_RESIZE_BYTES);
            } else {
                storage.grow(disk, bytes);
            }
        } finally {
            domain.ifPresent(this::free);
        }
    }

    /** A domain's UUID and VNC password, as its partition's state keeps them. */
    private record Identity(UUID uuid, String password) {
        Map<String, Object> remembered() {
            Map<String, Object> remembered = new LinkedHashMap<>();
            remembered.put(DOMAIN_UUID, uuid.toString());
            remembered.put(VNC_PASSWORD, password);
            return remembered;
        }
    }

    /**
     * The UUID kept in the state, else the one of a domain already there (adopted, or the state was lost),
     * since libvirt refuses to redefine a name under another UUID, else a new one; the password kept, else a new one.
     *
     * @param definedUuid the UUID of the domain already defined under this partition's name, if any
     */
    private Identity identity(PartitionState state, Optional<String> definedUuid) throws IOException {
        Optional<String> kept = state.get(DOMAIN_UUID).map(Object::toString).or(() -> definedUuid);
        return new Identity(kept.map(UUID::fromString).orElseGet(UUID::randomUUID),
                state.get(VNC_PASSWORD).map(Object::toString).orElseGet(this::newPassword));
    }

    private DomainSpec spec(ProvisioningContext context, VmParameters vm, VirtType virtType, List<DiskSpec> disks,
            Storage storage, UUID uuid, String password) throws ProvisioningException {
        Partition p = context.partition();
        VncGraphics graphics = vm.novnc() ? new VncGraphics("127.0.0.1", password, vm.keymap(), true) : null;
        List<PortForward> forwards = new ArrayList<>();
        Inet4Address address = natAddress(p);
        for (int guestPort : vm.natRules()) {
            forwards.add(new PortForward(address, 10000 + guestPort, guestPort));
        }
        try {
            UserNetwork network = new UserNetwork(NicModel.fromQemuName(vm.networkAdapter()), forwards);
            return new DomainSpec(domainName(p), uuid, p.reference(), "KVM Studio partition " + p.id() + " ("
                    + p.reference() + ")", virtType, vm.ramMiB(), vm.cpus(), "pc",
                    new InstanceMetadata(context.workspaceId(), p.releaseUri(), p.softwareType(), p.reference(), p.id()),
                    disks, graphics, network, storage.logPath(p.id() + "-serial.log"));
        } catch (InvalidDomainSpecException e) {
            throw new ProvisioningException(e.getMessage(), e);
        }
    }

    /**
     * The partition's own loopback address (127.w.x.y, from its workspace and instance number): guest port p is
     * forwarded to port 10000 + p on it, so two VMs both forwarding 22 do not collide, as in SlapOS
     * where each partition has addresses of its own.
     */
    Inet4Address natAddress(Partition p) {
        return natAddress(p, session.workspaceMark());
    }

    /** 127.(64 + a number of the workspace's mark, 0-63).(instance number, 16 bits): two workspaces rarely meet. */
    static Inet4Address natAddress(Partition p, String workspaceMark) {
        long number = Long.parseLong(p.id().substring(p.id().indexOf('-') + 1));
        int index = (int) (number % 65533) + 2;
        int workspace = 64 + Math.floorMod(workspaceMark.hashCode(), 64);
        try {
            return (Inet4Address) InetAddress.getByAddress(new byte[] { 127, (byte) workspace, (byte) (index >> 8), (byte) index });
        } catch (UnknownHostException impossible) {
            throw new IllegalStateException(impossible);
        }
    }

    /** Brings a defined domain to {@code wanted}; a redefined running one restarts, to apply its new definition. */
    private Status.Phase converge(Domain domain, RequestedState wanted, boolean redefined, IProgressMonitor monitor)
            throws LibvirtException, ProvisioningException {
        boolean active = domain.isActive() == 1;
        if (wanted == RequestedState.STOPPED) {
            if (active) {
                shutDown(domain, monitor);
            }
            return Status.Phase.STOPPED;
        }
        if (active && redefined) {
            shutDown(domain, monitor);
            active = false;
        }
        if (active && domain.getInfo().state == DomainState.VIR_DOMAIN_PAUSED) {
            try {
                domain.resume(); // paused by QEMU (a full host disk) or by hand: it runs on once resumed
            } catch (LibvirtException e) {
                throw new ProvisioningException("the virtual machine is paused and cannot resume: " + LibvirtErrors.describe(e), e);
            }
        }
        if (!active) {
            try {
                domain.create();
            } catch (LibvirtException e) {
                throw new ProvisioningException("the virtual machine cannot start: " + LibvirtErrors.describe(e), e);
            }
        }
        return Status.Phase.STARTED;
    }

    /** Asks the guest to shut down (ACPI), waits for it, then pulls the plug: the disk is kept either way. */
    private void shutDown(Domain domain, IProgressMonitor monitor) throws LibvirtException {
        Duration timeout = session.shutdownTimeout();
        try {
            domain.shutdown();
        } catch (LibvirtException refused) {
            // the guest cannot be asked (no ACPI yet): it is forced below
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            if (domain.isActive() != 1) {
                return;
            }
            sleep(200);
        }
        try {
            domain.destroy();
        } catch (LibvirtException e) {
            if (domain.isActive() == 1) {
                throw e;
            }
        }
    }

    /**
     * What a deployed VM publishes but its console's address, and the ports of its VNC display and
     * websocket on its host's loopback while it runs (published as far as this machine reaches them).
     */
    private record Published(Map<String, Object> values, OptionalInt vncPort, OptionalInt websocketPort) {
    }

    private Published published(ProvisioningContext context, VmParameters vm, Domain domain, Status.Phase phase)
            throws LibvirtException, IOException, ProvisioningException {
        OptionalInt vnc = OptionalInt.empty();
        OptionalInt websocket = OptionalInt.empty();
        Map<String, Object> out = new LinkedHashMap<>();
        Inet4Address address = natAddress(context.partition());
        out.put("ipv4", address.getHostAddress());
        for (int guestPort : vm.natRules()) {
            out.put("nat-rule-port-tcp-" + guestPort, address.getHostAddress() + ":" + (10000 + guestPort));
        }
        if (vm.novnc()) {
            out.put("password", context.state().get(VNC_PASSWORD).orElseThrow());
            if (phase == Status.Phase.STARTED) {
                try {
                    LiveGraphics g = DomainXmlReader.graphics(domain.getXMLDesc(0));
                    vnc = g.vncPort();
                    websocket = g.websocketPort();
                } catch (DomainXmlException e) {
                    throw new ProvisioningException("libvirt described the domain in a way KVM Studio cannot read: "
                            + e.getMessage(), e);
                }
            }
        }
        return new Published(out, vnc, websocket);
    }

    private void destroy(Connect conn, String name, Storage storage, Partition p, VmParameters vm, IProgressMonitor monitor)
            throws ProvisioningException {
        console.forget(p.id());
        try {
            Optional<Domain> domain = lookup(conn, name);
            if (domain.isPresent()) {
                try {
                    if (domain.get().isActive() == 1) {
                        domain.get().destroy();
                    }
                    domain.get().undefine(Domain.UndefineFlags.MANAGED_SAVE | Domain.UndefineFlags.SNAPSHOTS_METADATA);
                } finally {
                    free(domain.get());
                }
            }
        } catch (LibvirtException e) {
            if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                throw new ProvisioningException("cannot remove the domain " + name + ": " + LibvirtErrors.describe(e), e);
            }
        }
        console.forget(p.id()); // again: a look at it while it was being destroyed may have opened one
        for (String volume : storage.list(p.id() + "-")) {
            storage.delete(volume, vm.wipeOnDestroy() && volume.equals(p.id() + "-disk"));
        }
    }

    private void undefine(Connect conn, String name) {
        try {
            Optional<Domain> d = lookup(conn, name);
            if (d.isPresent()) {
                try {
                    if (d.get().isActive() == 1) {
                        d.get().destroy();
                    }
                    d.get().undefine();
                } finally {
                    free(d.get());
                }
            }
        } catch (LibvirtException e) {
            System.getLogger(KvmProvisioner.class.getName()).log(System.Logger.Level.WARNING,
                    "could not undo the definition of " + name + ": " + LibvirtErrors.describe(e));
        }
    }

    static Optional<Domain> lookup(Connect conn, String name) throws LibvirtException {
        try {
            return Optional.of(conn.domainLookupByName(name));
        } catch (LibvirtException e) {
            if (LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_DOMAIN)) {
                return Optional.empty();
            }
            throw e;
        }
    }

    private void free(Domain d) {
        try {
            d.free();
        } catch (LibvirtException ignored) {
            // a handle that cannot be freed is freed by its finaliser
        }
    }

    /** VNC passwords are 8 characters at most (the protocol's DES key); drawn from an unambiguous alphabet. */
    private String newPassword() {
        StringBuilder b = new StringBuilder(8);
        for (int i = 0; i < 8; i++) {
            b.append(PASSWORD_ALPHABET.charAt(random.nextInt(PASSWORD_ALPHABET.length())));
        }
        return b.toString();
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException();
        }
    }

    /**
     * What a first deployment made, undone when it fails: the domain first (destroyed if it runs, then
     * undefined), then the volumes, each in reverse order. The volumes' steps come from their own thread.
     */
    private static final class Undo {
        interface Step {
            void run() throws Exception;
        }

        private final Deque<Step> domain = new ConcurrentLinkedDeque<>();
        private final Deque<Step> volumes = new ConcurrentLinkedDeque<>();

        void pushDomain(Step step) {
            domain.push(step);
        }

        void pushVolume(Step step) {
            volumes.push(step);
        }

        void run() {
            run(domain);
            run(volumes);
        }

        private static void run(Deque<Step> steps) {
            while (!steps.isEmpty()) {
                try {
                    steps.pop().run();
                } catch (Exception e) {
                    System.getLogger(KvmProvisioner.class.getName()).log(System.Logger.Level.WARNING,
                            "could not undo a step of a failed deployment: " + e.getMessage());
                }
            }
        }
    }

    /** Work of a deployment done on a thread of its own, beside the deployment's. */
    private static final class Beside {
        interface Work {
            void run() throws ProvisioningException, LibvirtException;
        }

        /** Work already done, on the deployment's own thread. */
        static final Beside DONE = new Beside();

        private final FutureTask<Void> task;

        private Beside() {
            task = new FutureTask<>(() -> null);
            task.run();
        }

        Beside(String name, Work work) {
            task = new FutureTask<>(() -> {
                work.run();
                return null;
            });
            Thread.ofPlatform().name(name).daemon().start(task);
        }

        /**
         * Waits for the work, even when interrupted (what it made must be known before anything is
         * undone), and throws what it threw.
         */
        void join() throws ProvisioningException, LibvirtException {
            boolean interrupted = false;
            try {
                while (true) {
                    try {
                        task.get();
                        return;
                    } catch (InterruptedException e) {
                        interrupted = true;
                    } catch (ExecutionException e) {
                        switch (e.getCause()) {
                        case ProvisioningException p -> throw p;
                        case LibvirtException l -> throw l;
                        case RuntimeException r -> throw r;
                        case Error err -> throw err;
                        default -> throw new IllegalStateException(e.getCause());
                        }
                    }
                }
            } finally {
                if (interrupted) {
                    Thread.currentThread().interrupt();
                }
            }
        }

        /** Waits for the work after {@code failure} on the deployment's side, which it keeps as the reason. */
        void joinAfter(Throwable failure) {
            try {
                join();
            } catch (Exception | Error also) {
                failure.addSuppressed(also);
            }
        }
    }
}
