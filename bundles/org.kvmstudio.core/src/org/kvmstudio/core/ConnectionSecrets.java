package org.kvmstudio.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;

import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.workspace.PartitionStore;

/**
 * The secret connection parameters partitions published (a VNC password, an upload key): kept in
 * each partition's private state (owner only), never in its public file nor in events.
 */
final class ConnectionSecrets {

    private static final String KEY = "connection-secrets";

    private final PartitionStore store;

    ConnectionSecrets(PartitionStore store) {
        this.store = store;
    }

    /** What {@code p} published, its secrets included. */
    Parameters merged(Partition p) {
        try {
            return p.connectionParameters().merge(of(p));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private state of " + p.reference(), e);
        }
    }

    void keep(Partition p, Parameters secrets) {
        try {
            store.state(p.id()).put(KEY, secrets.isEmpty() ? null : secrets.asMap());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the private state of " + p.reference(), e);
        }
    }

    /** The secret values to mask in {@code p}'s messages; none when they cannot be read (the message stays useful). */
    List<String> values(Partition p) {
        try {
            return Secrets.values(of(p));
        } catch (IOException unreadable) {
            return List.of();
        }
    }

    @SuppressWarnings("unchecked")
    private Parameters of(Partition p) throws IOException {
        return store.state(p.id()).get(KEY).filter(Map.class::isInstance)
                .map(m -> Parameters.of((Map<String, Object>) m)).orElse(Parameters.EMPTY);
    }
}
