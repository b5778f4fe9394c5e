package org.kvmstudio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kvmstudio.core.Requests.frontend;
import static org.kvmstudio.core.Requests.kvm;
import static org.kvmstudio.core.Requests.slave;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Observation;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.core.provisioning.SlaveDeployment;
import org.kvmstudio.model.ConflictException;
import org.kvmstudio.model.InstanceEvent;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.kvmstudio.model.UnknownInstanceException;
import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.workspace.Workspace;

/** What the engine gives a real backend: placement, state, ports, observations, retries, slaves' outcomes. */
class EngineForBackendsTest {

    @TempDir
    Path dir;
    EngineFixture fx;
    ScriptedProvisioner provisioner = new ScriptedProvisioner();

    @BeforeEach
    void setUp() throws Exception {
        fx = new EngineFixture(dir);
    }

    @AfterEach
    void tearDown() throws Exception {
        fx.close();
    }

    private void process() {
        fx.engine.process(new NullProgressMonitor());
    }

    private Partition vm(String reference) {
        return fx.engine.instance(reference).orElseThrow();
    }

    @Test
    void eventsArriveInOrderEvenWhenAListenerRequestsWhileHearingOne() throws Exception {
        List<String> heard = new ArrayList<>();
        fx.engine.addListener(e -> {
            if (e.kind() == InstanceEvent.Kind.ADDED && e.partition().reference().equals("first")) {
                try {
                    fx.engine.request(kvm("second", Map.of()));
                } catch (IOException ex) {
                    throw new java.io.UncheckedIOException(ex);
                }
            }
        });
        fx.engine.addListener(e -> heard.add(e.kind() + " " + e.partition().reference()));
        fx.engine.request(kvm("first", Map.of()));
        assertEquals(List.of("ADDED first", "ADDED second"), heard,
                "the second listener hears of 'first' before 'second', which the first listener requested on hearing it");
    }

    /**
     * A store that "crashes" at its {@code n}-th write: that write and every later one fail, as if the
     * process had died there. What was written before stays, as on disk.
     */
    private static final class CrashingStore extends WorkspaceStore {
        private final AtomicInteger writesLeft;

        CrashingStore(Workspace workspace, int crashAt) {
            super(workspace);
            this.writesLeft = new AtomicInteger(crashAt);
        }

        @Override
        public void save(Partition partition) throws IOException {
            if (writesLeft.decrementAndGet() < 0) {
                throw new IOException("crashed before writing " + partition.reference());
            }
            super.save(partition);
        }

        @Override
        public void deletePartition(String id) throws IOException {
            if (writesLeft.decrementAndGet() < 0) {
                throw new IOException("crashed before deleting " + id);
            }
            super.deletePartition(id);
        }
    }

    @Test
    void aCrashAtAnyWriteOfASlaveChangeIsRepairedByTheNextRun() throws Exception {
        fx.close();
        for (int crashAt = 0; crashAt < 8; crashAt++) {
            Path ws = dir.resolve("crash-" + crashAt);
            ReleaseCatalog catalog = new ReleaseCatalog();
            catalog.add(new KvmRelease());
            ProvisionerRegistry registry = new ProvisionerRegistry();
            registry.add(provisioner);
            try (Workspace w = Workspace.open(ws)) {
                RequestEngine engine = new RequestEngine(w, catalog, registry, fx.clock);
                engine.request(frontend("front"));
                engine.request(slave("console", 6080));
                engine.process(new NullProgressMonitor());
                assertTrue(engine.instance("console").orElseThrow().isReady());

                RequestEngine crashing = new RequestEngine(new CrashingStore(w, crashAt), catalog, registry, fx.clock);
                try {
                    crashing.request(slave("console", 6081));
                    crashing.process(new NullProgressMonitor());
                } catch (IOException | RuntimeException crashed) {
                    // the process died here; what reached the disk is all the next one has
                }
            }
            try (Workspace w = Workspace.open(ws)) {
                RequestEngine restarted = new RequestEngine(w, catalog, registry, fx.clock);
                fx.clock.advance(Duration.ofMinutes(10)); // past any back-off
                restarted.request(slave("console", 6081)); // the user, not told it worked, asks again
                restarted.process(new NullProgressMonitor());
                Partition console = restarted.instance("console").orElseThrow();
                assertTrue(console.isReady(), "crash at write " + crashAt + ": " + console.status().message());
                assertTrue(restarted.instance("front").orElseThrow().isReady(), "crash at write " + crashAt);
                ScriptedProvisioner.Call last = provisioner.calls.get(provisioner.calls.size() - 1);
                assertEquals(6081L, last.slaves().get(0).parameters().get("port").orElseThrow(), "crash at write " + crashAt);
            }
        }
    }

