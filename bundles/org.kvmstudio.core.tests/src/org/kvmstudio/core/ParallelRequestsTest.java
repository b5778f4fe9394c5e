package org.kvmstudio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.kvmstudio.core.Requests.kvm;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Status;
import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.workspace.Workspace;

/**
 * Requests and deployments of different partitions go on side by side: a partition's durable write
 * (milliseconds, more while QEMU starts) holds up the next change of that partition, and nothing else.
 */
class ParallelRequestsTest {

    @TempDir
    Path dir;
    Workspace workspace;
    SlowDisk disk;
    final ExecutorService threads = Executors.newCachedThreadPool();

    @BeforeEach
    void open() throws IOException {
        workspace = Workspace.open(dir);
        disk = new SlowDisk(workspace);
    }

    @AfterEach
    void close() throws IOException {
        disk.letGo.countDown();
        disk.letListingGo.countDown();
        threads.shutdownNow();
        workspace.close();
    }

    /** An engine of the kvm release on the slow disk, with {@code installed} provisioners. */
    private RequestEngine engine(Provisioner... installed) throws org.kvmstudio.schema.SchemaLoadException {
        ReleaseCatalog catalog = new ReleaseCatalog();
        catalog.add(new KvmRelease());
        ProvisionerRegistry registry = new ProvisionerRegistry();
        for (Provisioner p : installed) {
            registry.add(p);
        }
        return new RequestEngine(disk, catalog, registry, Clock.systemUTC());
    }

    /**
     * A real workspace whose writes of one partition wait, while {@link #hold} says so, as a busy disk makes
     * them; and whose listing for a placement, on a thread {@link #holdListing} names, waits once before it is read.
     */
    private static final class SlowDisk extends WorkspaceStore {
        volatile java.util.function.Predicate<Partition> held = p -> false;
        final CountDownLatch writing = new CountDownLatch(1);
        final CountDownLatch letGo = new CountDownLatch(1);
        volatile Thread listingHeldOn;
        final CountDownLatch listing = new CountDownLatch(1);
        final CountDownLatch letListingGo = new CountDownLatch(1);

        SlowDisk(Workspace workspace) {
            super(workspace);
        }

        void hold(String id) {
            held = p -> p.id().equals(id);
        }

        void holdListing(Thread thread) {
            listingHeldOn = thread;
        }

        @Override
        public void save(Partition partition) throws IOException {
            if (held.test(partition)) {
                writing.countDown();
                await(letGo);
            }
            super.save(partition);
        }

        @Override
        public java.util.List<Partition> partitions() {
            java.util.List<Partition> now = super.partitions();
            if (Thread.currentThread() != listingHeldOn || !StackWalker.getInstance().walk(frames -> frames.anyMatch(
                    f -> f.getMethodName().equals("placed") && f.getClassName().endsWith("$Context")))) {
                return now;
            }
            listingHeldOn = null;
            // read once this list is gone through, not when it was asked for
            return new java.util.AbstractList<>() {
                @Override
                public Partition get(int index) {
                    listing.countDown();
                    await(letListingGo);
                    return now.get(index);
                }

                @Override
                public int size() {
                    return now.size();
                }
            };
        }

        private static void await(CountDownLatch latch) {
            try {
                assertTrue(latch.await(30, TimeUnit.SECONDS));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }

    @Test
    void aWriteUnderWayHoldsUpItsOwnPartitionOnlyAndItsChangesKeepTheirOrder() throws Exception {
        RequestEngine engine = engine(new ScriptedProvisioner());
        String one = engine.request(kvm("one", Map.of())).id();
        disk.hold(one);
        Future<Partition> changing = threads.submit(() -> engine.request(kvm("one", Map.of("ram-size", 2048))));
        assertTrue(disk.writing.await(10, TimeUnit.SECONDS));

        // meanwhile another instance is requested and deployed, and the first one is read as it is on disk
        Future<Boolean> other = threads.submit(() -> {
            String two = engine.request(kvm("two", Map.of("ram-size", 512))).id();
            return engine.process(two, new NullProgressMonitor());
        });
        assertTrue(other.get(10, TimeUnit.SECONDS), "'two' is deployed while 'one' is being written");
        assertEquals(1, engine.instance("one").orElseThrow().revision());

        // a second change of the same instance waits for the first
        Future<Partition> changingAgain = threads.submit(() -> engine.request(kvm("one", Map.of("ram-size", 4096))));
        assertThrows(TimeoutException.class, () -> changingAgain.get(300, TimeUnit.MILLISECONDS));
        disk.letGo.countDown();
        assertEquals(2, changing.get(10, TimeUnit.SECONDS).revision());
        assertEquals(3, changingAgain.get(10, TimeUnit.SECONDS).revision());
        Partition last = engine.instance("one").orElseThrow();
        assertEquals(3, last.revision());
        assertEquals(4096L, last.parameters().get("ram-size").orElseThrow());
        workspace.close(); // written before it is read back
        try (Workspace reopened = Workspace.open(dir)) {
            Partition onDisk = reopened.partitions().stream().filter(p -> p.reference().equals("one")).findFirst().orElseThrow();
            assertEquals(4096L, onDisk.parameters().get("ram-size").orElseThrow(), "the later change is the one on disk");
        }
    }

    /** Places every VM on host "h1" and records what it was told was placed already. */
    private static final class PlacingProvisioner implements Provisioner {
        final java.util.List<java.util.List<String>> seen = new java.util.concurrent.CopyOnWriteArrayList<>();

        @Override
        public String releaseUri() {
            return "kvm";
        }

        @Override
        public java.util.Set<String> softwareTypes() {
            return java.util.Set.of("default");
        }

        @Override
        public java.util.Optional<String> place(ProvisioningContext context) {
            seen.add(context.placed().stream().map(p -> p.reference() + "@" + p.hostId()).toList());
            return java.util.Optional.of("h1");
        }

        @Override
        public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) {
            return Deployment.reached(Status.phaseOf(context.partition().requestedState()), Parameters.EMPTY);
        }
    }

