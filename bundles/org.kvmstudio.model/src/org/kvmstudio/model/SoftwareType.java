package org.kvmstudio.model;

import java.util.Objects;

/**
 * One entry of a release's {@code software-type} table.
 *
 * @param id             the key in {@code software.cfg.json} (e.g. {@code frontend-slave})
 * @param softwareType   the software type requested (e.g. {@code frontend}); equals {@code id} unless
 *                       the descriptor names another, as shared entries do
 * @param shared         whether this entry describes the shared (slave) form of the type
 * @param requestSchema  the input schema's path relative to the descriptor, or {@code null}
 * @param responseSchema the output schema's path relative to the descriptor, or {@code null}
 */
public record SoftwareType(String id, String softwareType, String title, String description, boolean shared,
        int index, String requestSchema, String responseSchema, String serialisation) {

    public SoftwareType {
        Objects.requireNonNull(id, "id");
        softwareType = softwareType == null || softwareType.isBlank() ? id : softwareType;
        title = title == null || title.isBlank() ? id : title;
        description = description == null ? "" : description;
    }
}
