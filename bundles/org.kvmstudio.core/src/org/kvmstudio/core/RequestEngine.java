package org.kvmstudio.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.Supplier;
import java.util.function.UnaryOperator;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.ISchedulingRule;
import org.kvmstudio.model.Excerpt;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Observation;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.core.provisioning.SlaveDeployment;
import org.kvmstudio.model.ConflictException;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceEvent;
import org.kvmstudio.model.InstanceListener;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Slave;
import org.kvmstudio.model.Status;
import org.kvmstudio.model.UnknownInstanceException;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.SecretValues;
import org.kvmstudio.workspace.PartitionState;
import org.kvmstudio.workspace.PartitionStore;

/**
 * Turns SlapOS-style requests into partitions and has provisioners deploy them.
 *
 * <p>{@link #request} only records what is wanted, as SlapOS's master does: it is quick, validates
 * the parameters against the software type's schema, and is idempotent per reference (the same
 * request again changes nothing; a changed parameter set or state updates the same partition).
 * {@link #process} then deploys what is not ready, which is long work a Job runs. A partition is
 * "not ready" until its provisioner has deployed its latest request; a master is deployed again
 * while any of its slaves is behind, whatever order their files were written in.
 *
 * <p>What backends see happen outside deployments ({@link #observed}) becomes the partition's
 * status: a VM found stopped while it should run is not ready, and the next pass deploys it again.
 * A partition whose deployment failed waits before it is tried again ({@link Retries}).
 *
 * <p>Root requests are found by reference; the instances a partition requests are found by
 * reference within its instance tree, which is named by the root's instance guid so that a root
 * requested again under an old reference never inherits what is left of the old tree.
 *
 * <p>Each partition changes under a lock of its own ({@link PartitionLocks}): a change that spans
 * partitions writes them one after another, in the order a crash between the writes is repaired from,
 * so that what another thread may see between them is what a crash may leave.
 */
public final class RequestEngine {

    /** Passes of {@link #process(IProgressMonitor)}: each deploys what the previous ones requested; never reached by a real tree. */
    static final int MAX_PASSES = 100;

    private final PartitionStore store;
    private final ReleaseCatalog catalog;
    private final ProvisionerRegistry provisioners;
    private final Clock clock;
    private final InstanceEvents events = new InstanceEvents();
    private final Retries retries = new Retries();
    /** Partitions a provisioner is working on, so two jobs never deploy the same one at once. */
    private final Set<String> deploying = ConcurrentHashMap.newKeySet();
    /** What backends saw while a partition was claimed for deployment: applied after, if the claim changed nothing. */
    private final Map<String, Observation> deferred = new ConcurrentHashMap<>();
    /** Looks asked for while their partition was being deployed: made after it, if it deployed nothing. */
    private final Map<String, Supplier<Optional<Observation>>> deferredLooks = new ConcurrentHashMap<>();
    private final PortClaims ports;
    private final ConnectionSecrets secrets;
    private final InputSecrets inputSecrets;
    /** One placement at a time: two jobs placing side by side would both count the same room free. */
    private final Object placementLock = new Object();
    /**
     * Placements chosen whose durable write is under way, by partition id: the next placement counts them
     * without waiting for the write (milliseconds each, several times more while QEMU starts).
     */
    private final Map<String, String> placing = new ConcurrentHashMap<>();
    private final PartitionLocks locks = new PartitionLocks();

    public RequestEngine(PartitionStore store, ReleaseCatalog catalog, ProvisionerRegistry provisioners, Clock clock) {
        this.store = store;
        this.catalog = catalog;
        this.provisioners = provisioners;
        this.clock = clock;
        this.ports = new PortClaims(store);
        this.secrets = new ConnectionSecrets(store);
        this.inputSecrets = new InputSecrets(store);
    }

    /** Told of every change, in order, once the engine has let go of its lock. */
    public void addListener(InstanceListener listener) {
        events.add(listener);
    }

    public void removeListener(InstanceListener listener) {
        events.remove(listener);
    }

    /** All partitions, shared ones included, by instance guid. */
    public List<Partition> partitions() {
        return store.partitions();
    }

    public Optional<Partition> partition(String id) {
        return store.partition(id);
    }

    /** The root instance a user requested under {@code reference}. */
    public Optional<Partition> instance(String reference) {
        return store.partitions().stream().filter(p -> p.isRoot() && p.reference().equals(reference)).findFirst();
    }

    /** The partitions of the instance tree whose root was requested as {@code rootReference}, root first. */
    public List<Partition> tree(String rootReference) {
        return instance(rootReference).map(root -> store.partitions().stream()
                .filter(p -> p.instanceTree().equals(root.instanceTree()))
                .sorted(Comparator.comparing((Partition p) -> !p.isRoot())).toList()).orElse(List.of());
    }

    /**
     * The connection parameters the root instance {@code reference} published, secret ones included.
     *
     * @throws ResourceNotReadyException while it is not deployed as last requested
     * @throws UnknownInstanceException when there is no such instance
     */
    public Parameters connectionParameters(String reference) throws ResourceNotReadyException {
        Partition p = instance(reference).orElseThrow(() -> new UnknownInstanceException("there is no instance " + Excerpt.quoted(reference)));
        if (!p.isReady()) {
            throw new ResourceNotReadyException(reference, p.status().message());
        }
        return allConnectionParameters(p);
    }

    /**
     * What {@code p} published, secret values included: those are kept in its private state, not in
     * {@link Partition#connectionParameters()}, which events and files carry.
     */
    public Parameters allConnectionParameters(Partition p) {
        return secrets.merged(p);
    }

    /**
     * What {@code p} was requested with, secret values included: those are kept in its private state,
     * and {@link Partition#parameters()}, which events and files carry, has {@value Secrets#MASK} in their place.
     */
    public Parameters allParameters(Partition p) {
        return inputSecrets.revealed(p);
    }

    /** {@code p}'s parameters, secrets included, completed with its type's defaults; as they are when its schema cannot be loaded. */
    public Parameters effectiveParameters(Partition p) {
        Parameters all;
        try {
            all = allParameters(p);
        } catch (UncheckedIOException unreadable) {
            all = p.parameters(); // a private state that cannot be read: its own deployment says so
        }
        return withDefaults(p, all);
    }

    /**
     * {@code p}'s parameters as its file has them (secret values masked), completed with its type's
     * defaults: what is not secret (a VM's size, to place another next to it) without reading its
     * private state, which a deployment beside may be writing.
     */
    public Parameters requestedWithDefaults(Partition p) {
        return withDefaults(p, p.parameters());
    }

