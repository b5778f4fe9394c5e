package org.kvmstudio.core;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.core.runtime.IProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.core.provisioning.Deployment;
import org.kvmstudio.core.provisioning.Observation;
import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Status;
import org.kvmstudio.release.kvm.KvmRelease;

/**
 * The controller on real time and Eclipse Jobs: what is requested is deployed without anyone calling
 * the engine, a failure is retried after its back-off, and a partition waiting out a long back-off
 * never holds up another one. (Its work on libvirt is tested with the backend.)
 */
class ControllerTest {

    @TempDir
    Path dir;
    Studio studio;

    /** Fails for references starting with "broken", counts its calls. */
    static final class Flaky extends KvmDefaultProvisioner {
        final AtomicInteger calls = new AtomicInteger();
        volatile int failuresLeft;

        @Override
        public Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) throws ProvisioningException {
            calls.incrementAndGet();
            if (context.partition().reference().startsWith("broken") || failuresLeft-- > 0) {
                throw new ProvisioningException("host down");
            }
            return Deployment.reached(Status.phaseOf(context.partition().requestedState()), Parameters.EMPTY);
        }
    }

    final Flaky provisioner = new Flaky();

    @BeforeEach
    void setUp() throws Exception {
        studio = Studio.open(dir, Clock.systemUTC());
        studio.releases().add(new KvmRelease());
        studio.provisioners().add(provisioner);
        studio.startController();
    }

    @AfterEach
    void tearDown() throws Exception {
        studio.close();
    }

    private boolean readyWithin(String reference, long millis) throws InterruptedException {
        long deadline = System.currentTimeMillis() + millis;
        while (System.currentTimeMillis() < deadline) {
            if (studio.engine().instance(reference).map(p -> p.isReady()).orElse(false)) {
                return true;
            }
            Thread.sleep(20);
        }
        return false;
    }

    @Test
    void whatIsRequestedIsDeployedAndAFailureIsRetriedAfterItsBackOff() throws Exception {
        provisioner.failuresLeft = 1;
        studio.engine().request(InstanceRequest.of("kvm", "vm"));
        assertTrue(readyWithin("vm", 3000), "deployed again 1 s after it failed");
        assertTrue(provisioner.calls.get() == 2, "tried twice: " + provisioner.calls.get());
    }

    @Test
    void aPartitionWaitingOutItsBackOffHoldsUpNoOther() throws Exception {
        studio.engine().request(InstanceRequest.of("kvm", "broken"));
        Thread.sleep(3500); // failed at 0, 1 and 3 s: it now waits 4 s, and the dispatcher with it
        studio.engine().request(InstanceRequest.of("kvm", "fine").withParameters(Parameters.of(Map.of("ram-size", 2048))));
        assertTrue(readyWithin("fine", 1000), "deployed at once, not after the other's back-off");
    }

    @Test
    void whatABackendReportsIsActedOnAtOnce() throws Exception {
        studio.engine().request(InstanceRequest.of("kvm", "vm"));
        assertTrue(readyWithin("vm", 2000));
        int before = provisioner.calls.get();
        studio.engine().observed(studio.engine().instance("vm").orElseThrow().id(),
                new Observation(Status.Phase.STOPPED, "shut off: QEMU ended unexpectedly"));
        // (an observation that arrives while a job looks at the partition is applied once it is done)
        long deadline = System.currentTimeMillis() + 1000;
        while (provisioner.calls.get() == before && System.currentTimeMillis() < deadline) {
            Thread.sleep(10);
        }
        assertTrue(provisioner.calls.get() == before + 1 && readyWithin("vm", 1000), "deployed again within a second");
    }
}
