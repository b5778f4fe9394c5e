package org.kvmstudio.core;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.InvalidRequestException;
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
        ParameterSchema schema = release(uri).inputFor(softwareType, shared);
        Parameters canonical = schema.canonicalize(parameters);
        schema.check("invalid parameters for " + (shared ? "shared " : "") + "software type " + Excerpt.quoted(softwareType),
                canonical);
        return canonical;
    }
}
