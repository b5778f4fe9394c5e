package org.kvmstudio.core;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.ReleaseProvider;
import org.kvmstudio.schema.SchemaLoadException;

/** The software releases the application knows, by URI. */
public final class ReleaseCatalog {

    private final Map<String, LoadedRelease> releases = new TreeMap<>();

    public synchronized void add(LoadedRelease release) {
        releases.put(release.release().uri(), release);
    }

    public void add(ReleaseProvider provider) throws SchemaLoadException {
        add(provider.load());
    }

    public synchronized void remove(String uri) {
        releases.remove(uri);
    }

    public synchronized List<LoadedRelease> releases() {
        return List.copyOf(releases.values());
    }

    /** @throws InvalidRequestException naming the releases that exist, when {@code uri} is unknown */
    public synchronized LoadedRelease release(String uri) {
        LoadedRelease r = releases.get(uri);
        if (r == null) {
            throw new InvalidRequestException("unknown software release " + Excerpt.quoted(uri) + "; installed: " + releases.keySet());
        }
        return r;
    }

    /** {@code parameters} under the canonical names of the type's schema, unchecked otherwise. */
    public Parameters canonical(String uri, String softwareType, boolean shared, Parameters parameters) {
        return release(uri).inputFor(softwareType, shared).canonicalize(parameters);
    }

    /**
     * The parameters of a request of {@code softwareType} under their canonical names, checked
     * against the type's input schema.
     *
     * @throws InvalidParametersException listing every problem
     * @throws InvalidRequestException when the release or type does not exist
     */
    public Parameters checkedParameters(String uri, String softwareType, boolean shared, Parameters parameters) {
        return checkedParameters(uri, softwareType, shared, parameters, problem -> false);
    }

    /** {@link #checkedParameters(String, String, boolean, Parameters)}, but for the problems {@code excused} lets pass. */
    public Parameters checkedParameters(String uri, String softwareType, boolean shared, Parameters parameters,
            Predicate<ParameterProblem> excused) {
        ParameterSchema schema = release(uri).inputFor(softwareType, shared);
        Parameters canonical = schema.canonicalize(parameters);
        List<ParameterProblem> problems = schema.validate(canonical).stream().filter(excused.negate()).toList();
        if (!problems.isEmpty()) {
            throw new InvalidParametersException("invalid parameters for " + (shared ? "shared " : "") + "software type "
                    + Excerpt.quoted(softwareType), problems);
        }
        return canonical;
    }

    /**
     * The names of the type's secret top-level parameters, aliases included: kept out of partition files and templates.
     *
     * @throws InvalidRequestException when the release or type does not exist
     */
    public Set<String> secretNames(String uri, String softwareType, boolean shared) {
        return Secrets.names(release(uri).inputFor(softwareType, shared));
    }
}