    private Parameters withDefaults(Partition p, Parameters parameters) {
        try {
            return catalog.release(p.releaseUri()).inputFor(p.softwareType(), p.shared()).withDefaults(parameters);
        } catch (InvalidRequestException unknown) {
            return parameters;
        }
    }

    /**
     * A user's request: SlapOS's {@code request(software_release, partition_reference, ...)}. The
     * instance is the root of its own instance tree.
     *
     * @throws org.kvmstudio.model.InvalidParametersException when the parameters do not fit the type's schema
     * @throws InvalidRequestException for an unknown release or type
     * @throws ConflictException for a request that would change an instance's release, type, sharing or
     *         placement, or revive one being destroyed
     * @throws UnknownInstanceException when destroying an instance that does not exist
     */
    public Partition request(InstanceRequest request) throws IOException {
        try {
            return request(request, null);
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        } finally {
            events.deliver(locks::heldByCurrentThread);
        }
    }

    /**
     * Destroys the partition with instance guid {@code id}, whatever it is: a root, an instance another
     * requested, a slave, one whose parent is gone. Idempotent.
     *
     * @throws UnknownInstanceException when there is no such partition
     */
    public Partition destroy(String id) throws IOException {
        try {
            return destroyed(id);
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        } finally {
            events.deliver(locks::heldByCurrentThread);
        }
    }

    private Partition destroyed(String id) {
        return change(id, p -> p.requestedState() == RequestedState.DESTROYED ? null : p.request().withState(RequestedState.DESTROYED))
                .orElseThrow(() -> new UnknownInstanceException("there is no partition " + id));
    }

    /**
     * Removes a destroyed partition that no provisioner can clean up (its provisioner is gone, its
     * release uninstalled), without deploying anything: what it had on its host stays there, and is
     * reported as an orphan by backends that can see it. Its children are destroyed; its slaves look
     * for another master.
     *
     * @throws ConflictException when it is not being destroyed: destroy it first
     */
    public void forget(String id) throws IOException {
        try {
            // destroyed is for good: checked under its lock, it stays so while what it requested goes
            Partition p = locks.partition(id, () -> {
                Partition current = store.partition(id).orElseThrow(() -> new UnknownInstanceException("there is no partition " + id));
                if (current.requestedState() != RequestedState.DESTROYED) {
                    throw new ConflictException("'" + current.reference() + "' (" + id + ") is " + current.requestedState().slapName()
                            + ": destroy it first; forget only what could not be destroyed");
                }
                if (deploying.contains(id)) {
                    throw new ConflictException("'" + current.reference() + "' (" + id + ") is being deployed; try again when it is done");
                }
                return current;
            });
            removeDestroyed(p);
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        } finally {
            events.deliver(locks::heldByCurrentThread);
        }
    }

    /**
     * What {@link #request} would do with {@code request}, checked as it would check it, without
     * storing anything or touching a host: {@code kvmstudio request --dry-run} and the GUI's review page.
     */
    public Plan plan(InstanceRequest request) {
        Optional<Partition> existing = instance(request.reference());
        if (request.state() == RequestedState.DESTROYED) {
            Partition p = existing.orElseThrow(() -> new UnknownInstanceException("there is no instance '"
                    + request.reference() + "' to destroy"));
            return new Plan(Plan.Kind.DESTROY, p.request().withState(RequestedState.DESTROYED),
                    shown(p.request(), effectiveParameters(p)), Map.of(), p.host(), "", Optional.empty(), live(p));
        }
        existing.ifPresent(p -> checkSameKind(p, request));
        Parameters checked = checkedParameters(request.withParameters(inputSecrets.unmasked(request.parameters(), existing.orElse(null), secretNames(request))));
        InstanceRequest wanted = request.withParameters(checked)
                .withFilter(existing.map(p -> placement(p, request.filter())).orElse(request.filter()));
        Parameters effective = catalog.release(request.releaseUri()).inputFor(request.softwareType(), request.shared())
                .withDefaults(checked);
        Map<String, Plan.Change> changes = new java.util.TreeMap<>();
        Parameters before = existing.map(this::allParameters).orElse(Parameters.EMPTY);
        Set<String> secretNames = secretNames(request);
        Set<String> names = new java.util.TreeSet<>(before.names());
        names.addAll(checked.names());
        for (String name : names) {
            Object was = before.get(name).orElse(null);
            Object now = checked.get(name).orElse(null);
            if (!java.util.Objects.equals(was, now)) {
                // a plan is shown and printed: a changed secret says only that it changes
                changes.put(name, secretNames.contains(name) ? new Plan.Change(was == null ? null : Secrets.MASK,
                        now == null ? null : Secrets.MASK) : new Plan.Change(was, now));
            }
        }
        Plan.Kind kind = existing.isEmpty() ? Plan.Kind.NEW
                : existing.get().request().withParameters(before).equals(wanted) ? Plan.Kind.UNCHANGED : Plan.Kind.CHANGED;
        Partition hypothetical = existing.map(p -> p.withRequest(wanted, p.status()))
                .orElseGet(() -> new Partition("SOFTINST-0", request.reference(), request.releaseUri(), request.softwareType(),
                        request.shared(), checked, request.state(), wanted.filter(), notReady("planned"), Parameters.EMPTY,
                        wanted.filter().get(Filter.COMPUTER_GUID).orElse(null), null, null, "SOFTINST-0", 1, 0));
        Optional<Provisioner> provisioner = request.shared() ? Optional.empty()
                : provisioners.find(request.releaseUri(), request.softwareType());
        String hostNote = "";
        if (provisioner.isEmpty()) {
            hostNote = request.shared() ? "hosted by a master" : noProvisioner(hypothetical);
        } else if (hypothetical.hostId() == null) {
            try {
                Optional<String> host = provisioner.get().place(new Context(hypothetical, effective, List.of()));
                if (host.isPresent()) {
                    hypothetical = hypothetical.withHost(host.get());
                }
            } catch (ProvisioningException e) {
                hostNote = e.getMessage();
            }
        }
        Partition planned = hypothetical;
        Optional<String> definition = provisioner.flatMap(p -> p.preview(new Context(planned, effective, List.of())));
        // printed and shown: the plan masks secrets as the partition's file does
        return new Plan(kind, wanted.withParameters(shown(request, checked)), shown(request, effective),
                changes, planned.host(), hostNote, definition, existing.flatMap(this::live));
    }

