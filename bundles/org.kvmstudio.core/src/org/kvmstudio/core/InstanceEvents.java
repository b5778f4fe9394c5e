package org.kvmstudio.core;

import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Semaphore;
import java.util.function.BooleanSupplier;

import org.eclipse.core.runtime.ISafeRunnable;
import org.eclipse.core.runtime.SafeRunner;
import org.kvmstudio.model.InstanceEvent;
import org.kvmstudio.model.InstanceListener;

/**
 * The engine's listeners and the events waiting for them. Events are queued while the engine holds
 * a lock and delivered after it lets go, in order, by one thread at a time: a listener may then
 * call the engine back, or wait for the UI thread, without deadlocking it, and one that throws is
 * logged without cutting a change short.
 *
 * <p>A listener that changes the engine queues more events; they are delivered after the current
 * event has reached every listener, by the loop already delivering, never from inside that call
 * (which would let later events overtake earlier ones).
 */
final class InstanceEvents {

    private final List<InstanceListener> listeners = new CopyOnWriteArrayList<>();
    private final Queue<InstanceEvent> pending = new ConcurrentLinkedQueue<>();
    /** Not reentrant, unlike a ReentrantLock: the delivering thread must not deliver again from a listener. */
    private final Semaphore delivering = new Semaphore(1);

    void add(InstanceListener listener) {
        listeners.add(listener);
    }

    void remove(InstanceListener listener) {
        listeners.remove(listener);
    }

    void queue(InstanceEvent event) {
        pending.add(event);
    }

    /**
     * Delivers what is queued, unless this thread holds one of the engine's locks ({@code locked}; then
     * the caller delivers later) or a thread, this one included, is delivering (it picks these up before it stops).
     */
    void deliver(BooleanSupplier locked) {
        while (!pending.isEmpty() && !locked.getAsBoolean() && delivering.tryAcquire()) {
            try {
                for (InstanceEvent event = pending.poll(); event != null; event = pending.poll()) {
                    for (InstanceListener listener : listeners) {
                        InstanceEvent e = event;
                        SafeRunner.run(new ISafeRunnable() {
                            @Override
                            public void run() {
                                listener.instanceChanged(e);
                            }

                            @Override
                            public void handleException(Throwable exception) {
                                // SafeRunner has logged it; the other listeners still hear of the change
                            }
                        });
                    }
                }
            } finally {
                delivering.release();
            }
        }
    }
}
