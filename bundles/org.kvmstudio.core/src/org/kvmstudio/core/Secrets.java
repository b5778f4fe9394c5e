package org.kvmstudio.core;

import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kvmstudio.model.Parameters;
import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.ParameterSchema;

/**
 * Parameters a schema marks secret (passwords, keys): kept out of partition files, events and status
 * messages. Published secrets live in the partition's private state instead; a message that would
 * repeat one says {@value #MASK} in its place.
 */
final class Secrets {

    static final String MASK = "********";
    /** Longest status message kept: a message is read by a person, and a provisioner's error may quote without end. */
    static final int MAX_MESSAGE = 2000;
    /** Values shorter than this are not searched for in messages: "1" or "no" would mask half a sentence. */
    private static final int SHORTEST_MASKED = 4;

    private Secrets() {
    }

    /** The names (aliases included) of the top-level parameters {@code schema} marks secret. */
    static Set<String> names(ParameterSchema schema) {
        Set<String> names = new HashSet<>();
        for (Field f : schema.root().properties()) {
            if (f.secret()) {
                names.add(f.name());
                names.addAll(f.aliases());
            }
        }
        return names;
    }

    static Parameters only(Parameters parameters, Set<String> names) {
        Map<String, Object> kept = new LinkedHashMap<>();
        parameters.asMap().forEach((k, v) -> {
            if (names.contains(k)) {
                kept.put(k, v);
            }
        });
        return Parameters.of(kept);
    }

    static Parameters without(Parameters parameters, Set<String> names) {
        Map<String, Object> kept = new LinkedHashMap<>(parameters.asMap());
        kept.keySet().removeAll(names);
        return Parameters.of(kept);
    }

    /** The string values of {@code parameters} worth masking. */
    static List<String> values(Parameters parameters) {
        return parameters.asMap().values().stream().filter(v -> v instanceof String s && s.length() >= SHORTEST_MASKED)
                .map(String.class::cast).toList();
    }

    /** {@code message} with every secret value masked, and cut to {@link #MAX_MESSAGE} characters. */
    static String redact(String message, Collection<String> secretValues) {
        String m = message;
        for (String secret : secretValues) {
            m = m.replace(secret, MASK);
        }
        return m.length() <= MAX_MESSAGE ? m : m.substring(0, MAX_MESSAGE) + "…";
    }
}