    /**
     * What is defined on the host of the partition {@code id} now (a KVM's live domain XML, secrets
     * left out), asked of its provisioner; empty when nothing is, or nothing deploys it.
     */
    public Optional<String> liveDefinition(String id) {
        return partition(id).flatMap(this::live);
    }

    private Optional<String> live(Partition p) {
        if (p.shared() || p.hostId() == null) {
            return Optional.empty();
        }
        return provisioners.find(p.releaseUri(), p.softwareType())
                .flatMap(provisioner -> provisioner.live(new Context(p, effectiveParameters(p), List.of())));
    }

    /**
     * Makes a partition again for what a backend found on a host with this workspace's mark and no
     * partition (an {@link org.kvmstudio.core.provisioning.Orphan}): under its old instance guid,
     * placed where it is, as a root request of the given parameters. It is deployed as any request
     * is, so its definition becomes what the parameters say.
     *
     * @throws ConflictException when a partition has that guid or a root that reference
     */
    public Partition adopt(String instanceGuid, InstanceRequest request, String hostId) throws IOException {
        try {
            return locks.reference(null, request.reference(), () -> locks.partition(instanceGuid, () -> {
                if (store.partition(instanceGuid).isPresent()) {
                    throw new ConflictException(instanceGuid + " already belongs to a partition");
                }
                if (instance(request.reference()).isPresent()) {
                    throw new ConflictException("an instance '" + request.reference() + "' exists; adopt under another reference");
                }
                Parameters checked = checkedParameters(request.withParameters(inputSecrets.unmasked(request.parameters(), null, secretNames(request))));
                Partition p = new Partition(instanceGuid, request.reference(), request.releaseUri(), request.softwareType(),
                        false, checked, request.state(), request.filter(), notReady("adopted; waiting to be deployed"),
                        Parameters.EMPTY, hostId, null, null, instanceGuid, 1, 0);
                return store(p, InstanceEvent.Kind.ADDED);
            }));
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        } finally {
            events.deliver(locks::heldByCurrentThread);
        }
    }

    /**
     * A request made by the instance {@code requester} (or the user, when {@code null}), under the lock of
     * its reference: a second request of the same reference finds the partition the first created.
     */
    private Partition request(InstanceRequest request, Partition requester) {
        return locks.reference(requester == null ? null : requester.instanceTree(), request.reference(), () -> {
            Optional<Partition> existing = requester == null ? instance(request.reference())
                    : store.partitions().stream().filter(p -> !p.isRoot() && p.instanceTree().equals(requester.instanceTree())
                            && p.reference().equals(request.reference())).findFirst();
            if (existing.isPresent()) {
                // empty when a destroyed one was removed since it was found: requested anew, as if it had been gone
                Optional<Partition> changed = changed(existing.get().id(), request);
                if (changed.isPresent()) {
                    return changed.get();
                }
            }
            if (request.state() == RequestedState.DESTROYED) {
                throw new UnknownInstanceException("there is no instance '" + request.reference() + "' to destroy");
            }
            return create(request.withParameters(checkedParameters(request.withParameters(
                    inputSecrets.unmasked(request.parameters(), null, secretNames(request))))), requester);
        });
    }

    /** Partition {@code id}, found under {@code request}'s reference, changed to answer it; empty when it is gone. */
    private Optional<Partition> changed(String id, InstanceRequest request) {
        // checked against the partition as it is under its lock: a destroy by guid may have come between
        return change(id, p -> {
            checkSameKind(p, request);
            if (p.requestedState() == RequestedState.DESTROYED) {
                if (request.state() == RequestedState.DESTROYED) {
                    return null;
                }
                throw new ConflictException("'" + p.reference() + "' is being destroyed; request it again once it is gone");
            }
            if (request.state() == RequestedState.DESTROYED) {
                // Destroying needs no valid parameters and moves nothing: keep what the instance has.
                return p.request().withState(RequestedState.DESTROYED);
            }
            // a mask sent back (the instance editor, what info printed) keeps the secret the instance has
            Parameters unmasked = inputSecrets.unmasked(request.parameters(), p, secretNames(request));
            return request.withParameters(checkedParameters(request.withParameters(unmasked)))
                    .withFilter(placement(p, request.filter()));
        });
    }

    /**
     * Partition {@code id} changed to answer what {@code wanted} makes of it (checked and decided under
     * its lock; {@code null} leaves it as it is): a new revision, unless nothing changes. Its master, if
     * it is a slave, hears of the change once the slave is written. Empty when there is no such partition.
     */
    private Optional<Partition> change(String id, Function<Partition, InstanceRequest> wanted) {
        boolean[] changed = {false};
        Optional<Partition> result = locks.partition(id, () -> store.partition(id).map(p -> {
            InstanceRequest request = wanted.apply(p);
            if (request == null || request.equals(p.request().withParameters(allParameters(p)))) {
                return p;
            }
            Partition updated = p.withRequest(request, notReady("waiting to deploy revision " + (p.revision() + 1)));
            if (updated.shared() && updated.masterId() == null) {
                updated = MasterSelection.attach(updated, store.partitions(), this::notReady);
            }
            changed[0] = true;
            return store(updated, InstanceEvent.Kind.CHANGED);
        }));
        if (changed[0]) {
            touchMaster(result.get(), "slave '" + result.get().reference() + "' changed");
        }
        return result;
    }

    /**
     * The filter of a re-request. As in SlapOS, the filter places an instance once: a request that
     * gives none keeps it, and one that would move a placed instance is refused rather than leaving
     * its old host or master unaware. A slave still waiting for a master may be given one.
     */
    private static Filter placement(Partition p, Filter requested) {
        if (requested.values().isEmpty() || requested.equals(p.filter())) {
            return p.filter();
        }
        if (p.shared() && p.masterId() == null) {
            return requested;
        }
        throw new ConflictException("'" + p.reference() + "' is already placed" + (p.shared()
                ? " on master " + p.masterId() : "") + "; its filter cannot change: destroy it and request it again to move it");
    }

