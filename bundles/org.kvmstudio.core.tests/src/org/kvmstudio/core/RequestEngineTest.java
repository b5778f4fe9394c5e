package org.kvmstudio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.kvmstudio.core.Requests.frontend;
import static org.kvmstudio.core.Requests.kvm;
import static org.kvmstudio.core.Requests.slave;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.model.ConflictException;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InstanceEvent;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.kvmstudio.model.UnknownInstanceException;

/** SlapOS request semantics of the engine, on a real workspace and the real kvm release. */
class RequestEngineTest {

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

    /** A user's request made while a provisioner runs (inside a lambda, so without checked exceptions). */
    private Partition requestFromAProvisioner(InstanceRequest request) {
        try {
            return fx.engine.request(request);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    private void process() {
        fx.engine.process(new NullProgressMonitor());
    }

    @Test
    void theSameRequestTwiceIsOnePartition() throws Exception {
        Partition first = fx.engine.request(kvm("myawesomekvm", Map.of("ram-size", 2048)));
        Partition again = fx.engine.request(kvm("myawesomekvm", Map.of("ram-size", 2048)));
        assertEquals(first, again);
        assertEquals(1, again.revision(), "an identical request is not a change");
        assertEquals(1, fx.engine.partitions().size());
        assertTrue(first.id().matches("SOFTINST-[0-9]+"), first.id());
        assertEquals(first.id(), first.instanceTree(), "a root names its instance tree");
        assertTrue(first.isRoot());
        try (var files = Files.list(dir.resolve("partitions"))) {
            assertEquals(1, files.count());
        }
    }

    @Test
    void notReadyUntilAProvisionerDeploysIt() throws Exception {
        fx.engine.request(kvm("vm", Map.of()));
        Partition p = fx.engine.instance("vm").orElseThrow();
        assertFalse(p.isReady());
        assertEquals(Status.Phase.NOT_READY, p.status().phase());
        assertTrue(p.status().message().contains("no provisioner for software type 'default'"), p.status().message());
        ResourceNotReadyException e = assertThrows(ResourceNotReadyException.class, () -> fx.engine.connectionParameters("vm"));
        assertTrue(e.getMessage().startsWith("vm is not ready: no provisioner"), e.getMessage());
        process();
        assertFalse(fx.engine.instance("vm").orElseThrow().isReady(), "still no provisioner");

        fx.install(provisioner);
        process();
        Partition ready = fx.engine.instance("vm").orElseThrow();
        assertTrue(ready.isReady());
        assertEquals(Status.Phase.STARTED, ready.status().phase());
        assertEquals("https://127.0.0.1:6080/vnc.html", fx.engine.connectionParameters("vm").get("backend-url").orElseThrow());
        assertEquals(1, provisioner.calls.size());
        assertEquals(1024L, provisioner.calls.get(0).parameters().get("ram-size").orElseThrow(),
                "the provisioner gets the type's defaults for what the request left out");
        process();
        assertEquals(1, provisioner.calls.size(), "a ready partition is not deployed again");
    }

    @Test
    void kvmPlusDefaultsAreBigger() throws Exception {
        fx.install(provisioner);
        fx.engine.request(kvm("big", Map.of()).withSoftwareType("kvm+"));
        process();
        Parameters p = provisioner.calls.get(0).parameters();
        assertEquals(List.of(2048L, 20L, 2L), List.of(p.get("ram-size").orElseThrow(), p.get("disk-size").orElseThrow(),
                p.get("cpu-count").orElseThrow()));
    }

    @Test
    void aChangedParameterSetUpdatesTheSamePartition() throws Exception {
        fx.install(provisioner);
        Partition v1 = fx.engine.request(kvm("vm", Map.of("ram-size", 1024)));
        process();
        Partition v2 = fx.engine.request(kvm("vm", Map.of("ram-size", 4096)));
        assertEquals(v1.id(), v2.id());
        assertEquals(2, v2.revision());
        assertFalse(v2.isReady(), "not ready until the change is deployed");
        assertThrows(ResourceNotReadyException.class, () -> fx.engine.connectionParameters("vm"));
        process();
        assertTrue(fx.engine.instance("vm").orElseThrow().isReady());
        assertEquals(4096L, provisioner.calls.get(1).parameters().get("ram-size").orElseThrow());
        assertEquals(1, fx.engine.partitions().size());
    }

    @Test
    void startedStoppedDestroyed() throws Exception {
        fx.install(provisioner);
        fx.engine.request(kvm("vm", Map.of()));
        process();
        Partition stopped = fx.engine.request(kvm("vm", Map.of()).withState(RequestedState.STOPPED));
        assertEquals(2, stopped.revision());
        process();
        assertEquals(RequestedState.STOPPED, provisioner.calls.get(1).state());
        assertEquals(Status.Phase.STOPPED, fx.engine.instance("vm").orElseThrow().status().phase());
        assertTrue(fx.engine.instance("vm").orElseThrow().isReady());

        // destroying needs no parameters, and a destroyed instance cannot be revived before it is gone
        Partition destroying = fx.engine.request(InstanceRequest.of("kvm", "vm").withState(RequestedState.DESTROYED));
        assertEquals(stopped.parameters(), destroying.parameters());
        assertEquals(destroying, fx.engine.request(InstanceRequest.of("kvm", "vm").withState(RequestedState.DESTROYED)),
                "destroying twice is idempotent");
        ConflictException revive = assertThrows(ConflictException.class, () -> fx.engine.request(kvm("vm", Map.of())));
        assertTrue(revive.getMessage().contains("is being destroyed"), revive.getMessage());
        process();
        assertEquals(RequestedState.DESTROYED, provisioner.calls.get(2).state());
        assertTrue(fx.engine.instance("vm").isEmpty(), "a destroyed partition is gone");
        assertTrue(fx.engine.partitions().isEmpty());
        assertThrows(UnknownInstanceException.class,
                () -> fx.engine.request(InstanceRequest.of("kvm", "vm").withState(RequestedState.DESTROYED)));
        // the reference can be used again, for a new partition
        Partition reborn = fx.engine.request(kvm("vm", Map.of()));
        assertFalse(reborn.id().equals(stopped.id()));
    }

    @Test
    void invalidRequestsAreRefusedAndStoreNothing() throws Exception {
        InvalidParametersException bad = assertThrows(InvalidParametersException.class,
                () -> fx.engine.request(kvm("vm", Map.of("ram-size", 1000, "colour", "blue"))));
        assertEquals(List.of("/ram-size", "/colour"), bad.problems().stream().map(p -> p.pointer()).toList());
        InvalidRequestException type = assertThrows(InvalidRequestException.class,
                () -> fx.engine.request(kvm("vm", Map.of()).withSoftwareType("kvm-cluster")));
        assertTrue(type.getMessage().contains("has no software type \"kvm-cluster\""), type.getMessage());
        InvalidRequestException release = assertThrows(InvalidRequestException.class,
                () -> fx.engine.request(InstanceRequest.of("erp5", "vm")));
        assertTrue(release.getMessage().contains("unknown software release \"erp5\""), release.getMessage());
        assertTrue(fx.engine.partitions().isEmpty());
        assertThrows(InvalidRequestException.class, () -> InstanceRequest.of("kvm", "a/b"));
        assertThrows(InvalidRequestException.class, () -> InstanceRequest.of("kvm", " "));

        fx.engine.request(kvm("vm", Map.of()));
        ConflictException change = assertThrows(ConflictException.class,
                () -> fx.engine.request(kvm("vm", Map.of()).withSoftwareType("kvm+")));
        assertTrue(change.getMessage().contains("cannot change that"), change.getMessage());
        assertEquals(1, fx.engine.instance("vm").orElseThrow().revision());
    }

    @Test
    void theSeedReadmeAliasesAreStoredUnderTheirCanonicalNames() throws Exception {
        Partition p = fx.engine.request(kvm("myawesomekvm", Map.of("ndb_ip", "2a01:e35:2e27:460:e2cb:4eff:fed9:48dc",
                "ndb_port", 1024)));
        assertEquals(Parameters.of(Map.of("nbd-host", "2a01:e35:2e27:460:e2cb:4eff:fed9:48dc", "nbd-port", 1024)),
                p.parameters());
        assertEquals(p, fx.engine.request(kvm("myawesomekvm", Map.of("nbd-ip", "2a01:e35:2e27:460:e2cb:4eff:fed9:48dc",
                "nbd-port", 1024))), "another spelling of the same request changes nothing");
    }

    @Test
    void aSharedRequestBecomesASlaveOfTheOnlyMaster() throws Exception {
        fx.install(provisioner);
        Partition master = fx.engine.request(frontend("mykvmfrontend"));
        process();
        Partition s = fx.engine.request(slave("vm-console"));
        assertTrue(s.shared());
        assertEquals(master.id(), s.masterId());
        Partition touched = fx.engine.instance("mykvmfrontend").orElseThrow();
        assertFalse(touched.isReady(), "a new slave makes its master deploy again");
        process();
        assertTrue(fx.engine.instance("vm-console").orElseThrow().isReady());
        assertEquals("https://mydomain.com:4443/vm-console", fx.engine.connectionParameters("vm-console").get("url").orElseThrow());
        ScriptedProvisioner.Call last = provisioner.calls.get(provisioner.calls.size() - 1);
        assertEquals("mykvmfrontend", last.reference());
        assertEquals(List.of("vm-console"), last.slaves().stream().map(x -> x.reference()).toList());
        assertFalse(provisioner.references().contains("vm-console"), "a slave has no deployment of its own");

        // destroying the slave makes the master drop it
        fx.engine.request(slave("vm-console").withState(RequestedState.DESTROYED));
        process();
        assertTrue(fx.engine.instance("vm-console").isEmpty());
        assertEquals(RequestedState.DESTROYED, provisioner.calls.get(provisioner.calls.size() - 1).slaves().get(0).state());
        assertTrue(fx.engine.instance("mykvmfrontend").orElseThrow().isReady());
    }

    @Test
    void aSlaveWaitsForAMasterAndTheFilterChoosesAmongSeveral() throws Exception {
        fx.install(provisioner);
        Partition waiting = fx.engine.request(slave("console"));
        assertNull(waiting.masterId());
        assertTrue(waiting.status().message().contains("no 'frontend' instance exists"), waiting.status().message());
        Partition a = fx.engine.request(frontend("front-a"));
        process();
        assertEquals(a.id(), fx.engine.instance("console").orElseThrow().masterId(), "attached once a master exists");
        assertTrue(fx.engine.instance("console").orElseThrow().isReady());

        Partition b = fx.engine.request(frontend("front-b"));
        Partition ambiguous = fx.engine.request(slave("console2"));
        assertNull(ambiguous.masterId());
        assertTrue(ambiguous.status().message().contains("2 'frontend' instances could host it"), ambiguous.status().message());
        Partition chosen = fx.engine.request(slave("console2").withFilter(Filter.of(Map.of(Filter.INSTANCE_GUID, b.id()))));
        assertEquals(b.id(), chosen.masterId());
        Partition wrong = fx.engine.request(slave("console3").withFilter(Filter.of(Map.of(Filter.INSTANCE_GUID, "SOFTINST-999"))));
        assertNull(wrong.masterId());
        assertTrue(wrong.status().message().contains("SOFTINST-999"), wrong.status().message());
    }

    /** A frontend master and one slave on it, both deployed by the scripted provisioner. */
    private Partition deployedMasterWithSlave(String master, String slave) throws Exception {
        fx.install(provisioner);
        Partition m = fx.engine.request(frontend(master));
        fx.engine.request(slave(slave));
        process();
        assertTrue(fx.engine.instance(slave).orElseThrow().isReady());
        return m;
    }

    @Test
    void slavesOfADestroyedMasterMoveToTheRemainingOne() throws Exception {
        Partition a = deployedMasterWithSlave("front-a", "console");
        Partition b = fx.engine.request(frontend("front-b"));
        process();
        fx.engine.request(frontend("front-a").withState(RequestedState.DESTROYED));
        process();
        assertTrue(fx.engine.instance("front-a").isEmpty());
        Partition moved = fx.engine.instance("console").orElseThrow();
        assertEquals(b.id(), moved.masterId(), "attached to the only master left");
        assertTrue(moved.isReady(), moved.status().message());
        assertEquals("front-b", provisioner.calls.get(provisioner.calls.size() - 1).reference());
        assertFalse(a.id().equals(moved.masterId()));
    }

    @Test
    void aSlaveWhoseMasterFileWasLostFindsAnotherMaster() throws Exception {
        Partition a = deployedMasterWithSlave("front-a", "console");
        Files.writeString(dir.resolve("partitions").resolve(a.id() + ".json"), "{ truncated");
        fx.restart();
        assertEquals(1, fx.studio.loadProblems().size(), "the unreadable master was set aside");
        Partition b = fx.engine.request(frontend("front-b"));
        process();
        Partition console = fx.engine.instance("console").orElseThrow();
        assertEquals(b.id(), console.masterId());
        assertTrue(console.isReady(), console.status().message());
    }

    @Test
    void aPlacedInstanceKeepsItsFilterAndItsMasterHearsOfItsDestruction() throws Exception {
        fx.install(provisioner);
        fx.engine.request(frontend("front-a"));
        Partition b = fx.engine.request(frontend("front-b"));
        Filter onB = Filter.of(Map.of(Filter.INSTANCE_GUID, b.id()));
        fx.engine.request(slave("pinned").withFilter(onB));
        process();
        assertTrue(fx.engine.instance("pinned").orElseThrow().isReady());
        assertEquals(fx.engine.instance("pinned").orElseThrow(), fx.engine.request(slave("pinned")),
                "a request without a filter keeps the placement");
        ConflictException move = assertThrows(ConflictException.class, () -> fx.engine.request(slave("pinned")
                .withFilter(Filter.of(Map.of(Filter.INSTANCE_GUID, fx.engine.instance("front-a").orElseThrow().id())))));
        assertTrue(move.getMessage().contains("cannot change"), move.getMessage());

        // "slapos remove": no filter, no parameters; the master it was on is told to drop it
        fx.engine.request(InstanceRequest.of("kvm", "pinned").withSoftwareType("frontend").withShared(true)
                .withState(RequestedState.DESTROYED));
        process();
        assertTrue(fx.engine.instance("pinned").isEmpty());
        ScriptedProvisioner.Call last = provisioner.calls.get(provisioner.calls.size() - 1);
        assertEquals("front-b", last.reference());
        assertEquals(List.of(RequestedState.DESTROYED), last.slaves().stream().map(x -> x.state()).toList());
    }

    @Test
    void aDeploymentAlreadyUnderWayIsNotStartedTwice() throws Exception {
        fx.install(provisioner);
        Partition vm = fx.engine.request(kvm("vm", Map.of()));
        List<Boolean> nested = new ArrayList<>();
        provisioner.extra = c -> {
            // a second job asking for the same partition while the first deploys it
            nested.add(fx.engine.process(vm.id(), new NullProgressMonitor()));
            return Parameters.EMPTY;
        };
        process();
        assertEquals(List.of(false), nested, "the second job does not deploy it again");
        assertEquals(1, provisioner.calls.size());
        assertTrue(fx.engine.instance("vm").orElseThrow().isReady());
    }

    @Test
    void instancesRequestedByAnInstanceJoinItsTreeAndGoWithIt() throws Exception {
        fx.install(provisioner);
        fx.engine.request(frontend("shared-frontend"));
        // as the kvm profile does: each VM requests one frontend slave for its console
        provisioner.extra = c -> {
            if (!c.partition().softwareType().equals("frontend") && c.partition().requestedState() != RequestedState.DESTROYED) {
                c.request(slave(c.partition().reference() + "-frontend"));
            }
            return Parameters.EMPTY;
        };
        Partition vm = fx.engine.request(kvm("vm1", Map.of()));
        process();
        List<Partition> tree = fx.engine.tree("vm1");
        assertEquals(List.of("vm1", "vm1-frontend"), tree.stream().map(Partition::reference).toList());
        Partition child = tree.get(1);
        assertEquals(vm.id(), child.parentId());
        assertEquals(vm.id(), child.instanceTree());
        assertTrue(child.shared());
        assertTrue(fx.engine.instance("vm1-frontend").isEmpty(), "a child is not a root instance");
        assertTrue(child.isReady(), "deployed by its master in the following pass");

        fx.engine.request(kvm("vm1", Map.of()).withState(RequestedState.DESTROYED));
        process();
        assertTrue(fx.engine.tree("vm1").isEmpty(), "destroying a root destroys its tree");
        assertEquals(List.of("shared-frontend"), fx.engine.partitions().stream().map(Partition::reference).toList());
        assertTrue(fx.engine.instance("shared-frontend").orElseThrow().isReady());
    }

    @Test
    void aFailedDeploymentIsReportedAndRetried() throws Exception {
        fx.install(provisioner);
        provisioner.failNext = new ProvisioningException("libvirt: cannot create domain 'vm': no space left");
        fx.engine.request(kvm("vm", Map.of()));
        process();
        Partition failed = fx.engine.instance("vm").orElseThrow();
        assertEquals(Status.Phase.FAILED, failed.status().phase());
        assertEquals("libvirt: cannot create domain 'vm': no space left (attempt 1; next try in 1 s)", failed.status().message());
        assertThrows(ResourceNotReadyException.class, () -> fx.engine.connectionParameters("vm"));
        fx.clock.advance(java.time.Duration.ofSeconds(1));
        process();
        assertTrue(fx.engine.instance("vm").orElseThrow().isReady(), "the next run once the back-off passed retries");
    }

    @Test
    void publishedParametersAreCheckedAgainstTheOutputSchema() throws Exception {
        fx.install(provisioner);
        provisioner.publishInvalid = true;
        fx.engine.request(kvm("vm", Map.of()));
        process();
        Partition p = fx.engine.instance("vm").orElseThrow();
        assertEquals(Status.Phase.FAILED, p.status().phase());
        assertTrue(p.status().message().contains("/vnc-port"), p.status().message());
        assertEquals(Parameters.EMPTY, p.connectionParameters());
    }

    @Test
    void aCancelledDeploymentStaysNotReadyAndResumes() throws Exception {
        fx.install(provisioner);
        fx.engine.request(kvm("vm", Map.of()));
        NullProgressMonitor cancelled = new NullProgressMonitor();
        cancelled.setCanceled(true);
        String id = fx.engine.instance("vm").orElseThrow().id();
        assertThrows(OperationCanceledException.class, () -> fx.engine.process(id, cancelled));
        Partition p = fx.engine.instance("vm").orElseThrow();
        assertFalse(p.isReady());
        assertTrue(p.status().message().contains("cancelled"), p.status().message());
        assertTrue(fx.engine.process(id, new NullProgressMonitor()));
    }

    @Test
    void partitionsSurviveARestart() throws Exception {
        fx.install(provisioner);
        Partition vm = fx.engine.request(kvm("vm", Map.of("ram-size", 2048)));
        process();
        fx.engine.request(kvm("pending", Map.of()));
        fx.restart();
        Partition reloaded = fx.engine.instance("vm").orElseThrow();
        assertEquals(vm.id(), reloaded.id());
        assertTrue(reloaded.isReady());
        assertEquals(2048L, reloaded.parameters().get("ram-size").orElseThrow());
        assertFalse(fx.engine.instance("pending").orElseThrow().isReady());
        Partition next = fx.engine.request(kvm("third", Map.of()));
        assertFalse(List.of(vm.id(), fx.engine.instance("pending").orElseThrow().id()).contains(next.id()),
                "instance guids are never reused");
    }

    @Test
    void aChangeRequestedWhileDeployingIsDeployedNext() throws Exception {
        fx.install(provisioner);
        List<Partition> during = new ArrayList<>();
        provisioner.extra = c -> {
            if (during.isEmpty() && c.partition().reference().equals("vm")) {
                during.add(requestFromAProvisioner(kvm("vm", Map.of("ram-size", 4096))));
            }
            return Parameters.EMPTY;
        };
        fx.engine.request(kvm("vm", Map.of("ram-size", 1024)));
        String id = fx.engine.instance("vm").orElseThrow().id();
        fx.engine.process(id, new NullProgressMonitor());
        Partition between = fx.engine.instance("vm").orElseThrow();
        assertFalse(between.isReady(), "revision 1 is deployed, revision 2 is not");
        assertEquals(1, between.appliedRevision());
        assertEquals("revision 1 deployed; waiting to deploy revision 2", between.status().message());
        process();
        Partition done = fx.engine.instance("vm").orElseThrow();
        assertTrue(done.isReady());
        assertEquals(2, done.appliedRevision());
        assertEquals(4096L, provisioner.calls.get(1).parameters().get("ram-size").orElseThrow());
    }

    @Test
    void aSlaveChangedWhileItsMasterDeploysIsDeployedNext() throws Exception {
        fx.install(provisioner);
        fx.engine.request(frontend("front"));
        fx.engine.request(slave("console"));
        List<Partition> during = new ArrayList<>();
        provisioner.extra = c -> {
            if (during.isEmpty()) {
                during.add(requestFromAProvisioner(slave("console").withParameters(
                        Parameters.of(Map.of("host", "10.0.0.2", "port", 6081)))));
            }
            return Parameters.EMPTY;
        };
        process();
        Partition console = fx.engine.instance("console").orElseThrow();
        assertTrue(console.isReady(), console.status().message());
        assertEquals(2, console.appliedRevision());
        ScriptedProvisioner.Call last = provisioner.calls.get(provisioner.calls.size() - 1);
        assertEquals(6081L, last.slaves().get(0).parameters().get("port").orElseThrow());
    }

    @Test
    void aReleaseThatCannotBeLoadedStopsNothingElseAndItsInstancesCanStillBeDestroyed() throws Exception {
        fx.install(provisioner);
        fx.engine.request(kvm("vm", Map.of()));
        fx.studio.releases().remove("kvm");
        process(); // must not throw
        Partition vm = fx.engine.instance("vm").orElseThrow();
        assertFalse(vm.isReady());
        assertTrue(vm.status().message().contains("unknown software release \"kvm\""), vm.status().message());
        fx.engine.request(InstanceRequest.of("kvm", "vm").withState(RequestedState.DESTROYED));
        process();
        assertTrue(fx.engine.instance("vm").isEmpty(), "destroying needs no schema");
        assertEquals(RequestedState.DESTROYED, provisioner.calls.get(0).state());
    }

    @Test
    void nothingIsWrittenNorAnnouncedWhenNothingChanges() throws Exception {
        try (Studio ticking = Studio.open(dir.resolve("ticking"), new TickingClock())) {
            ticking.releases().add(new org.kvmstudio.release.kvm.KvmRelease());
            RequestEngine engine = ticking.engine();
            engine.request(kvm("vm", Map.of()));
            InstanceRequest waiting = slave("console");
            engine.request(waiting);
            engine.process(new NullProgressMonitor());
            List<InstanceEvent> events = new ArrayList<>();
            engine.addListener(events::add);
            Path file = ticking.workspaceDirectory().resolve("partitions").resolve(engine.instance("vm").orElseThrow().id() + ".json");
            java.nio.file.attribute.FileTime before = Files.getLastModifiedTime(file);
            engine.process(new NullProgressMonitor());
            engine.process(new NullProgressMonitor());
            assertEquals(List.of(), events, "no provisioner and no master: still not ready, for the same reasons");
            assertEquals(before, Files.getLastModifiedTime(file));
        }
    }

    /** A clock that moves on one second each time it is read, as real time would between two runs. */
    private static final class TickingClock extends java.time.Clock {
        private java.time.Instant now = java.time.Instant.parse("2026-11-26T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return java.time.ZoneOffset.UTC;
        }

        @Override
        public java.time.Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public synchronized java.time.Instant instant() {
            now = now.plusSeconds(1);
            return now;
        }
    }

    @Test
    void listenersAreCalledOutsideTheEngineLockAndOneThatFailsStopsNothing() throws Exception {
        fx.install(provisioner);
        List<Boolean> otherThreadGotThrough = new ArrayList<>();
        List<InstanceEvent> heard = new ArrayList<>();
        fx.engine.addListener(e -> {
            throw new IllegalStateException("a broken listener");
        });
        java.util.concurrent.ExecutorService other = java.util.concurrent.Executors.newSingleThreadExecutor();
        try {
            fx.engine.addListener(e -> {
                // as a listener waiting for the UI thread, which is changing the same partition: that change
                // would wait for the partition's lock, were it held while listeners are called
                try {
                    other.submit(() -> fx.engine.observeWhenIdle(e.partition().id(), Optional::empty))
                            .get(5, java.util.concurrent.TimeUnit.SECONDS);
                    otherThreadGotThrough.add(true);
                } catch (Exception blocked) {
                    otherThreadGotThrough.add(false);
                }
                heard.add(e);
            });
            fx.engine.request(kvm("vm", Map.of()));
            process();
        } finally {
            other.shutdownNow();
        }
        assertTrue(fx.engine.instance("vm").orElseThrow().isReady());
        assertFalse(heard.isEmpty());
        assertFalse(otherThreadGotThrough.contains(false), "a listener may call the engine or wait for the UI thread");
    }

    @Test
    void listenersHearEveryChange() throws Exception {
        fx.install(provisioner);
        List<InstanceEvent> events = new ArrayList<>();
        fx.engine.addListener(events::add);
        fx.engine.request(kvm("vm", Map.of()));
        process();
        fx.engine.request(kvm("vm", Map.of()).withState(RequestedState.DESTROYED));
        process();
        assertEquals(InstanceEvent.Kind.ADDED, events.get(0).kind());
        assertTrue(events.stream().anyMatch(e -> e.kind() == InstanceEvent.Kind.CHANGED && e.partition().isReady()));
        assertEquals(InstanceEvent.Kind.REMOVED, events.get(events.size() - 1).kind());
    }
}
