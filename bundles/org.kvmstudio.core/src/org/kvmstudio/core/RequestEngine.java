package org.kvmstudio.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceEvent;
import org.kvmstudio.model.InstanceListener;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Slave;
import org.kvmstudio.model.Status;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.workspace.Workspace;

/**
 * Turns SlapOS-style requests into partitions and has provisioners deploy them.
 *
 * <p>{@link #request} only records what is wanted, as SlapOS's master does: it is quick, validates
 * the parameters against the software type's schema, and is idempotent per reference (the same
 * request again changes nothing; a changed parameter set or state updates the same partition).
 * {@link #process} then deploys what is not ready, which is long work a Job runs. A partition is
 * "not ready" until its provisioner has deployed its latest request.
 *
 * <p>Root requests are found by reference; the instances a partition requests are found by
 * reference within its instance tree, which is named by the root's instance guid so that a root
 * requested again under an old reference never inherits what is left of the old tree.
 */
public final class RequestEngine {

    private static final int PASSES = 4;

    private final Workspace workspace;
    private final ReleaseCatalog catalog;
    private final ProvisionerRegistry provisioners;
    private final Clock clock;
    private final InstanceEvents events = new InstanceEvents();
    /** Partitions a provisioner is working on, so two jobs never deploy the same one at once. */
    private final Set<String> deploying = ConcurrentHashMap.newKeySet();

    public RequestEngine(Workspace workspace, ReleaseCatalog catalog, ProvisionerRegistry provisioners, Clock clock) {
        this.workspace = workspace;
        this.catalog = catalog;
        this.provisioners = provisioners;
        this.clock = clock;
    }

    /** Told of every change, on the thread that made it, once the engine has let go of its lock. */
    public void addListener(InstanceListener listener) {
        events.add(listener);
    }

    public void removeListener(InstanceListener listener) {
        events.remove(listener);
    }

    /** All partitions, shared ones included, by instance guid. */
    public List<Partition> partitions() {
        return workspace.partitions();
    }

    public Optional<Partition> partition(String id) {
        return workspace.partition(id);
    }

    /** The root instance a user requested under {@code reference}. */
    public Optional<Partition> instance(String reference) {
        return workspace.partitions().stream().filter(p -> p.isRoot() && p.reference().equals(reference)).findFirst();
    }

    /** The partitions of the instance tree whose root was requested as {@code rootReference}, root first. */
    public List<Partition> tree(String rootReference) {
        return instance(rootReference).map(root -> workspace.partitions().stream()
                .filter(p -> p.instanceTree().equals(root.instanceTree()))
                .sorted(Comparator.comparing((Partition p) -> !p.isRoot())).toList()).orElse(List.of());
    }

    /**
     * The connection parameters the root instance {@code reference} published.
     *
     * @throws ResourceNotReadyException while it is not deployed as last requested
     * @throws NoSuchElementException when there is no such instance
     */
    public Parameters connectionParameters(String reference) throws ResourceNotReadyException {
        Partition p = instance(reference).orElseThrow(() -> new NoSuchElementException("there is no instance '" + reference + "'"));
        if (!p.isReady()) {
            throw new ResourceNotReadyException(reference, p.status().message());
        }
        return p.connectionParameters();
    }

    /**
     * A user's request: SlapOS's {@code request(software_release, partition_reference, ...)}. The
     * instance is the root of its own instance tree.
     *
     * @throws org.kvmstudio.model.InvalidParametersException when the parameters do not fit the type's schema
     * @throws IllegalArgumentException for an unknown release or type, or a request that would change
     *         an instance's release, type, sharing or placement
     * @throws IllegalStateException when the instance is being destroyed
     * @throws NoSuchElementException when destroying an instance that does not exist
     */
    public Partition request(InstanceRequest request) throws IOException {
        try {
            return request(request, null);
        } catch (UncheckedIOException e) {
            throw new IOException(e.getMessage(), e.getCause());
        } finally {
            events.deliver(this);
        }
    }