    /**
     * The partitions to deploy now, roots and masters before what they requested and host: those not
     * ready (and not waiting after a failure), and masters with a slave behind.
     */
    public List<String> pending() {
        Instant now = clock.instant();
        List<Partition> all = store.partitions();
        java.util.LinkedHashSet<String> ids = new java.util.LinkedHashSet<>();
        // only what a deployment can move on: not what is being deployed, waits out a failure, or has
        // no provisioner (its status says so; installing one wakes the controller)
        Set<String> mastersBehind = mastersWithASlaveBehind(all);
        all.stream().filter(p -> !p.shared()).sorted(Comparator.comparing((Partition p) -> !p.isRoot()))
                .filter(p -> !deploying.contains(p.id()) && (needsDeployItself(p) || mastersBehind.contains(p.id()))
                        && retries.due(p.id(), p.revision(), now)
                        && provisioners.find(p.releaseUri(), p.softwareType()).isPresent())
                .forEach(p -> ids.add(p.id()));
        // slaves are deployed by their masters; here only those to attach (a master exists now), to
        // drop (destroyed without one) or whose master's file was set aside
        for (Partition s : all) {
            if (!s.shared() || deploying.contains(s.id())) {
                continue;
            }
            boolean unattached = s.masterId() == null;
            if (unattached && s.requestedState() == RequestedState.DESTROYED || orphaned(s)
                    || unattached && MasterSelection.attach(s, all, this::notReady).masterId() != null) {
                ids.add(s.id());
            }
        }
        return List.copyOf(ids);
    }

    /**
     * Lets {@code id} be deployed again at once, without waiting out its back-off: what it waited for
     * arrived (an uploaded image, a host that came back).
     */
    public void retryNow(String id) {
        retries.succeeded(id);
    }

    /** When a partition waiting after a failure may be tried again, if any waits. */
    public Optional<Instant> nextRetry() {
        return retries.next(clock.instant());
    }

    /**
     * Deploys every partition that is due, masters before the slaves they host, pass after pass
     * while passes make progress (partitions that provisioners request on the way are deployed in a
     * following pass).
     *
     * @return whether nothing is left to deploy now (failed partitions may still wait to be retried)
     */
    public boolean process(IProgressMonitor monitor) {
        SubMonitor passes = SubMonitor.convert(monitor, "Deploying instances", MAX_PASSES);
        Set<String> before = new HashSet<>();
        for (int pass = 0; pass < MAX_PASSES; pass++) {
            List<String> due = pending();
            if (due.isEmpty()) {
                return true;
            }
            SubMonitor sub = passes.split(1).setWorkRemaining(due.size());
            boolean progress = false;
            for (String id : due) {
                progress |= process(id, sub.split(1));
            }
            Set<String> now = new HashSet<>(store.partitions().stream().map(Partition::id).toList());
            progress |= !now.equals(before);
            before = now;
            if (!progress) {
                return pending().isEmpty();
            }
        }
        System.getLogger(RequestEngine.class.getName()).log(System.Logger.Level.WARNING,
                "stopped after " + MAX_PASSES + " passes with partitions still to deploy: " + pending()
                        + "; a provisioner may keep requesting new instances");
        return false;
    }

    /**
     * Deploys one partition (for a slave: its master) if it needs it.
     *
     * @return whether it is ready (or gone, once destroyed) afterwards
     * @throws OperationCanceledException when {@code monitor} is cancelled; the partition stays not ready
     */
    public boolean process(String id, IProgressMonitor monitor) {
        try {
            Optional<Partition> found = store.partition(id);
            if (found.isEmpty()) {
                return true;
            }
            Partition p = found.get();
            if (!needsDeploy(p, store.partitions())) {
                return true;
            }
            if (!p.shared()) {
                return deploy(p, monitor);
            }
            Optional<Partition> master = attachedMaster(p);
            if (master.isEmpty()) {
                return store.partition(id).isEmpty(); // a destroyed slave with no master is simply gone
            }
            deploy(master.get(), monitor);
            return store.partition(id).map(Partition::isReady).orElse(true);
        } finally {
            events.deliver(locks::heldByCurrentThread);
        }
    }

    /** Jobs deploying the same partition exclude each other; jobs for different partitions run side by side. */
    public ISchedulingRule schedulingRule(String id) {
        return new PartitionRule(id);
    }

    private record PartitionRule(String id) implements ISchedulingRule {
        @Override
        public boolean contains(ISchedulingRule rule) {
            return equals(rule);
        }

        @Override
        public boolean isConflicting(ISchedulingRule rule) {
            return equals(rule);
        }
    }

    /**
     * What a backend saw of partition {@code id} outside any deployment. It becomes the partition's
     * status; a phase other than the requested one makes it not ready. Ignored while the partition
     * is being deployed (the deployment reports what it achieved) and for slaves (their master reports).
     */
    public void observed(String id, Observation observation) {
        try {
            locks.partition(id, () -> {
                if (deploying.contains(id)) {
                    deferred.put(id, observation);
                    return;
                }
                update(id, current -> {
                    if (current.shared() || current.requestedState() == RequestedState.DESTROYED
                            || current.appliedRevision() == 0) {
                        return current; // nothing deployed yet, or going away: there is nothing to drift from
                    }
                    Status.Phase wanted = Status.phaseOf(current.requestedState());
                    if (observation.phase() == wanted && current.isReady()) {
                        return current; // as its last deployment left it, with any note it gave
                    }
                    if (observation.phase() != wanted && retries.failures(id) > 0 && !current.isReady()) {
                        return current; // waiting out a failure: its reason says more than what is seen now
                    }
                    String message = observation.phase() == wanted && current.appliedRevision() < current.revision()
                            ? current.status().message() : redact(current, observation.message());
                    Status.Phase phase = observation.phase() == wanted && current.appliedRevision() < current.revision()
                            ? current.status().phase() : observation.phase();
                    if (phase == current.status().phase() && message.equals(current.status().message())) {
                        return current;
                    }
                    if (observation.phase() == wanted) {
                        retries.succeeded(id); // it is as wanted again: nothing is failing any more
                    }
                    return current.withStatus(new Status(phase, message, clock.instant()));
                });
            });
        } finally {
            events.deliver(locks::heldByCurrentThread);
        }
    }

    /**
     * As {@link #observed}, for a look that costs calls to a host (an event of the host, the controller's
     * tick): taken only when no deployment of {@code id} is under way. A deployment reports what it
     * achieved, fresher than a look; and a look at a domain that is starting waits for it, while it
     * holds what libvirt needs to define the domains of the deployments beside it (measured: ten
     * requests at once, defines of 300-760 ms behind such looks). One asked for meanwhile is taken
     * once the deployment ends.
     */
    public void observeWhenIdle(String id, Supplier<Optional<Observation>> look) {
        boolean deferredNow = locks.partition(id, () -> {
            if (deploying.contains(id)) {
                deferredLooks.put(id, look);
                return true;
            }
            return false;
        });
        if (!deferredNow) {
            look.get().ifPresent(observation -> observed(id, observation));
        }
    }

