package org.kvmstudio.model;

/** A partition appeared, changed or went away. */
public record InstanceEvent(Kind kind, Partition partition) {

    public enum Kind { ADDED, CHANGED, REMOVED }
}