    /** A request made by the instance {@code requester} (or the user, when {@code null}). */
    private synchronized Partition request(InstanceRequest request, Partition requester) {
        Optional<Partition> existing = requester == null ? instance(request.reference())
                : workspace.partitions().stream().filter(p -> !p.isRoot() && p.instanceTree().equals(requester.instanceTree())
                        && p.reference().equals(request.reference())).findFirst();
        if (existing.isEmpty()) {
            if (request.state() == RequestedState.DESTROYED) {
                throw new NoSuchElementException("there is no instance '" + request.reference() + "' to destroy");
            }
            return create(request.withParameters(checkedParameters(request)), requester);
        }
        Partition p = existing.get();
        checkSameKind(p, request);
        if (p.requestedState() == RequestedState.DESTROYED) {
            if (request.state() == RequestedState.DESTROYED) {
                return p;
            }
            throw new IllegalStateException("'" + p.reference() + "' is being destroyed; request it again once it is gone");
        }
        InstanceRequest wanted;
        if (request.state() == RequestedState.DESTROYED) {
            // Destroying needs no valid parameters and moves nothing: keep what the instance has.
            wanted = p.request().withState(RequestedState.DESTROYED);
        } else {
            wanted = request.withParameters(checkedParameters(request)).withFilter(placement(p, request.filter()));
        }
        if (wanted.equals(p.request())) {
            return p;
        }
        Partition updated = p.withRequest(wanted, notReady("waiting to deploy revision " + (p.revision() + 1)));
        if (updated.shared() && updated.masterId() == null) {
            updated = attach(updated);
        }
        store(updated, InstanceEvent.Kind.CHANGED);
        touchMaster(updated, "slave '" + updated.reference() + "' changed");
        return updated;
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
        throw new IllegalArgumentException("'" + p.reference() + "' is already placed" + (p.shared()
                ? " on master " + p.masterId() : "") + "; its filter cannot change: destroy it and request it again to move it");
    }

    /**
     * Deploys every partition that is not ready, masters before the slaves they host. Runs each
     * partition's provisioner once a pass; partitions that provisioners request on the way are
     * deployed in a following pass.
     */
    public void process(IProgressMonitor monitor) {
        SubMonitor passes = SubMonitor.convert(monitor, "Deploying instances", PASSES);
        for (int pass = 0; pass < PASSES; pass++) {
            List<Partition> masters = workspace.partitions().stream().filter(p -> !p.shared() && !p.isReady())
                    .sorted(Comparator.comparing((Partition p) -> !p.isRoot())).toList();
            List<Partition> slaves = workspace.partitions().stream()
                    .filter(p -> p.shared() && (!p.isReady() || orphaned(p))).toList();
            if (masters.isEmpty() && slaves.isEmpty()) {
                return;
            }
            SubMonitor sub = passes.split(1).setWorkRemaining(masters.size() + slaves.size());
            boolean progress = false;
            for (Partition p : masters) {
                progress |= process(p.id(), sub.split(1));
            }
            for (Partition s : slaves) {
                progress |= process(s.id(), sub.split(1));
            }
            if (!progress) {
                return;
            }
        }
    }

    /**
     * Deploys one partition (for a slave: its master) if it is not ready.
     *
     * @return whether it is ready (or gone, once destroyed) afterwards
     * @throws OperationCanceledException when {@code monitor} is cancelled; the partition stays not ready
     */
    public boolean process(String id, IProgressMonitor monitor) {
        try {
            Optional<Partition> found = workspace.partition(id);
            if (found.isEmpty()) {
                return true;
            }
            Partition p = found.get();
            if (p.isReady() && !orphaned(p)) {
                return true;
            }
            if (!p.shared()) {
                return deploy(p, monitor);
            }
            Optional<Partition> master = attachedMaster(p);
            if (master.isEmpty()) {
                return workspace.partition(id).isEmpty(); // a destroyed slave with no master is simply gone
            }
            deploy(master.get(), monitor);
            return workspace.partition(id).map(Partition::isReady).orElse(true);
        } finally {
            events.deliver(this);
        }
    }