    /** Asks {@code id}'s provisioner what its host has for it now, and records the answer. */
    public void observe(String id) {
        // not while it is deployed (see observeWhenIdle); the partition is read when the look is taken
        observeWhenIdle(id, () -> {
            Optional<Partition> found = store.partition(id);
            if (found.isEmpty() || found.get().shared() || found.get().appliedRevision() == 0) {
                return Optional.empty();
            }
            Partition p = found.get();
            return provisioners.find(p.releaseUri(), p.softwareType())
                    .flatMap(provisioner -> provisioner.observe(new Context(p, effectiveParameters(p), List.of())));
        });
    }

    private boolean needsDeploy(Partition p, List<Partition> all) {
        return needsDeployItself(p) || !p.shared() && mastersWithASlaveBehind(all).contains(p.id());
    }

    private boolean needsDeployItself(Partition p) {
        return !p.isReady() || orphaned(p);
    }

    /**
     * Masters with a slave that is not ready: they deploy again, as the slave's change may have been
     * saved, and the master's new revision lost, by a crash between the two writes. One pass over all.
     */
    private static Set<String> mastersWithASlaveBehind(List<Partition> all) {
        Set<String> masters = new HashSet<>();
        for (Partition s : all) {
            if (s.shared() && s.masterId() != null && !s.isReady()) {
                masters.add(s.masterId());
            }
        }
        return masters;
    }

    private boolean deploy(Partition claimed, IProgressMonitor monitor) {
        if (!deploying.add(claimed.id())) {
            return false; // another job deploys it
        }
        boolean deployed = false;
        try {
            // read again now that it is ours: another job may have deployed or destroyed it meanwhile
            Optional<Partition> latest = store.partition(claimed.id());
            if (latest.isEmpty() || !needsDeploy(latest.get(), store.partitions())) {
                return true;
            }
            deployed = true;
            Partition p = latest.get();
            Optional<Provisioner> provisioner = provisioners.find(p.releaseUri(), p.softwareType());
            if (provisioner.isEmpty()) {
                update(p.id(), current -> current.withStatus(notReady(noProvisioner(current))));
                return false;
            }
            LoadedRelease release = null;
            Parameters effective;
            try {
                release = catalog.release(p.releaseUri());
                effective = release.inputFor(p.softwareType(), false).withDefaults(inputSecrets.deployable(p));
            } catch (InvalidRequestException | UncheckedIOException e) { // no schema, or its secrets unreadable
                if (p.requestedState() != RequestedState.DESTROYED) {
                    failed(p, Status.Phase.NOT_READY, e.getMessage());
                    return false;
                }
                // destroying needs neither schema nor secrets: a broken release must not keep a VM alive
                effective = p.parameters();
            }
            List<Partition> slaves = store.partitions().stream()
                    .filter(s -> s.shared() && p.id().equals(s.masterId())).toList();
            List<Slave> slaveEntries = slaves.stream().map(s -> new Slave(s.id(), s.reference(), effectiveParameters(s),
                    s.requestedState())).toList();
            try {
                Partition target = p;
                UnaryOperator<Partition> deploying = current -> current.status().phase() == Status.Phase.NOT_READY
                        ? current.withStatus(notReady("deploying revision " + p.revision())) : current;
                boolean placedNow = false;
                if (p.hostId() == null && p.requestedState() != RequestedState.DESTROYED) {
                    Optional<String> host;
                    synchronized (placementLock) {
                        host = provisioner.get().place(new Context(p, effective, slaveEntries));
                        host.ifPresent(h -> placing.put(p.id(), h));
                    }
                    if (host.isPresent()) {
                        try {
                            target = placed(p, host.get(), deploying);
                            placedNow = true;
                        } finally {
                            placing.remove(p.id()); // written, and read from the partition now; or not written
                        }
                    }
                }
                if (!placedNow) {
                    update(p.id(), deploying);
                }
                Deployment deployment = provisioner.get().deploy(new Context(target, effective, slaveEntries), monitor);
                if (release != null) {
                    checkPublished(release, target, deployment);
                }
                return applied(target, slaves, deployment);
            } catch (ProvisioningException e) {
                failed(p, Status.Phase.FAILED, e.getMessage());
                return false;
            } catch (OperationCanceledException e) {
                update(p.id(), current -> current.withStatus(notReady("deployment cancelled; it resumes on the next run")));
                throw e;
            } catch (UncheckedIOException e) {
                failed(p, Status.Phase.FAILED, "cannot write to the workspace: " + e.getMessage());
                return false;
            } catch (RuntimeException e) {
                System.getLogger(RequestEngine.class.getName()).log(System.Logger.Level.ERROR,
                        "provisioner of " + p.softwareType() + " failed on " + p.id(), e);
                failed(p, Status.Phase.FAILED, "internal error: " + e);
                return false;
            }
        } finally {
            // against observed() and observeWhenIdle(), which defer while the id is here
            Deferred left = locks.partition(claimed.id(), () -> {
                deploying.remove(claimed.id());
                return new Deferred(deferred.remove(claimed.id()), deferredLooks.remove(claimed.id()));
            });
            // events are delivered after the look below, not before it: a caller waiting for this deployment
            // (`request --wait`) reads the partition when it hears of it, and a guest that went down while
            // it started must not be reported ready first (a look that agrees costs a millisecond or two)
            Observation seen = left.seen();
            Supplier<Optional<Observation>> look = left.look();
            if (seen != null && !deployed) {
                // nothing was deployed while it came: what it says still holds (a deployment's result is fresher)
                observed(claimed.id(), seen);
            }
            if (look != null) {
                // taken now, it is fresher than the deployment's result: a guest that went down meanwhile is seen
                try {
                    observeWhenIdle(claimed.id(), look);
                } catch (RuntimeException e) {
                    System.getLogger(RequestEngine.class.getName()).log(System.Logger.Level.WARNING,
                            "a look at " + claimed.id() + " after its deployment failed", e);
                }
            }
        }
    }

    /** What was seen of a partition, and a look asked for, while it was being deployed (either may be null). */
    private record Deferred(Observation seen, Supplier<Optional<Observation>> look) {
    }

