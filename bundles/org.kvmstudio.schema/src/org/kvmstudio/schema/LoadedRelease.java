package org.kvmstudio.schema;

import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.SoftwareRelease;
import org.kvmstudio.model.SoftwareType;

/**
 * A release descriptor with the schemas of its software types. A type whose schema is missing or
 * broken stays listed, without a schema, and {@link #problems()} says why.
 */
public final class LoadedRelease {

    private final SoftwareRelease release;
    private final Map<String, ParameterSchema> inputs;
    private final Map<String, ParameterSchema> outputs;
    private final List<String> problems;

    LoadedRelease(SoftwareRelease release, Map<String, ParameterSchema> inputs, Map<String, ParameterSchema> outputs,
            List<String> problems) {
        this.release = release;
        this.inputs = Map.copyOf(inputs);
        this.outputs = Map.copyOf(outputs);
        this.problems = List.copyOf(problems);
    }

    public SoftwareRelease release() {
        return release;
    }

    /** The input schema of the descriptor entry {@code typeId}. */
    public Optional<ParameterSchema> input(String typeId) {
        return Optional.ofNullable(inputs.get(typeId));
    }

    /** The output (connection parameters) schema of the descriptor entry {@code typeId}. */
    public Optional<ParameterSchema> output(String typeId) {
        return Optional.ofNullable(outputs.get(typeId));
    }

    /**
     * The input schema a request of {@code softwareType} (shared or not) is checked against.
     *
     * @throws InvalidRequestException saying which types exist, when the release has no such type,
     *         or why its schema could not be loaded
     */
    public ParameterSchema inputFor(String softwareType, boolean shared) {
        SoftwareType type = release.typeFor(softwareType, shared).orElseThrow(() -> new InvalidRequestException(
                "release " + release.uri() + " has no " + (shared ? "shared " : "") + "software type " + Excerpt.quoted(softwareType)
                        + "; it offers " + release.types().stream()
                                .map(t -> t.shared() ? t.softwareType() + " (shared)" : t.softwareType()).toList()));
        return input(type.id()).orElseThrow(() -> new InvalidRequestException("the schema of software type '"
                + type.id() + "' of release " + release.uri() + " could not be loaded: " + problemsOf(type.id())));
    }

    /** Problems met while loading, each naming its file. */
    public List<String> problems() {
        return problems;
    }

    private String problemsOf(String typeId) {
        return problems.stream().filter(p -> p.startsWith(typeId + ": ")).findFirst().orElse("unknown reason");
    }
}