    @Test
    void aMasterIsDeployedAgainWhileASlaveIsBehindEvenIfTheMasterLooksReady() throws Exception {
        fx.install(provisioner);
        fx.engine.request(frontend("front"));
        fx.engine.request(slave("console", 6080));
        process();
        // as a crash between the slave's write and its master's would leave them: the slave at a new
        // revision, the master still ready
        Partition console = fx.engine.instance("console").orElseThrow();
        Partition behind = console.withRequest(console.request().withParameters(
                Parameters.of(Map.of("host", "10.0.0.2", "port", 6082))), Status.notReady("changed", fx.clock.instant()));
        fx.close();
        try (Workspace w = Workspace.open(dir)) {
            w.save(behind);
        }
        fx.restart();
        assertTrue(vm("front").isReady());
        process();
        assertTrue(vm("console").isReady(), vm("console").status().message());
        assertEquals(6082L, provisioner.calls.get(provisioner.calls.size() - 1).slaves().get(0).parameters().get("port").orElseThrow());
    }

    @Test
    void aFailedPartitionWaitsLongerAfterEachFailureAndANewRevisionIsTriedAtOnce() throws Exception {
        fx.install(provisioner);
        provisioner.failNext = new ProvisioningException("host down");
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertEquals(1, provisioner.calls.size());
        assertTrue(vm("vm").status().message().endsWith("(attempt 1; next try in 1 s)"), vm("vm").status().message());
        assertEquals(Optional.of(fx.clock.instant().plusSeconds(1)), fx.engine.nextRetry());
        process();
        assertEquals(1, provisioner.calls.size(), "not tried again before its time");
        assertTrue(fx.engine.pending().isEmpty());

        fx.clock.advance(Duration.ofSeconds(1));
        provisioner.failNext = new ProvisioningException("host down");
        process();
        assertEquals(2, provisioner.calls.size());
        assertTrue(vm("vm").status().message().endsWith("(attempt 2; next try in 2 s)"), vm("vm").status().message());

        fx.engine.request(kvm("vm", Map.of("ram-size", 2048)));
        process();
        assertEquals(3, provisioner.calls.size(), "a changed request is tried at once");
        assertTrue(vm("vm").isReady());
        assertEquals(Optional.empty(), fx.engine.nextRetry());
    }

    @Test
    void aTreeDeeperThanAFewPassesIsDeployedByOneRun() throws Exception {
        fx.install(provisioner);
        provisioner.extra = c -> {
            String ref = c.partition().reference();
            int depth = ref.length() - ref.replace("+", "").length();
            if (depth < 8 && c.partition().requestedState() != RequestedState.DESTROYED) {
                c.request(kvm(ref + "+", Map.of()));
            }
            return Parameters.EMPTY;
        };
        fx.engine.request(kvm("root", Map.of()));
        assertTrue(fx.engine.process(new NullProgressMonitor()), "nothing left to do");
        List<Partition> tree = fx.engine.tree("root");
        assertEquals(9, tree.size());
        assertTrue(tree.stream().allMatch(Partition::isReady));
    }

    @Test
    void whatABackendSeesBecomesTheStatusAndTheNextRunBringsItBack() throws Exception {
        fx.install(provisioner);
        fx.engine.request(kvm("vm", Map.of()));
        process();
        List<InstanceEvent> events = new ArrayList<>();
        fx.engine.addListener(events::add);
        fx.engine.observed(vm("vm").id(), new Observation(Status.Phase.STOPPED, "shut off: crashed"));
        Partition stopped = vm("vm");
        assertFalse(stopped.isReady());
        assertEquals(new Status(Status.Phase.STOPPED, "shut off: crashed", fx.clock.instant()), stopped.status());
        assertEquals(1, events.size(), "listeners hear of it");
        fx.engine.observed(vm("vm").id(), new Observation(Status.Phase.STOPPED, "shut off: crashed"));
        assertEquals(1, events.size(), "the same observation again is no change");
        assertEquals(List.of(stopped.id()), fx.engine.pending());
        process();
        assertEquals(2, provisioner.calls.size(), "deployed again");
        assertTrue(vm("vm").isReady());

        // a partition stopped on purpose and found stopped stays ready
        fx.engine.request(kvm("vm", Map.of()).withState(RequestedState.STOPPED));
        process();
        fx.engine.observed(vm("vm").id(), new Observation(Status.Phase.STOPPED, ""));
        assertTrue(vm("vm").isReady());
    }