    /** 'one' and 'two' requested; 'one' placed, the write of its placement held, 'two' not processed yet. */
    private record OneBeingPlaced(PlacingProvisioner placing, RequestEngine engine, String one, String two,
            Future<Boolean> first) {
    }

    private OneBeingPlaced oneBeingPlaced() throws Exception {
        PlacingProvisioner placing = new PlacingProvisioner();
        RequestEngine engine = engine(placing);
        String one = engine.request(kvm("one", Map.of())).id();
        String two = engine.request(kvm("two", Map.of())).id();
        disk.hold(one); // the write of its placement waits
        Future<Boolean> first = threads.submit(() -> engine.process(one, new NullProgressMonitor()));
        assertTrue(disk.writing.await(10, TimeUnit.SECONDS));
        return new OneBeingPlaced(placing, engine, one, two, first);
    }

    @Test
    void aPlacementBeingWrittenIsCountedByTheNextWithoutWaitingForIt() throws Exception {
        OneBeingPlaced at = oneBeingPlaced();
        assertTrue(threads.submit(() -> at.engine().process(at.two(), new NullProgressMonitor())).get(10, TimeUnit.SECONDS),
                "'two' is placed and deployed while the placement of 'one' is being written");
        assertEquals(java.util.List.of(java.util.List.of(), java.util.List.of("one@h1")), at.placing().seen);
        disk.letGo.countDown();
        assertTrue(at.first().get(10, TimeUnit.SECONDS));
        assertEquals("h1", at.engine().partition(at.one()).orElseThrow().hostId());
    }

    @Test
    void aSecondRequestOfAReferenceBeingCreatedFindsThePartitionTheFirstMakes() throws Exception {
        RequestEngine engine = engine();
        disk.held = p -> p.reference().equals("same");
        Future<Partition> first = threads.submit(() -> engine.request(kvm("same", Map.of())));
        assertTrue(disk.writing.await(10, TimeUnit.SECONDS)); // its file is being written
        Future<Partition> second = threads.submit(() -> engine.request(kvm("same", Map.of())));
        Future<Partition> other = threads.submit(() -> engine.request(kvm("other", Map.of())));
        assertEquals("other", other.get(10, TimeUnit.SECONDS).reference(), "another reference does not wait");
        assertThrows(TimeoutException.class, () -> second.get(300, TimeUnit.MILLISECONDS));
        disk.letGo.countDown();
        assertEquals(first.get(10, TimeUnit.SECONDS).id(), second.get(10, TimeUnit.SECONDS).id(),
                "the second request answers the partition the first made");
        assertEquals(2, engine.partitions().size());
    }

    @Test
    void aPlacementWrittenWhileTheNextIsBeingChosenIsCountedAllTheSame() throws Exception {
        OneBeingPlaced at = oneBeingPlaced();
        // 'two' is placed meanwhile; the partitions it is placed beside are read only once 'one' is written
        Future<Boolean> second = threads.submit(() -> {
            disk.holdListing(Thread.currentThread());
            return at.engine().process(at.two(), new NullProgressMonitor());
        });
        assertTrue(disk.listing.await(10, TimeUnit.SECONDS));
        disk.letGo.countDown();
        assertTrue(at.first().get(10, TimeUnit.SECONDS));
        disk.letListingGo.countDown();
        assertTrue(second.get(10, TimeUnit.SECONDS));
        assertEquals(java.util.List.of(java.util.List.of(), java.util.List.of("one@h1")), at.placing().seen,
                "'two' was placed knowing of 'one', whose placement was written as it looked");
    }

    @Test
    void aPartitionsLockIsNeverTakenWhileAnotherIsHeld() {
        PartitionLocks locks = new PartitionLocks();
        assertFalse(locks.heldByCurrentThread());
        // the same partition again is fine: a change reads and writes it in steps
        assertEquals("again", locks.partition("SOFTINST-1", () -> locks.partition("SOFTINST-1", () -> "again")));
        assertThrows(IllegalStateException.class, () -> locks.partition("SOFTINST-1", () -> locks.partition("SOFTINST-2", () -> "two")));
        assertThrows(IllegalStateException.class, () -> locks.partition("SOFTINST-1", () -> locks.reference(null, "vm", () -> "ref")));
        assertEquals("both", locks.reference(null, "vm", () -> locks.partition("SOFTINST-1", () -> {
            assertTrue(locks.heldByCurrentThread());
            assertTrue(locks.holds("SOFTINST-1"));
            return "both";
        })));
        assertFalse(locks.heldByCurrentThread(), "every lock is let go, also after a refusal");
    }
}