    /**
     * {@code p} placed on {@code hostId}, stored before anything is created there, so a crash cannot move
     * it; with the status of its deployment, in the same write.
     */
    private Partition placed(Partition p, String hostId, UnaryOperator<Partition> deploying) {
        return locks.partition(p.id(), () -> {
            Partition current = store.partition(p.id()).orElse(p);
            store(deploying.apply(current.withHost(hostId)), InstanceEvent.Kind.CHANGED);
            return p.withHost(hostId);
        });
    }

    /** A deployment of {@code p} failed or fell short: say why, and wait before trying it again. */
    private void failed(Partition p, Status.Phase phase, String why) {
        Instant retry = retries.failed(p.id(), p.revision(), clock.instant());
        long seconds = Math.max(1, Duration.between(clock.instant(), retry).toSeconds());
        String message = redact(p, why) + " (attempt " + retries.failures(p.id()) + "; next try in " + seconds + " s)";
        update(p.id(), current -> current.withStatus(new Status(phase, message, clock.instant())));
    }

    /**
     * Records what a deployment of {@code deployed} and {@code slaves} (as they were when it started)
     * achieved. Revisions requested meanwhile stay to be deployed. The slaves are written before
     * their master: a crash between the writes leaves the master not ready, to be deployed again.
     */
    private boolean applied(Partition deployed, List<Partition> slaves, Deployment d) {
        Status.Phase wanted = Status.phaseOf(deployed.requestedState());
        if (d.phase() != wanted) {
            String why = d.message().isEmpty() ? "the provisioner reached " + d.phase() + ", not " + wanted : d.message();
            // a master behind may still have let go of slaves (a frontend with no server running here routes none)
            slaves.stream().filter(slave -> slave.requestedState() == RequestedState.DESTROYED && Optional.ofNullable(
                    d.slaves().get(slave.id())).map(o -> o.phase() == Status.Phase.DESTROYED).orElse(false))
                    .forEach(slave -> delete(slave.id()));
            publish(deployed, d.connectionParameters(), deployed.appliedRevision(), notReady(redact(deployed, why)));
            failed(deployed, Status.Phase.NOT_READY, why);
            return false;
        }
        if (deployed.requestedState() == RequestedState.DESTROYED) {
            removeDestroyed(deployed);
            retries.succeeded(deployed.id());
            return true;
        }
        for (Partition slave : slaves) {
            SlaveDeployment outcome = d.slaves().get(slave.id());
            if (slave.requestedState() == RequestedState.DESTROYED) {
                delete(slave.id());
            } else if (outcome == null) {
                update(slave.id(), current -> current.withStatus(notReady("its master '" + deployed.reference()
                        + "' published nothing for it")));
            } else if (outcome.phase() != Status.phaseOf(slave.requestedState())) {
                publish(slave, outcome.connectionParameters(), slave.appliedRevision(), notReady(redact(slave,
                        outcome.message().isEmpty() ? "its master could not deploy it" : outcome.message())));
            } else {
                publish(slave, outcome.connectionParameters(), slave.revision(),
                        current -> reached(Status.phaseOf(slave.requestedState()), slave, current));
            }
        }
        String note = d.message().isEmpty() ? "" : redact(deployed, d.message());
        publish(deployed, d.connectionParameters(), deployed.revision(), current -> {
            Status status = reached(d.phase(), deployed, current);
            // reached, with a note of what is missing around it ("no frontend publishes its console yet")
            return status.message().isEmpty() && !note.isEmpty() ? new Status(status.phase(), note, status.since()) : status;
        });
        boolean slaveBehind = slaves.stream().anyMatch(slave -> slave.requestedState() != RequestedState.DESTROYED
                && !Optional.ofNullable(d.slaves().get(slave.id())).map(o -> o.phase() == Status.phaseOf(slave.requestedState()))
                        .orElse(false));
        if (slaveBehind) {
            // the master is fine, a slave is not: try again later rather than at once, and forever
            retries.failed(deployed.id(), deployed.revision(), clock.instant());
        } else {
            retries.succeeded(deployed.id());
        }
        return store.partition(deployed.id()).map(Partition::isReady).orElse(true);
    }

    /**
     * Stores what {@code p} published at {@code revision}: secret values (as its output schema says)
     * into its private state, the others into the partition.
     */
    private void publish(Partition p, Parameters published, long revision, Status status) {
        publish(p, published, revision, current -> status);
    }

    /** As above, with the status made of the partition as it is when it is written. */
    private void publish(Partition p, Parameters published, long revision, Function<Partition, Status> status) {
        Set<String> secretNames = outputSchema(p).map(Secrets::names).orElse(Set.of());
        Parameters open = Secrets.without(published, secretNames);
        Optional<Partition> before = locks.partition(p.id(), () -> {
            Optional<Partition> stored = store.partition(p.id());
            if (stored.isPresent()) { // else forgotten meanwhile: nothing may be written for it again
                secrets.keep(p, Secrets.only(published, secretNames));
                update(p.id(), current -> current.deployed(revision, status.apply(current), open));
            }
            return stored;
        });
        if (before.isPresent() && !open.equals(before.get().connectionParameters())) {
            touchRequester(before.get());
        }
    }

    /**
     * What {@code child} publishes changed: the instance that requested it deploys again to read it
     * (a KVM publishes its frontend entry's URL as its own), as a SlapOS instance re-reads what it
     * requested.
     */
    private void touchRequester(Partition child) {
        if (child.parentId() == null) {
            return;
        }
        deployAgain(child.parentId(), "reading what '" + child.reference() + "' published");
    }

    /**
     * Makes {@code id} (unless it is being destroyed) a new revision of the same request, to be
     * deployed again for {@code why}: a deployment in flight may have read too early.
     */
    private void deployAgain(String id, String why) {
        locks.partition(id, () -> store.partition(id).filter(p -> p.requestedState() != RequestedState.DESTROYED)
                .ifPresent(p -> store(p.withRequest(p.request(), notReady(why)), InstanceEvent.Kind.CHANGED)));
    }

    /** The status once {@code deployed} reached {@code phase}; says so when a newer revision is waiting. */
    private Status reached(Status.Phase phase, Partition deployed, Partition current) {
        String message = current.revision() > deployed.revision()
                ? "revision " + deployed.revision() + " deployed; waiting to deploy revision " + current.revision() : "";
        return new Status(phase, message, clock.instant());
    }

