package org.kvmstudio.core;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;

/**
 * What a request would do, worked out without changing anything: whether it makes a new partition,
 * changes one (and which parameters) or changes nothing; the parameters its provisioner would get;
 * the host it would go to; and what would be defined there (a KVM's domain XML, secrets left out).
 *
 * @param changes  per changed parameter name, its value before and after ({@code null} when absent)
 * @param host     the host it is or would be placed on
 * @param hostNote why it has no host, when it has none
 * @param live     for an existing partition, what is defined on its host now (to compare {@code definition} with)
 */
public record Plan(Kind kind, InstanceRequest request, Parameters effectiveParameters, Map<String, Change> changes,
        Optional<String> host, String hostNote, Optional<String> definition, Optional<String> live) {

    public enum Kind { NEW, CHANGED, UNCHANGED, DESTROY }

    /** A parameter's value before and after the request. */
    public record Change(Object before, Object after) {
    }

    public Plan {
        Objects.requireNonNull(kind, "kind");
        changes = Map.copyOf(changes);
        hostNote = hostNote == null ? "" : hostNote;
    }
}
