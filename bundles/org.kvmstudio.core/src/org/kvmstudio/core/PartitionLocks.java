package org.kvmstudio.core;

import java.util.Arrays;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Supplier;

/**
 * The request engine's locks: one per partition, and one per reference requested in an instance tree.
 * A change of a partition is decided and written under that partition's lock alone, so that its
 * durable write (milliseconds, more while QEMU starts) holds up the next change of the same partition
 * and nothing else: ten requests at once no longer queue behind each other's writes.
 *
 * <p>A change that spans partitions (a slave and its master, an instance and what it requested) takes
 * one partition's lock after another, in the order a crash between the writes is repaired from, and
 * never two at once: {@link #partition} refuses a second, so no two changes can wait for each other.
 * A reference's lock (that no two requests of one reference both create it) is taken before a
 * partition's, never while one is held.
 */
final class PartitionLocks {

    /** Locks are shared by stripes of ids and references: their number is bounded, and collisions only serialize. */
    private static final int STRIPES = 64;

    private final ReentrantLock[] partitions = new ReentrantLock[STRIPES];
    private final ReentrantLock[] references = new ReentrantLock[STRIPES];
    /** The partition whose lock this thread holds, if any; a lock of another is refused. */
    private final ThreadLocal<String> held = new ThreadLocal<>();

    PartitionLocks() {
        Arrays.setAll(partitions, i -> new ReentrantLock());
        Arrays.setAll(references, i -> new ReentrantLock());
    }

    /**
     * Runs {@code work} holding partition {@code id}'s lock (again, if this thread holds it already).
     *
     * @throws IllegalStateException when this thread holds another partition's lock
     */
    <T> T partition(String id, Supplier<T> work) {
        String holding = held.get();
        if (holding != null && !holding.equals(id)) {
            throw new IllegalStateException("the lock of " + id + " asked for while holding that of " + holding);
        }
        ReentrantLock lock = partitions[stripe(id)];
        lock.lock();
        held.set(id);
        try {
            return work.get();
        } finally {
            if (holding == null) {
                held.remove();
            }
            lock.unlock();
        }
    }

    void partition(String id, Runnable work) {
        partition(id, () -> {
            work.run();
            return null;
        });
    }

    /**
     * Runs {@code work} holding the lock of {@code reference} as requested in {@code tree} (a user's
     * request: {@code null}), so that two requests of one reference find what the first created.
     *
     * @throws IllegalStateException when this thread holds a partition's lock
     */
    <T> T reference(String tree, String reference, Supplier<T> work) {
        if (held.get() != null) {
            throw new IllegalStateException("the lock of reference '" + reference + "' asked for while holding that of " + held.get());
        }
        ReentrantLock lock = references[stripe(tree + "\0" + reference)];
        lock.lock();
        try {
            return work.get();
        } finally {
            lock.unlock();
        }
    }

    /** Whether this thread holds a partition's or a reference's lock: the engine's events wait until it lets go. */
    boolean heldByCurrentThread() {
        return held.get() != null || Arrays.stream(references).anyMatch(ReentrantLock::isHeldByCurrentThread);
    }

    /** Whether this thread holds partition {@code id}'s lock. */
    boolean holds(String id) {
        return id.equals(held.get());
    }

    private static int stripe(String key) {
        return Math.floorMod(key.hashCode(), STRIPES);
    }
}