    /**
     * A destroyed partition goes away, last: first the instances it requested are marked destroyed
     * and its slaves look for a new master, so that a failure half way leaves it there to be
     * destroyed again, and nothing orphaned.
     */
    private void removeDestroyed(Partition destroyed) {
        for (Partition listed : store.partitions()) {
            if (!destroyed.id().equals(listed.parentId()) && !destroyed.id().equals(listed.masterId())) {
                continue;
            }
            // each decided on the partition as it is under its lock, and its master told after
            Optional<Partition> touched = locks.partition(listed.id(), () -> store.partition(listed.id()).flatMap(p -> {
                if (destroyed.id().equals(p.parentId()) && p.requestedState() != RequestedState.DESTROYED
                        && p.shared() && p.masterId() == null) {
                    delete(p.id()); // a slave no master hosts: nothing was deployed for it, nothing to undo
                    return Optional.empty();
                } else if (destroyed.id().equals(p.parentId()) && p.requestedState() != RequestedState.DESTROYED) {
                    return Optional.of(store(p.withRequest(p.request().withState(RequestedState.DESTROYED),
                            notReady("destroyed with '" + destroyed.reference() + "', which requested it")), InstanceEvent.Kind.CHANGED));
                } else if (p.shared() && destroyed.id().equals(p.masterId())) {
                    if (p.requestedState() == RequestedState.DESTROYED) {
                        delete(p.id()); // its master is gone with it: no other master need hear of it
                        return Optional.empty();
                    }
                    return Optional.of(store(MasterSelection.attach(p.withMaster(null).withRequest(p.request(),
                            notReady("its master was destroyed")), store.partitions(), this::notReady), InstanceEvent.Kind.CHANGED));
                }
                return Optional.empty();
            }));
            touched.ifPresent(p -> touchMaster(p, "slave '" + p.reference() + "' "
                    + (p.requestedState() == RequestedState.DESTROYED ? "destroyed" : "lost its master")));
        }
        delete(destroyed.id());
    }

    private Optional<ParameterSchema> outputSchema(Partition p) {
        try {
            LoadedRelease release = catalog.release(p.releaseUri());
            return release.release().typeFor(p.softwareType(), p.shared()).flatMap(t -> release.output(t.id()));
        } catch (InvalidRequestException unknown) {
            return Optional.empty();
        }
    }

    private void checkPublished(LoadedRelease release, Partition p, Deployment d) throws ProvisioningException {
        List<ParameterProblem> problems = new ArrayList<>();
        release.release().typeFor(p.softwareType(), false).flatMap(t -> release.output(t.id()))
                .ifPresent(schema -> problems.addAll(schema.validate(d.connectionParameters())));
        release.release().typeFor(p.softwareType(), true).flatMap(t -> release.output(t.id()))
                .ifPresent(schema -> d.slaves().forEach((id, outcome) -> schema.validate(outcome.connectionParameters())
                        .forEach(problem -> problems.add(new ParameterProblem("/" + id + problem.pointer(), problem.message())))));
        if (!problems.isEmpty()) {
            throw new ProvisioningException("the provisioner published invalid connection parameters: " + problems);
        }
    }

    /** {@code message} without the values of {@code p}'s secret parameters, published or requested. */
    private String redact(Partition p, String message) {
        List<String> masked = new ArrayList<>(secrets.values(p));
        masked.addAll(inputSecrets.values(p));
        // and any still in clear (a file written before secrets were kept apart)
        masked.addAll(Secrets.values(Secrets.only(p.parameters(), secretNames(p.request()))));
        return Secrets.redact(message, masked);
    }

    private Parameters checkedParameters(InstanceRequest request) {
        return catalog.checkedParameters(request.releaseUri(), request.softwareType(), request.shared(), request.parameters());
    }

    private static void checkSameKind(Partition p, InstanceRequest request) {
        if (!p.releaseUri().equals(request.releaseUri()) || !p.softwareType().equals(request.softwareType())
                || p.shared() != request.shared()) {
            throw new ConflictException("'" + p.reference() + "' is " + describe(p.releaseUri(), p.softwareType(), p.shared())
                    + "; a request for " + describe(request.releaseUri(), request.softwareType(), request.shared())
                    + " cannot change that: destroy it first or use another reference");
        }
    }

    private static String describe(String release, String type, boolean shared) {
        return (shared ? "a shared " : "a ") + "'" + type + "' instance of release " + release;
    }

    private Partition create(InstanceRequest request, Partition requester) {
        String id = nextInstanceGuid();
        Partition p = new Partition(id, request.reference(), request.releaseUri(), request.softwareType(),
                request.shared(), request.parameters(), request.state(), request.filter(),
                notReady("waiting to be deployed"), Parameters.EMPTY,
                request.filter().get(Filter.COMPUTER_GUID).orElse(null), null,
                requester == null ? null : requester.id(), requester == null ? id : requester.instanceTree(), 1, 0);
        if (p.shared()) {
            p = MasterSelection.attach(p, store.partitions(), this::notReady);
        } else if (provisioners.find(p.releaseUri(), p.softwareType()).isEmpty()) {
            p = p.withStatus(notReady(noProvisioner(p)));
        }
        Partition made = p;
        Partition added = locks.partition(id, () -> {
            if (store.partition(id).isPresent()) {
                // adopted under this guid since it was handed out (an orphan's old guid): never written over
                return null;
            }
            return store(made, InstanceEvent.Kind.ADDED);
        });
        if (added == null) {
            return create(request, requester);
        }
        touchMaster(added, "slave '" + added.reference() + "' added");
        return added;
    }

    /** A slave whose master is not in the workspace any more (its file was set aside as unreadable). */
    private boolean orphaned(Partition p) {
        return p.shared() && p.masterId() != null && store.partition(p.masterId()).isEmpty();
    }

    /**
     * The master of a shared partition, attaching one if a candidate appeared since; a destroyed
     * slave that never had a master is simply removed.
     */
    private Optional<Partition> attachedMaster(Partition shared) {
        boolean[] attachedNow = {false};
        Optional<Partition> slave = locks.partition(shared.id(), () -> {
            Optional<Partition> stored = store.partition(shared.id());
            if (stored.isEmpty()) {
                return Optional.<Partition>empty();
            }
            Partition current = stored.get();
            if (orphaned(current)) {
                current = current.withMaster(null).withRequest(current.request(), notReady("its master is gone"));
            }
            if (current.masterId() == null && current.requestedState() == RequestedState.DESTROYED) {
                delete(current.id()); // no master ever deployed it, or its master is gone: nothing to undo
                return Optional.<Partition>empty();
            }
            if (current.masterId() == null) {
                Partition attached = MasterSelection.attach(current, store.partitions(), this::notReady);
                if (!sameIgnoringTime(attached, stored.get())) {
                    store(attached, InstanceEvent.Kind.CHANGED);
                }
                if (attached.masterId() == null) {
                    return Optional.<Partition>empty();
                }
                attachedNow[0] = true;
                current = attached;
            }
            return Optional.of(current);
        });
        if (attachedNow[0]) {
            touchMaster(slave.get(), "slave '" + slave.get().reference() + "' attached");
        }
        return slave.flatMap(s -> store.partition(s.masterId()));
    }