    private boolean deploy(Partition claimed, IProgressMonitor monitor) {
        if (!deploying.add(claimed.id())) {
            return false; // another job deploys it
        }
        try {
            // read again now that it is ours: another job may have deployed or destroyed it meanwhile
            Optional<Partition> latest = workspace.partition(claimed.id());
            if (latest.isEmpty() || latest.get().isReady()) {
                return true;
            }
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
                effective = release.inputFor(p.softwareType(), false).withDefaults(p.parameters());
            } catch (IllegalArgumentException e) {
                if (p.requestedState() != RequestedState.DESTROYED) {
                    update(p.id(), current -> current.withStatus(notReady(e.getMessage())));
                    return false;
                }
                effective = p.parameters(); // destroying needs no schema: a broken release must not keep a VM alive
            }
            List<Partition> slaves = workspace.partitions().stream()
                    .filter(s -> s.shared() && p.id().equals(s.masterId())).toList();
            Context context = new Context(p, effective, slaves.stream().map(Slave::of).toList());
            Deployment deployment;
            try {
                deployment = provisioner.get().deploy(context, monitor);
                if (release != null) {
                    checkPublished(release, p, deployment);
                }
            } catch (ProvisioningException e) {
                update(p.id(), current -> current.withStatus(Status.failed(e.getMessage(), clock.instant())));
                return false;
            } catch (OperationCanceledException e) {
                update(p.id(), current -> current.withStatus(notReady("deployment cancelled; it resumes on the next run")));
                throw e;
            } catch (RuntimeException e) {
                update(p.id(), current -> current.withStatus(Status.failed("internal error: " + e, clock.instant())));
                return false;
            }
            return applied(p, slaves, deployment);
        } finally {
            deploying.remove(claimed.id());
        }
    }

    /**
     * Records what a deployment of {@code deployed} and {@code slaves} (as they were when it
     * started) achieved. Revisions requested meanwhile stay to be deployed.
     */
    private synchronized boolean applied(Partition deployed, List<Partition> slaves, Deployment d) {
        Status.Phase wanted = Status.phaseOf(deployed.requestedState());
        if (d.phase() != wanted) {
            String why = d.message().isEmpty() ? "the provisioner reached " + d.phase() + ", not " + wanted : d.message();
            update(deployed.id(), current -> current.withStatus(notReady(why)));
            return false;
        }
        if (deployed.requestedState() == RequestedState.DESTROYED) {
            removeDestroyed(deployed);
            return true;
        }
        update(deployed.id(), current -> current.deployed(deployed.revision(), reached(d.phase(), deployed, current),
                d.connectionParameters()));
        for (Partition slave : slaves) {
            Parameters published = d.slaveConnectionParameters().get(slave.id());
            if (slave.requestedState() == RequestedState.DESTROYED) {
                delete(slave.id());
            } else if (published == null) {
                update(slave.id(), current -> current.withStatus(notReady("its master '" + deployed.reference()
                        + "' published nothing for it")));
            } else {
                update(slave.id(), current -> current.deployed(slave.revision(),
                        reached(Status.phaseOf(slave.requestedState()), slave, current), published));
            }
        }
        return workspace.partition(deployed.id()).map(Partition::isReady).orElse(true);
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
        for (Partition p : workspace.partitions()) {
            if (destroyed.id().equals(p.parentId()) && p.requestedState() != RequestedState.DESTROYED) {
                Partition child = p.withRequest(p.request().withState(RequestedState.DESTROYED),
                        notReady("destroyed with '" + destroyed.reference() + "', which requested it"));
                store(child, InstanceEvent.Kind.CHANGED);
                touchMaster(child, "slave '" + child.reference() + "' destroyed");
            } else if (p.shared() && destroyed.id().equals(p.masterId())) {
                if (p.requestedState() == RequestedState.DESTROYED) {
                    delete(p.id()); // its master is gone with it: no other master need hear of it
                } else {
                    Partition orphan = attach(p.withMaster(null).withRequest(p.request(), notReady("its master was destroyed")));
                    store(orphan, InstanceEvent.Kind.CHANGED);
                    touchMaster(orphan, "slave '" + orphan.reference() + "' lost its master");
                }
            }
        }
        delete(destroyed.id());
    }

    private void checkPublished(LoadedRelease release, Partition p, Deployment d) throws ProvisioningException {
        List<ParameterProblem> problems = new ArrayList<>();
        release.release().typeFor(p.softwareType(), false).flatMap(t -> release.output(t.id()))
                .ifPresent(schema -> problems.addAll(schema.validate(d.connectionParameters())));
        release.release().typeFor(p.softwareType(), true).flatMap(t -> release.output(t.id()))
                .ifPresent(schema -> d.slaveConnectionParameters().forEach((id, published) -> schema.validate(published)
                        .forEach(problem -> problems.add(new ParameterProblem("/" + id + problem.pointer(), problem.message())))));
        if (!problems.isEmpty()) {
            throw new ProvisioningException("the provisioner published invalid connection parameters: " + problems);
        }
    }

    private Parameters checkedParameters(InstanceRequest request) {
        return catalog.checkedParameters(request.releaseUri(), request.softwareType(), request.shared(), request.parameters());
    }

    private static void checkSameKind(Partition p, InstanceRequest request) {
        if (!p.releaseUri().equals(request.releaseUri()) || !p.softwareType().equals(request.softwareType())
                || p.shared() != request.shared()) {
            throw new IllegalArgumentException("'" + p.reference() + "' is " + describe(p.releaseUri(), p.softwareType(), p.shared())
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
            p = attach(p);
        } else if (provisioners.find(p.releaseUri(), p.softwareType()).isEmpty()) {
            p = p.withStatus(notReady(noProvisioner(p)));
        }
        store(p, InstanceEvent.Kind.ADDED);
        touchMaster(p, "slave '" + p.reference() + "' added");
        return p;
    }

    /** A slave whose master is not in the workspace any more (its file was set aside as unreadable). */
    private boolean orphaned(Partition p) {
        return p.shared() && p.masterId() != null && workspace.partition(p.masterId()).isEmpty();
    }

    /**
     * The master of a shared partition, attaching one if a candidate appeared since; a destroyed
     * slave that never had a master is simply removed.
     */
    private synchronized Optional<Partition> attachedMaster(Partition shared) {
        Optional<Partition> stored = workspace.partition(shared.id());
        if (stored.isEmpty()) {
            return Optional.empty();
        }
        Partition current = stored.get();
        if (orphaned(current)) {
            current = current.withMaster(null).withRequest(current.request(), notReady("its master is gone"));
        }
        if (current.masterId() == null && current.requestedState() == RequestedState.DESTROYED) {
            delete(current.id()); // no master ever deployed it, or its master is gone: nothing to undo
            return Optional.empty();
        }
        if (current.masterId() == null) {
            Partition attached = attach(current);
            if (!sameIgnoringTime(attached, stored.get())) {
                store(attached, InstanceEvent.Kind.CHANGED);
            }
            if (attached.masterId() == null) {
                return Optional.empty();
            }
            touchMaster(attached, "slave '" + attached.reference() + "' attached");
            current = attached;
        }
        return workspace.partition(current.masterId());
    }

    /**
     * Chooses the master of a shared partition: a live instance of the same release and software
     * type, the one {@code instance_guid} names, or the only one there is.
     */
    private Partition attach(Partition shared) {
        List<Partition> candidates = workspace.partitions().stream()
                .filter(m -> !m.shared() && m.releaseUri().equals(shared.releaseUri())
                        && m.softwareType().equals(shared.softwareType()) && m.requestedState() != RequestedState.DESTROYED)
                .toList();
        Optional<String> wanted = shared.filter().get(Filter.INSTANCE_GUID);
        String type = "'" + shared.softwareType() + "'";
        if (wanted.isPresent()) {
            return candidates.stream().filter(m -> m.id().equals(wanted.get())).findFirst()
                    .map(m -> shared.withMaster(m.id()).withStatus(notReady("waiting for its master '" + m.reference() + "'")))
                    .orElseGet(() -> shared.withStatus(notReady("no " + type + " instance " + wanted.get() + " to host it")));
        }
        if (candidates.size() == 1) {
            Partition m = candidates.get(0);
            return shared.withMaster(m.id()).withStatus(notReady("waiting for its master '" + m.reference() + "'"));
        }
        if (candidates.isEmpty()) {
            return shared.withStatus(notReady("no " + type + " instance exists to host it yet; request one"));
        }
        return shared.withStatus(notReady(candidates.size() + " " + type + " instances could host it: set the filter "
                + Filter.INSTANCE_GUID + " to one of " + candidates.stream().map(Partition::id).toList()));
    }

    /** A slave changed: its master must deploy again (a new revision of the same request). */
    private synchronized void touchMaster(Partition slave, String why) {
        if (!slave.shared() || slave.masterId() == null) {
            return;
        }
        workspace.partition(slave.masterId()).filter(m -> m.requestedState() != RequestedState.DESTROYED)
                .ifPresent(m -> store(m.withRequest(m.request(), notReady("deploying a change of its slaves: " + why)),
                        InstanceEvent.Kind.CHANGED));
    }

    private String nextInstanceGuid() {
        try {
            return workspace.nextInstanceGuid();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot allocate an instance guid in " + workspace.directory(), e);
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
    private synchronized void update(String id, UnaryOperator<Partition> change) {
        workspace.partition(id).ifPresent(current -> {
            Partition changed = change.apply(current);
            if (!sameIgnoringTime(changed, current)) {
                store(changed, InstanceEvent.Kind.CHANGED);
            }
        });
    }

    private static boolean sameIgnoringTime(Partition a, Partition b) {
        return untimed(a).equals(untimed(b));
    }

    private static Partition untimed(Partition p) {
        return p.withStatus(new Status(p.status().phase(), p.status().message(), Instant.EPOCH));
    }

    private synchronized void store(Partition p, InstanceEvent.Kind kind) {
        try {
            workspace.save(p);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save " + p.reference() + " in " + workspace.directory(), e);
        }
        events.queue(new InstanceEvent(kind, p));
    }

    private synchronized void delete(String id) {
        Optional<Partition> gone = workspace.partition(id);
        if (gone.isEmpty()) {
            return;
        }
        try {
            workspace.deletePartition(id);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + gone.get().reference() + " from " + workspace.directory(), e);
        }
        events.queue(new InstanceEvent(InstanceEvent.Kind.REMOVED, gone.get()));
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
        public Partition request(InstanceRequest request) {
            return RequestEngine.this.request(request, partition);
        }
    }
}
