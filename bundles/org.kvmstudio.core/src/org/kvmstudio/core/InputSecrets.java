package org.kvmstudio.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.workspace.PartitionState;
import org.kvmstudio.workspace.PartitionStore;

/**
 * The secret parameters users requested (a private key, a password): kept in each partition's private
 * state (owner only). The partition's file and its events carry {@value Secrets#MASK} in their place,
 * so that {@code info}, {@code list --json} and the GUI show that one is set, and a request that sends
 * the mask back (the instance editor, a re-request of what {@code info} printed) keeps the stored value.
 *
 * <p>They are kept per revision of the request, because the private state is written before the
 * partition's file: a revision whose file was never written (a crash, a full disk) is not taken for
 * the one the file holds, and a deployment of the previous revision still finds that revision's values.
 */
final class InputSecrets {

    private static final String KEY = "parameter-secrets";

    private final PartitionStore store;

    InputSecrets(PartitionStore store) {
        this.store = store;
    }

    /**
     * {@code p} as its file may hold it: each secret named in {@code names} stored privately and masked.
     * A value that is the mask already keeps what the revision before had; a secret no longer requested
     * is forgotten once the revision that dropped it is deployed.
     */
    Partition kept(Partition p, Set<String> names) {
        try {
            NavigableMap<Long, Parameters> stored = stored(p);
            // a mask keeps what the revision on file has: not what a revision whose file was never written left
            long filed = store.partition(p.id()).map(Partition::revision).orElse(p.revision());
            Parameters before = upTo(stored, Math.min(filed, p.revision()));
            Map<String, Object> secrets = new LinkedHashMap<>();
            Map<String, Object> written = new LinkedHashMap<>(p.parameters().asMap());
            written.forEach((name, value) -> {
                if (Secrets.MASK.equals(value)) {
                    before.get(name).ifPresent(kept -> secrets.put(name, kept));
                } else if (names.contains(name)) {
                    secrets.put(name, value);
                }
            });
            secrets.keySet().forEach(name -> written.put(name, Secrets.MASK));
            // this revision's values, and those of every revision since the one on the host (a deployment of
            // any of them may still read them, or quote them in an error); later ones never reached the file
            NavigableMap<Long, Parameters> next = new TreeMap<>();
            Long deployed = stored.floorKey(p.appliedRevision());
            stored.subMap(deployed == null ? Long.MIN_VALUE : deployed, true, p.revision(), false).forEach(next::put);
            next.put(p.revision(), Parameters.of(secrets));
            if (!next.equals(stored)) {
                boolean none = next.values().stream().allMatch(Parameters::isEmpty);
                Map<String, Object> json = new LinkedHashMap<>();
                next.forEach((revision, values) -> json.put(Long.toString(revision), values.asMap()));
                store.state(p.id()).put(KEY, none ? null : json);
            }
            return p.withParameters(Parameters.of(written));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the private state of " + p.reference(), e);
        }
    }

    /** {@code p}'s parameters with the stored value in place of each mask (a mask whose value is lost stays). */
    Parameters revealed(Partition p) {
        try {
            Parameters kept = upTo(stored(p), p.revision());
            Map<String, Object> values = new LinkedHashMap<>(p.parameters().asMap());
            values.replaceAll((name, value) -> Secrets.MASK.equals(value) ? kept.get(name).orElse(value) : value);
            return Parameters.of(values);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private state of " + p.reference(), e);
        }
    }

    /**
     * What {@code p} deploys with: {@link #revealed}, where every mask stands for a kept value.
     *
     * @throws InvalidParametersException when a value was lost with the private state (set aside as unreadable)
     */
    Parameters deployable(Partition p) {
        try {
            return unmasked(p.parameters(), upTo(stored(p), p.revision()), p.reference());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private state of " + p.reference(), e);
        }
    }

    /**
     * {@code requested} with each mask at a secret named in {@code names} replaced by what
     * {@code existing} (none for a new instance) keeps.
     *
     * @throws InvalidParametersException for a mask that stands for nothing kept
     */
    Parameters unmasked(Parameters requested, Partition existing, Set<String> names) {
        try {
            Map<String, Object> secretOnes = new LinkedHashMap<>(requested.asMap());
            secretOnes.keySet().retainAll(names); // a value that is the mask but no secret is a value like any other
            Parameters kept = existing == null ? Parameters.EMPTY : upTo(stored(existing), existing.revision());
            return requested.merge(unmasked(Parameters.of(secretOnes), kept, existing == null ? null : existing.reference()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private state of " + existing.reference(), e);
        }
    }

    /**
     * The secret values to mask in {@code p}'s messages, those of the revision before included (a
     * provisioner may still quote the key it replaces); none when they cannot be read (the message stays useful).
     */
    List<String> values(Partition p) {
        try {
            List<String> all = new ArrayList<>();
            stored(p).values().forEach(v -> all.addAll(Secrets.values(v)));
            return all;
        } catch (IOException unreadable) {
            return List.of();
        }
    }

    private static Parameters unmasked(Parameters requested, Parameters stored, String storedBy) {
        Map<String, Object> values = new LinkedHashMap<>(requested.asMap());
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (Secrets.MASK.equals(e.getValue())) {
                Object kept = stored.get(e.getKey()).orElse(null);
                if (kept == null) {
                    String why = storedBy == null ? "stands for a secret value kept by an instance, and this is a new one: give the value itself"
                            : "stands for the value '" + storedBy + "' keeps out of sight, and it keeps none (its private state was lost"
                                    + " or it never had one): give the value itself";
                    throw new InvalidParametersException("a secret parameter is missing",
                            List.of(new ParameterProblem("/" + e.getKey(), Secrets.MASK + " " + why)));
                }
                e.setValue(kept);
            }
        }
        return Parameters.of(values);
    }

    /** The values of the latest revision up to {@code revision}. */
    private static Parameters upTo(NavigableMap<Long, Parameters> stored, long revision) {
        Map.Entry<Long, Parameters> e = stored.floorEntry(revision);
        return e == null ? Parameters.EMPTY : e.getValue();
    }

    /**
     * The kept values by revision; what is not such an entry (a hand-edited file) is skipped. Values
     * kept by name alone (as the first version of this class did) are taken for the partition's revision.
     */
    @SuppressWarnings("unchecked")
    private NavigableMap<Long, Parameters> stored(Partition p) throws IOException {
        NavigableMap<Long, Parameters> byRevision = new TreeMap<>();
        Object kept = store.state(p.id()).get(KEY).orElse(null);
        if (kept instanceof Map<?, ?> map) {
            Map<String, Object> byName = new LinkedHashMap<>();
            map.forEach((key, values) -> {
                if (key instanceof String r && r.matches("[0-9]{1,18}") && values instanceof Map<?, ?> v) {
                    byRevision.put(Long.parseLong(r), Parameters.of((Map<String, Object>) v));
                } else if (key instanceof String name && !(values instanceof Map<?, ?>)) {
                    byName.put(name, values);
                }
            });
            if (!byName.isEmpty()) {
                byRevision.merge(p.revision(), Parameters.of(byName), Parameters::merge);
            }
        }
        return byRevision;
    }

    /** Forgets what {@code p} kept: a partition that was never filed. Its directory goes too if nothing else is in it. */
    void forget(Partition p) throws IOException {
        PartitionState state = store.state(p.id());
        state.put(KEY, null);
        if (state.values().isEmpty()) {
            try (var files = Files.list(state.directory())) {
                if (files.allMatch(f -> f.getFileName().toString().equals("state.json"))) {
                    state.delete();
                }
            }
        }
    }
}
