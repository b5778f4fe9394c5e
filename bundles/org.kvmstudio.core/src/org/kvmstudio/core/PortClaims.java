package org.kvmstudio.core;

import java.io.IOException;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.OptionalInt;
import java.util.Set;
import java.util.function.IntPredicate;
import java.util.function.Predicate;

import org.kvmstudio.model.Partition;
import org.kvmstudio.workspace.PartitionState;
import org.kvmstudio.workspace.PartitionStore;

/**
 * The TCP ports partitions use on their hosts (an NBD export's, an upload endpoint's), recorded in
 * each partition's private state so that a partition keeps its port across runs and restarts, and no
 * two partitions of a host are given the same one.
 */
final class PortClaims {

    private static final String PORTS = "ports";

    private final PartitionStore store;

    PortClaims(PartitionStore store) {
        this.store = store;
    }

    /**
     * A port for {@code purpose} of partition {@code p}: the one its state records, else the first
     * from {@code preferred} up that no partition on the same host claims and {@code free} accepts.
     */
    synchronized int claim(Partition p, String purpose, int preferred, IntPredicate free) throws IOException {
        return claim(p, purpose, preferred, free, other -> Objects.equals(other.hostId(), p.hostId()));
    }

    /** As {@link #claim}, for a port of this machine: no partition on any host claims it. */
    synchronized int claimLocal(Partition p, String purpose, int preferred, IntPredicate free) throws IOException {
        return claim(p, purpose, preferred, free, other -> true);
    }

    /** The port {@code p} has for {@code purpose}, if it claimed one. */
    synchronized OptionalInt claimed(Partition p, String purpose) throws IOException {
        return ports(store.state(p.id())).get(purpose) instanceof Long port ? OptionalInt.of(port.intValue()) : OptionalInt.empty();
    }

    private int claim(Partition p, String purpose, int preferred, IntPredicate free, Predicate<Partition> sharing)
            throws IOException {
        PartitionState state = store.state(p.id());
        Map<String, Object> mine = ports(state);
        if (mine.get(purpose) instanceof Long port) {
            return port.intValue();
        }
        Set<Long> taken = new HashSet<>();
        for (Partition other : store.partitions()) {
            if (sharing.test(other)) {
                ports(store.state(other.id())).values().forEach(v -> {
                    if (v instanceof Long l) {
                        taken.add(l);
                    }
                });
            }
        }
        for (int port = preferred; port <= 65535; port++) {
            if (!taken.contains((long) port) && free.test(port)) {
                Map<String, Object> updated = new LinkedHashMap<>(mine);
                updated.put(purpose, (long) port);
                state.put(PORTS, updated);
                return port;
            }
        }
        throw new IOException("no free port from " + preferred + " up for " + purpose);
    }

    /** Gives up the port {@code p} has for {@code purpose} (another program took it while it was not in use). */
    synchronized void release(Partition p, String purpose) throws IOException {
        PartitionState state = store.state(p.id());
        Map<String, Object> updated = new LinkedHashMap<>(ports(state));
        if (updated.remove(purpose) != null) {
            state.put(PORTS, updated.isEmpty() ? null : updated);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> ports(PartitionState state) throws IOException {
        return state.get(PORTS).filter(Map.class::isInstance).map(m -> (Map<String, Object>) m).orElse(Map.of());
    }
}
