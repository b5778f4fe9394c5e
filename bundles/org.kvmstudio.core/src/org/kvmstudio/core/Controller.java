package org.kvmstudio.core;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.SubMonitor;
import org.eclipse.core.runtime.jobs.Job;
import org.kvmstudio.core.provisioning.BackendSession;
import org.kvmstudio.model.InstanceListener;
import org.kvmstudio.model.Partition;

/**
 * Keeps a workspace's partitions converged with what its hosts really have, as the owner of the
 * workspace (the GUI or {@code kvmstudio agent}) runs it. Level-triggered, like a Kubernetes
 * controller: whatever woke it (a request, a backend's report, a host coming back, a retry falling
 * due, or the 30-second tick), it compares what partitions ask for with what is, and deploys each
 * partition that differs in a Job of its own (partitions converge side by side; the engine's
 * scheduling rule keeps one partition to one job). Every 30 s it also asks the provisioners what
 * their hosts have for the ready partitions, so drift nobody reported is found.
 */
public final class Controller {

    /** Jobs of this family belong to a controller; {@link Job#cancel} them through {@link #stop()}. */
    public static final Object FAMILY = Controller.class;
    static final Duration TICK = Duration.ofSeconds(30);

    private final RequestEngine engine;
    private final Supplier<List<BackendSession>> sessions;
    private final Set<String> scheduled = ConcurrentHashMap.newKeySet();
    private final InstanceListener onChange = event -> wakeUp();
    private final Job dispatcher = new ControllerJob("Converging instances") {
        @Override
        protected IStatus run(IProgressMonitor monitor) {
            dispatch();
            return Status.OK_STATUS;
        }
    };
    private final Job ticker = new ControllerJob("Checking instances against their hosts") {
        @Override
        protected IStatus run(IProgressMonitor monitor) {
            observeAll(monitor);
            if (!stopped) {
                schedule(TICK.toMillis());
            }
            return monitor.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
        }
    };
    private volatile boolean stopped;

    Controller(RequestEngine engine, Supplier<List<BackendSession>> sessions) {
        this.engine = engine;
        this.sessions = sessions;
        dispatcher.setSystem(true);
        ticker.setSystem(true);
    }

    /** Reconciles everything now (start-up), then on every change and tick. */
    void start() {
        sessions.get().forEach(BackendSession::reconcile);
        engine.addListener(onChange);
        ticker.schedule();
        wakeUp();
    }

    /** Runs a pass soon. Cheap and safe to call from any thread, a libvirt callback included. */
    public void wakeUp() {
        if (!stopped) {
            // a job sleeping until the next retry ignores schedule(): wake it; one waiting or running
            // takes schedule() as "once more when done"
            dispatcher.wakeUp();
            dispatcher.schedule();
        }
    }

    /** Cancels the controller's jobs and waits for them: a provisioner is never cut short half way by a close. */
    void stop() {
        stopped = true;
        engine.removeListener(onChange);
        Job.getJobManager().cancel(FAMILY);
        try {
            Job.getJobManager().join(FAMILY, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (OperationCanceledException e) {
            // nothing to wait for
        }
    }

    private void dispatch() {
        if (stopped) {
            return;
        }
        for (String id : engine.pending()) {
            if (scheduled.add(id)) {
                DeployJob job = new DeployJob(id);
                job.setRule(engine.schedulingRule(id));
                job.schedule();
            }
        }
        engine.nextRetry().ifPresent(at -> {
            long delay = Math.max(0, Duration.between(Instant.now(), at).toMillis()) + 50;
            dispatcher.schedule(delay);
        });
    }

    private void observeAll(IProgressMonitor monitor) {
        List<Partition> deployed = engine.partitions().stream().filter(p -> !p.shared() && p.appliedRevision() > 0).toList();
        SubMonitor sub = SubMonitor.convert(monitor, "Checking instances", deployed.size());
        for (Partition p : deployed) {
            if (sub.isCanceled() || stopped) {
                return;
            }
            engine.observe(p.id());
            sub.worked(1);
        }
        wakeUp();
    }

    /** Deploys one partition; when done, looks for what became due meanwhile. */
    private final class DeployJob extends ControllerJob {
        private final String id;

        DeployJob(String id) {
            super("Deploying " + engine.partition(id).map(Partition::reference).orElse(id));
            this.id = id;
        }

        @Override
        protected IStatus run(IProgressMonitor monitor) {
            try {
                engine.process(id, monitor);
                return Status.OK_STATUS;
            } catch (OperationCanceledException e) {
                return Status.CANCEL_STATUS;
            } finally {
                scheduled.remove(id);
                wakeUp();
            }
        }
    }

    private abstract static class ControllerJob extends Job {
        ControllerJob(String name) {
            super(name);
        }

        @Override
        public boolean belongsTo(Object family) {
            return family == FAMILY;
        }
    }
}
