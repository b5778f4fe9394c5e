package org.kvmstudio.model;

import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** A software release: its URI, its names and the software types it offers, in display order. */
public record SoftwareRelease(String uri, String name, String description, String serialisation,
        List<SoftwareType> types) {

    public SoftwareRelease {
        Objects.requireNonNull(uri, "uri");
        name = name == null || name.isBlank() ? uri : name;
        description = description == null ? "" : description;
        types = types.stream().sorted(Comparator.comparingInt(SoftwareType::index).thenComparing(SoftwareType::id))
                .toList();
    }

    /** The descriptor entry with key {@code id}. */
    public Optional<SoftwareType> type(String id) {
        return types.stream().filter(t -> t.id().equals(id)).findFirst();
    }

    /** The entry a request of {@code softwareType} (shared or not) is validated against. */
    public Optional<SoftwareType> typeFor(String softwareType, boolean shared) {
        return types.stream().filter(t -> t.softwareType().equals(softwareType) && t.shared() == shared).findFirst();
    }
}
