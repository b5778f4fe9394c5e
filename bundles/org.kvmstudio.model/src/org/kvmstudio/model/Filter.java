package org.kvmstudio.model;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * SlapOS's {@code filter_kw}: where an instance may be placed. {@code computer_guid} names a
 * {@link Host}, {@code instance_guid} the master that hosts a shared instance.
 */
public record Filter(Map<String, String> values) {

    public static final String COMPUTER_GUID = "computer_guid";
    public static final String INSTANCE_GUID = "instance_guid";
    public static final String PROJECT_GUID = "project_guid";
    public static final String RETENTION_DELAY = "retention_delay";
    private static final Set<String> KNOWN = Set.of(COMPUTER_GUID, INSTANCE_GUID, PROJECT_GUID, RETENTION_DELAY);

    public static final Filter NONE = new Filter(Map.of());

    public Filter {
        Map<String, String> copy = new LinkedHashMap<>();
        if (values != null) {
            values.forEach((k, v) -> {
                if (!KNOWN.contains(k)) {
                    throw new InvalidRequestException("unknown filter " + Excerpt.quoted(k) + ": expected one of " + KNOWN);
                }
                if (v == null || v.isBlank()) {
                    throw new InvalidRequestException("filter " + Excerpt.quoted(k) + " needs a value");
                }
                copy.put(k, v);
            });
        }
        values = Collections.unmodifiableMap(copy);
    }

    public static Filter of(Map<String, String> values) {
        return values == null || values.isEmpty() ? NONE : new Filter(values);
    }

    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }
}
