package org.kvmstudio.model;

/** Told of every partition change; called on the thread that made the change. */
@FunctionalInterface
public interface InstanceListener {
    void instanceChanged(InstanceEvent event);
}
