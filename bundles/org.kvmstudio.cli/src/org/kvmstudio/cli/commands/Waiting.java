package org.kvmstudio.cli.commands;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.model.Partition;

/**
 * Brings a requested instance along: where the command owns the workspace only for itself, it
 * deploys the instance's tree here (once, or until ready with {@code --wait}); where an owner runs,
 * its controller deploys, and the command only watches. Progress goes to standard error.
 */
final class Waiting {

    private Waiting() {
    }

    /**
     * @param id the partition to watch (a root, a child, a slave)
     * @return the partition afterwards, or empty once it is gone (destroyed)
     */
    static Optional<Partition> converge(CliContext c, RequestEngine engine, String id, boolean wait, Duration timeout) {
        Object changed = new Object();
        org.kvmstudio.model.InstanceListener wake = event -> {
            synchronized (changed) {
                changed.notifyAll();
            }
        };
        engine.addListener(wake);
        try {
            return converge(c, engine, id, wait, timeout, changed);
        } finally {
            engine.removeListener(wake);
        }
    }

    private static Optional<Partition> converge(CliContext c, RequestEngine engine, String id, boolean wait, Duration timeout,
            Object changed) {
        Instant deadline = Instant.now().plus(timeout);
        String lastSaid = null;
        while (true) {
            if (c.temporaryOwner()) {
                for (String pending : tree(engine, id)) {
                    engine.process(pending, new NullProgressMonitor());
                }
            }
            Optional<Partition> p = engine.partition(id);
            if (p.isEmpty() || p.get().isReady() || !wait) {
                return p;
            }
            String said = Output.status(p.get());
            if (!Objects.equals(said, lastSaid)) {
                c.err().println(p.get().reference() + ": " + said);
                c.err().flush();
                lastSaid = said;
            }
            if (Instant.now().isAfter(deadline) || c.abandoned()) {
                return p;
            }
            if (c.temporaryOwner()) {
                sleep(pause(engine));
            } else {
                // the owner's controller deploys: wake as soon as the partition changes
                synchronized (changed) {
                    try {
                        changed.wait(200);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                        return p;
                    }
                }
            }
        }
    }

    /**
     * The partition and what it requested, and the masters of the slaves among them (a KVM's frontend
     * entry is dropped by its frontend): what deploying it involves.
     */
    private static List<String> tree(RequestEngine engine, String id) {
        Optional<Partition> p = engine.partition(id);
        if (p.isEmpty()) {
            return List.of();
        }
        Set<String> masters = engine.partitions().stream()
                .filter(o -> o.instanceTree().equals(p.get().instanceTree()) && o.masterId() != null)
                .map(Partition::masterId).collect(Collectors.toSet());
        return engine.pending().stream().filter(other -> engine.partition(other)
                .map(o -> o.instanceTree().equals(p.get().instanceTree()) || masters.contains(o.id()))
                .orElse(false)).toList();
    }

    /** Until the next retry is due, at most a second. */
    private static long pause(RequestEngine engine) {
        return engine.nextRetry().map(at -> Math.max(50, Math.min(1000, Duration.between(Instant.now(), at).toMillis())))
                .orElse(200L);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