    @Test
    void anObservationFromTheProvisionerIsRecordedWhenTheEngineAsks() throws Exception {
        Provisioner observing = new KvmDefaultProvisioner() {
            @Override
            public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) {
                return Deployment.reached(Status.Phase.STARTED, Parameters.EMPTY);
            }

            @Override
            public Optional<Observation> observe(ProvisioningContext context) {
                return Optional.of(new Observation(Status.Phase.STOPPED, "the domain is gone"));
            }
        };
        fx.install(observing);
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertTrue(vm("vm").isReady());
        fx.engine.observe(vm("vm").id());
        assertEquals("the domain is gone", vm("vm").status().message());
        assertFalse(vm("vm").isReady());
    }

    @Test
    void aLookAskedForDuringItsDeploymentIsTakenOnceItEndsAndOneAskedForOutsideAtOnce() throws Exception {
        java.util.concurrent.atomic.AtomicInteger looks = new java.util.concurrent.atomic.AtomicInteger();
        java.util.concurrent.atomic.AtomicBoolean deploying = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicBoolean lookedWhileDeploying = new java.util.concurrent.atomic.AtomicBoolean();
        java.util.concurrent.atomic.AtomicReference<Observation> seen = new java.util.concurrent.atomic.AtomicReference<>(
                new Observation(Status.Phase.STARTED, ""));
        java.util.function.Supplier<Optional<Observation>> look = () -> {
            looks.incrementAndGet();
            lookedWhileDeploying.compareAndSet(false, deploying.get());
            return Optional.of(seen.get());
        };
        fx.install(new KvmDefaultProvisioner() {
            @Override
            public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) {
                deploying.set(true);
                // as an event of the host while the domain starts
                fx.engine.observeWhenIdle(context.partition().id(), look);
                deploying.set(false);
                return Deployment.reached(Status.Phase.STARTED, Parameters.EMPTY);
            }
        });
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertFalse(lookedWhileDeploying.get(), "no look at the host while it deploys");
        assertEquals(1, looks.get(), "the look is taken once the deployment ended");
        assertTrue(vm("vm").isReady(), "it saw the guest as the deployment left it");
        seen.set(new Observation(Status.Phase.STOPPED, "the domain is gone"));
        fx.engine.observeWhenIdle(vm("vm").id(), look);
        assertEquals(2, looks.get(), "outside a deployment, at once");
        assertEquals("the domain is gone", vm("vm").status().message());
        assertFalse(vm("vm").isReady());
    }

    @Test
    void aWaitingCallerHearsOfADeploymentOnlyOnceTheLookDeferredBehindItIsTaken() throws Exception {
        // `request --wait` reads the partition when it hears of it: a guest that went down while it was
        // started must not be read as ready first
        java.util.concurrent.atomic.AtomicReference<Boolean> readyWhenFirstHeard = new java.util.concurrent.atomic.AtomicReference<>();
        fx.engine.addListener(e -> {
            if (e.partition().reference().equals("vm") && e.partition().appliedRevision() > 0) {
                readyWhenFirstHeard.compareAndSet(null, vm("vm").isReady());
            }
        });
        fx.install(new KvmDefaultProvisioner() {
            @Override
            public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) {
                // as the host's event of a guest that stopped while it was being started
                fx.engine.observeWhenIdle(context.partition().id(),
                        () -> Optional.of(new Observation(Status.Phase.STOPPED, "the guest stopped")));
                return Deployment.reached(Status.Phase.STARTED, Parameters.EMPTY);
            }
        });
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertEquals(Boolean.FALSE, readyWhenFirstHeard.get(), "what the look saw was stored before the deployment was heard of");
        assertEquals("the guest stopped", vm("vm").status().message());
    }

    /** Places on "host-a", then "host-b": a second answer must never be used. */
    private static class PlacingProvisioner implements Provisioner {
        final List<String> hostsSeen = new ArrayList<>();
        final List<String> answers = new ArrayList<>(List.of("host-a", "host-b"));
        final Map<String, Integer> ports = new java.util.LinkedHashMap<>();
        ProvisioningException noRoom;

        @Override
        public String releaseUri() {
            return "kvm";
        }

        @Override
        public Set<String> softwareTypes() {
            return Set.of("default");
        }

        @Override
        public Optional<String> place(ProvisioningContext context) throws ProvisioningException {
            if (noRoom != null) {
                throw noRoom;
            }
            return Optional.of(answers.remove(0));
        }

        @Override
        public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) throws ProvisioningException {
            hostsSeen.add(context.hostId().orElse("none"));
            try {
                ports.put(context.partition().reference(), context.claimPort("vnc", 5900, port -> port != 5901));
            } catch (IOException e) {
                throw new ProvisioningException(e.getMessage(), e);
            }
            return Deployment.reached(Status.phaseOf(context.partition().requestedState()), Parameters.EMPTY);
        }
    }

    @Test
    void aPartitionIsPlacedOnceAndTheHostIsStoredBeforeItIsDeployed() throws Exception {
        PlacingProvisioner placing = new PlacingProvisioner();
        fx.install(placing);
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertEquals(List.of("host-a"), placing.hostsSeen);
        assertEquals("host-a", vm("vm").hostId());
        fx.engine.request(kvm("vm", Map.of("ram-size", 2048)));
        process();
        assertEquals(List.of("host-a", "host-a"), placing.hostsSeen, "placement is fixed once made");
    }

    @Test
    void noRoomAnywhereIsSaidInPlainWordsAndNothingIsDeployed() throws Exception {
        PlacingProvisioner placing = new PlacingProvisioner();
        placing.noRoom = new ProvisioningException("no host has room for 4096 MiB and 2 vCPUs: local has 1024 MiB free");
        fx.install(placing);
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertEquals(List.of(), placing.hostsSeen);
        assertTrue(vm("vm").status().message().startsWith("no host has room for 4096 MiB"), vm("vm").status().message());
        assertEquals(null, vm("vm").hostId());
    }

    @Test
    void portsAreTheSameOnEveryRunAndNeverSharedOnAHost() throws Exception {
        PlacingProvisioner placing = new PlacingProvisioner();
        placing.answers.clear();
        placing.answers.addAll(List.of("host-a", "host-a", "host-b"));
        fx.install(placing);
        fx.engine.request(kvm("one", Map.of()));
        fx.engine.request(kvm("two", Map.of()));
        fx.engine.request(kvm("three", Map.of()));
        process();
        assertEquals(Map.of("one", 5900, "two", 5902, "three", 5900), placing.ports,
                "5901 is refused by the bind test; another host has ports of its own");
        fx.restart();
        fx.engine.request(kvm("two", Map.of("ram-size", 2048)));
        fx.engine.process(new NullProgressMonitor());
        assertEquals(5902, placing.ports.get("two"), "the port recorded in the partition's state");
        Path state = dir.resolve("state").resolve(vm("two").id());
        assertEquals("rwx------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(
                Files.getPosixFilePermissions(state.resolve("state.json"))));
    }

    @Test
    void slavesAreGivenTheirTypesDefaultsAndEachGetsItsOwnOutcome() throws Exception {
        fx.install(provisioner);
        provisioner.slaveOutcome = (s, published) -> s.reference().equals("bad")
                ? new SlaveDeployment(Status.Phase.NOT_READY, "backend 10.0.0.2:1 refuses connections", published)
                : SlaveDeployment.reached(Status.phaseOf(s.state()), published);
        fx.engine.request(frontend("front"));
        fx.engine.request(slave("good", 6080));
        fx.engine.request(slave("bad", 1));
        process();
        ScriptedProvisioner.Call last = provisioner.calls.get(provisioner.calls.size() - 1);
        Parameters given = last.slaves().get(0).parameters();
        assertEquals(Map.of("host", "10.0.0.2", "port", 6080L, "https", true, "path", "/", "websocket", true), given.asMap());
        assertTrue(vm("good").isReady());
        Partition bad = vm("bad");
        assertFalse(bad.isReady());
        assertEquals("backend 10.0.0.2:1 refuses connections", bad.status().message());
        assertEquals("https://mydomain.com:4443/bad", bad.connectionParameters().get("url").orElseThrow(),
                "what was published is kept even though it is not ready");
        int calls = provisioner.calls.size();
        process();
        assertEquals(calls, provisioner.calls.size(), "a master whose slave fails waits before it tries again");
        assertEquals(List.of(), fx.engine.pending());
        fx.clock.advance(Duration.ofSeconds(1));
        assertEquals(List.of(vm("front").id()), fx.engine.pending(), "then tries again");
    }

    @Test
    void aRequesterReadsAgainWhatItsInstancePublishesLaterAndSaysWhatIsMissingMeanwhile() throws Exception {
        fx.install(provisioner);
        // as a KVM does: it requests its frontend entry and publishes the entry's URL as its own
        provisioner.extra = c -> {
            if (!c.partition().softwareType().equals("default")) {
                return Parameters.EMPTY;
            }
            Partition entry = c.request(slave(c.partition().reference(), 5701));
            return entry.connectionParameters().get("url").map(u -> Parameters.of(Map.of("url", u))).orElse(Parameters.EMPTY);
        };
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertTrue(vm("vm").isReady(), "a VM without a frontend runs");
        assertTrue(vm("vm").connectionParameters().get("url").isEmpty());
        fx.engine.request(frontend("front"));
        process();
        assertEquals("https://mydomain.com:4443/vm", vm("vm").connectionParameters().get("url").orElse(null),
                "the entry's URL, published once a master hosts it, is read again by the VM that requested it");
        assertTrue(vm("vm").isReady());
        int calls = provisioner.calls.size();
        process();
        assertEquals(calls, provisioner.calls.size(), "and then nothing moves: no deployment feeds another");

        fx.engine.destroy(vm("front").id());
        process();
        assertEquals(List.of("vm", "vm"), fx.engine.partitions().stream().map(Partition::reference).toList(),
                "the master gone, the VM's entry waits for another");
        fx.engine.destroy(vm("vm").id());
        process();
        assertEquals(List.of(), fx.engine.partitions(), "the VM destroyed, its entry, which no master hosts, goes with it");
    }

    @Test
    void aDeploymentsNoteStaysUntilSomethingReallyChanges() throws Exception {
        fx.install(provisioner);
        provisioner.note = "running; no frontend serves its console yet";
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertTrue(vm("vm").isReady());
        assertEquals("running; no frontend serves its console yet", vm("vm").status().message());
        fx.engine.observed(vm("vm").id(), new Observation(Status.Phase.STARTED, ""));
        assertEquals("running; no frontend serves its console yet", vm("vm").status().message(),
                "seen as it should be: the note stays");
        fx.engine.observed(vm("vm").id(), new Observation(Status.Phase.STOPPED, "shut off: crashed"));
        assertEquals("shut off: crashed", vm("vm").status().message());
        assertFalse(vm("vm").isReady());
    }

    @Test
    void onlyWhatADeploymentCanMoveOnIsPending() throws Exception {
        fx.engine.request(kvm("no-provisioner-yet", Map.of()));
        fx.engine.request(slave("no-master-yet", 6080));
        assertEquals(List.of(), fx.engine.pending(), "nothing can deploy them: a controller would only spin");
        fx.install(provisioner);
        assertEquals(List.of(vm("no-provisioner-yet").id()), fx.engine.pending());
        fx.engine.request(frontend("front"));
        assertEquals(List.of(vm("no-provisioner-yet").id(), vm("front").id(), vm("no-master-yet").id()), fx.engine.pending(),
                "a master exists: the slave can be attached");
        provisioner.extra = c -> {
            if (c.partition().reference().equals("no-provisioner-yet")) {
                assertFalse(fx.engine.pending().contains(c.partition().id()), "not while it is being deployed");
            }
            return Parameters.EMPTY;
        };
        process();
        assertEquals(List.of(), fx.engine.pending());
    }

    @Test
    void nestedDefaultsAreFilledIn() throws Exception {
        fx.install(provisioner);
        fx.engine.request(kvm("vm", Map.of("external-disk", Map.of("data", Map.of("path", "/srv/data.qcow2")))));
        process();
        assertEquals(Map.of("data", Map.of("path", "/srv/data.qcow2", "index", 0L, "cache", "writeback", "format", "autodetect")),
                provisioner.calls.get(0).parameters().get("external-disk").orElseThrow());
    }

    @Test
    void whatAProvisionerPublishesIsKeptWhenItFallsShort() throws Exception {
        Provisioner shortOfIt = new PlacingProvisioner() {
            @Override
            public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) {
                return Deployment.behind(Status.Phase.STOPPED, "the guest did not start: no bootable device",
                        Parameters.of(Map.of("vnc-port", "5900")));
            }
        };
        fx.install(shortOfIt);
        fx.engine.request(kvm("vm", Map.of()));
        process();
        Partition p = vm("vm");
        assertFalse(p.isReady());
        assertEquals("5900", p.connectionParameters().get("vnc-port").orElseThrow());
        assertTrue(p.status().message().startsWith("the guest did not start: no bootable device"), p.status().message());
    }

    @Test
    void anyPartitionCanBeDestroyedByItsGuidAndWhatNothingCanCleanIsForgotten() throws Exception {
        fx.install(provisioner);
        provisioner.extra = c -> {
            if (c.partition().reference().equals("parent") && c.partition().requestedState() != RequestedState.DESTROYED) {
                c.request(kvm("child", Map.of()));
            }
            return Parameters.EMPTY;
        };
        fx.engine.request(kvm("parent", Map.of()));
        process();
        Partition child = fx.engine.tree("parent").get(1);
        Files.writeString(dir.resolve("partitions").resolve(vm("parent").id() + ".json"), "{ truncated");
        fx.restart();
        assertTrue(fx.engine.instance("child").isEmpty(), "not a root: no reference finds it");
        fx.engine.destroy(child.id());
        process();
        assertTrue(fx.engine.partition(child.id()).isEmpty(), "destroyed by its guid");
        assertThrows(UnknownInstanceException.class, () -> fx.engine.destroy(child.id()));

        // a destroyed partition whose provisioner is gone can only be forgotten
        fx.engine.request(kvm("stuck", Map.of()));
        process();
        fx.studio.provisioners().remove(provisioner);
        ConflictException notDestroyed = assertThrows(ConflictException.class, () -> fx.engine.forget(vm("stuck").id()));
        assertTrue(notDestroyed.getMessage().contains("destroy it first"), notDestroyed.getMessage());
        fx.engine.request(InstanceRequest.of("kvm", "stuck").withState(RequestedState.DESTROYED));
        process();
        assertTrue(fx.engine.instance("stuck").isPresent(), "no provisioner: it cannot be destroyed");
        String id = vm("stuck").id();
        fx.engine.forget(id);
        assertTrue(fx.engine.partition(id).isEmpty());
        assertFalse(Files.exists(dir.resolve("partitions").resolve(id + ".json")));
    }

    @Test
    void secretConnectionParametersStayOutOfPartitionFilesEventsAndMessages() throws Exception {
        String password = "Vnc-Pass-7731";
        fx.install(provisioner);
        provisioner.extra = c -> Parameters.of(Map.of("password", password));
        List<InstanceEvent> events = new ArrayList<>();
        fx.engine.addListener(events::add);
        fx.engine.request(kvm("vm", Map.of()));
        process();
        assertEquals(password, fx.engine.connectionParameters("vm").get("password").orElseThrow(),
                "the requester gets it");
        assertFalse(vm("vm").connectionParameters().contains("password"));
        String file = Files.readString(dir.resolve("partitions").resolve(vm("vm").id() + ".json"), StandardCharsets.UTF_8);
        assertFalse(file.contains(password), file);
        assertTrue(events.stream().noneMatch(e -> e.partition().toString().contains(password)));

        provisioner.failNext = new ProvisioningException("cannot set VNC password " + password + " on the domain");
        fx.engine.request(kvm("vm", Map.of("ram-size", 2048)));
        process();
        assertEquals("cannot set VNC password ******** on the domain (attempt 1; next try in 1 s)", vm("vm").status().message());
        assertNotEquals(-1, Files.readString(dir.resolve("state").resolve(vm("vm").id()).resolve("state.json")).indexOf(password),
                "kept in the partition's private state");
    }
}