    /** A slave changed: its master must deploy again (a new revision of the same request). */
    private void touchMaster(Partition slave, String why) {
        if (!slave.shared() || slave.masterId() == null) {
            return;
        }
        deployAgain(slave.masterId(), "deploying a change of its slaves: " + why);
    }

    private String nextInstanceGuid() {
        try {
            return store.nextInstanceGuid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate an instance guid in " + store.directory(), e);
        }
    }

    private String noProvisioner(Partition p) {
        return "no provisioner for software type '" + p.softwareType() + "' of release " + p.releaseUri()
                + " is installed yet";
    }

    private Status notReady(String reason) {
        return Status.notReady(reason, clock.instant());
    }

    /** Changes a stored partition; a change that only moves the status's time is not one. */
    private void update(String id, UnaryOperator<Partition> change) {
        locks.partition(id, () -> store.partition(id).ifPresent(current -> {
            Partition changed = change.apply(current);
            if (!sameIgnoringTime(changed, current)) {
                store(changed, InstanceEvent.Kind.CHANGED);
            }
        }));
    }

    private static boolean sameIgnoringTime(Partition a, Partition b) {
        return untimed(a).equals(untimed(b));
    }

    private static Partition untimed(Partition p) {
        return p.withStatus(new Status(p.status().phase(), p.status().message(), Instant.EPOCH));
    }

    /**
     * Writes {@code p}, its secret parameters kept in its private state and masked in its file and
     * events; returns it as written. Its lock is held.
     */
    private Partition store(Partition p, InstanceEvent.Kind kind) {
        if (!locks.holds(p.id())) {
            throw new IllegalStateException(p.id() + " written without its lock");
        }
        Partition written = inputSecrets.kept(p, secretNames(p.request()));
        try {
            store.save(written);
        } catch (IOException e) {
            if (kind == InstanceEvent.Kind.ADDED) {
                forgetState(p); // its secrets must not outlive a partition that was never filed
            }
            throw new UncheckedIOException("cannot save " + p.reference() + " in " + store.directory(), e);
        }
        events.queue(new InstanceEvent(kind, written));
        return written;
    }

    private void forgetState(Partition p) {
        try {
            inputSecrets.forget(p); // only its secrets: an adopted partition's directory may hold what its orphan left
        } catch (IOException e) {
            System.getLogger(RequestEngine.class.getName()).log(System.Logger.Level.WARNING,
                    "the private state of " + p.id() + ", never filed, could not be removed: " + e.getMessage());
        }
    }

    /**
     * The names of the secret parameters of the type {@code request} is for; none when its schema cannot
     * be loaded (a request for it is then refused for that reason, a partition of it keeps what it has).
     */
    private Set<String> secretNames(InstanceRequest request) {
        try {
            return catalog.secretNames(request.releaseUri(), request.softwareType(), request.shared());
        } catch (InvalidRequestException unknown) {
            return Set.of();
        }
    }

    /** {@code parameters} of a request for {@code kind}'s type as a plan shows them: secrets masked, however deep. */
    @SuppressWarnings("unchecked")
    private Parameters shown(InstanceRequest kind, Parameters parameters) {
        ParameterSchema schema;
        try {
            schema = catalog.release(kind.releaseUri()).inputFor(kind.softwareType(), kind.shared());
        } catch (InvalidRequestException unknown) {
            schema = null; // masked by their names alone
        }
        return Parameters.of((Map<String, Object>) SecretValues.mask(schema, parameters.asMap(), Secrets.MASK));
    }

    private void delete(String id) {
        locks.partition(id, () -> {
            Optional<Partition> gone = store.partition(id);
            if (gone.isEmpty()) {
                return;
            }
            try {
                store.deletePartition(id);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot remove " + gone.get().reference() + " from " + store.directory(), e);
            }
            retries.succeeded(id);
            events.queue(new InstanceEvent(InstanceEvent.Kind.REMOVED, gone.get()));
        });
    }

    /** What one deployment gives its provisioner. */
    private final class Context implements ProvisioningContext {
        private final Partition partition;
        private final Parameters effective;
        private final List<Slave> slaves;

        Context(Partition partition, Parameters effective, List<Slave> slaves) {
            this.partition = partition;
            this.effective = effective;
            this.slaves = slaves;
        }

        @Override
        public Partition partition() {
            return partition;
        }

        @Override
        public Parameters effectiveParameters() {
            return effective;
        }

        @Override
        public List<Slave> slaves() {
            return slaves;
        }

        @Override
        public List<Partition> placed() {
            // the placements in flight first: one written since is in the partitions read after, with its host
            Map<String, String> inFlight = Map.copyOf(placing);
            return store.partitions().stream()
                    .map(p -> p.hostId() == null && inFlight.containsKey(p.id()) ? p.withHost(inFlight.get(p.id())) : p)
                    .filter(p -> p.hostId() != null && !p.id().equals(partition.id()))
                    .toList();
        }

        @Override
        public Optional<String> hostId() {
            return partition.host();
        }

        @Override
        public String workspaceId() {
            return store.id();
        }

        @Override
        public PartitionState state() {
            return store.state(partition.id());
        }

        @Override
        public int claimPort(String purpose, int preferred, IntPredicate free) throws IOException {
            return ports.claim(partition, purpose, preferred, free);
        }

        @Override
        public int claimLocalPort(String purpose, int preferred, IntPredicate free) throws IOException {
            return ports.claimLocal(partition, purpose, preferred, free);
        }

        @Override
        public OptionalInt claimedPort(String purpose) throws IOException {
            return ports.claimed(partition, purpose);
        }

        @Override
        public void releasePort(String purpose) throws IOException {
            ports.release(partition, purpose);
        }

        @Override
        public Partition request(InstanceRequest request) {
            return RequestEngine.this.request(request, partition);
        }
    }

}
