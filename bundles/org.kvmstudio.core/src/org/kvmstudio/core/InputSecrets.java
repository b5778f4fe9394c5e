package org.kvmstudio.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.workspace.PartitionStore;

/**
 * The secret parameters users requested (a private key, a password): kept in each partition's private
 * state (owner only). The partition's file and its events carry {@value Secrets#MASK} in their place,
 * so that {@code info}, {@code list --json} and the GUI show that one is set, and a request that sends
 * the mask back (the instance editor, a re-request of what {@code info} printed) keeps the stored value.
 */
final class InputSecrets {

    private static final String KEY = "parameter-secrets";

    private final PartitionStore store;

    InputSecrets(PartitionStore store) {
        this.store = store;
    }

    /**
     * {@code p} as its file may hold it: each secret named in {@code names} stored privately and masked.
     * A value that is the mask already keeps what is stored; a secret no longer requested is forgotten.
     */
    Partition kept(Partition p, Set<String> names) {
        try {
            Parameters stored = of(p);
            Map<String, Object> secrets = new LinkedHashMap<>();
            Map<String, Object> written = new LinkedHashMap<>(p.parameters().asMap());
            written.forEach((name, value) -> {
                if (Secrets.MASK.equals(value)) {
                    stored.get(name).ifPresent(kept -> secrets.put(name, kept));
                } else if (names.contains(name)) {
                    secrets.put(name, value);
                }
            });
            secrets.keySet().forEach(name -> written.put(name, Secrets.MASK));
            if (!secrets.equals(stored.asMap())) {
                store.state(p.id()).put(KEY, secrets.isEmpty() ? null : secrets);
            }
            return p.withParameters(Parameters.of(written));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot save the private state of " + p.reference(), e);
        }
    }

    /** {@code p}'s parameters with the stored value in place of each mask (a mask whose value is lost stays). */
    Parameters revealed(Partition p) {
        try {
            Parameters stored = of(p);
            Map<String, Object> values = new LinkedHashMap<>(p.parameters().asMap());
            values.replaceAll((name, value) -> Secrets.MASK.equals(value) ? stored.get(name).orElse(value) : value);
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
            return unmasked(p.parameters(), of(p), p.reference());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private state of " + p.reference(), e);
        }
    }

    /**
     * {@code requested} with each mask replaced by what {@code existing} (none for a new instance) keeps.
     *
     * @throws InvalidParametersException for a mask that stands for nothing kept
     */
    Parameters unmasked(Parameters requested, Partition existing, Set<String> names) {
        try {
            Map<String, Object> secretOnes = new LinkedHashMap<>(requested.asMap());
            secretOnes.keySet().retainAll(names); // a value that is the mask but no secret is a value like any other
            Parameters unmasked = unmasked(Parameters.of(secretOnes), existing == null ? Parameters.EMPTY : of(existing),
                    existing == null ? null : existing.reference());
            return requested.merge(unmasked);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the private state of " + existing.reference(), e);
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

    @SuppressWarnings("unchecked")
    private Parameters of(Partition p) throws IOException {
        return store.state(p.id()).get(KEY).filter(Map.class::isInstance)
                .map(m -> Parameters.of((Map<String, Object>) m)).orElse(Parameters.EMPTY);
    }
}
