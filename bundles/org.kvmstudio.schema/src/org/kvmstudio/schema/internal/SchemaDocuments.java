package org.kvmstudio.schema.internal;

import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kvmstudio.input.InputFileException;
import org.kvmstudio.input.JsonInput;
import org.kvmstudio.model.Excerpt;
import org.kvmstudio.schema.SchemaLoadException;
import org.kvmstudio.schema.SchemaSource;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.MissingNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.path.NodePath;

/**
 * The schema documents of one release, read once from its {@link SchemaSource}, upgraded where
 * they use pre-draft-04 idioms, and addressed by source-relative path. Every {@code $ref} is
 * resolved here, so a reference cannot leave the release's folder.
 */
public final class SchemaDocuments {

    /** Base of the IRIs the validator sees; never fetched: the validator asks {@link #text(String)}. */
    public static final String BASE_IRI = "https://release.kvmstudio.invalid/";

    /** A schema node and the document it was found in. */
    public record Located(JsonNode node, String document, String pointer) {
        public String where() {
            return document + "#" + pointer;
        }
    }

    private final SchemaSource source;
    private final Map<String, JsonNode> documents = new HashMap<>();
    private final List<String> warnings = new ArrayList<>();

    public SchemaDocuments(SchemaSource source) {
        this.source = source;
    }

    public SchemaSource source() {
        return source;
    }

    /** The document at {@code path}, read and upgraded on first use. */
    public synchronized JsonNode document(String path) throws SchemaLoadException {
        JsonNode doc = documents.get(path);
        if (doc == null) {
            doc = read(path);
            documents.put(path, doc);
        }
        return doc;
    }

    /** The (upgraded) text of the document an IRI under {@link #BASE_IRI} names, or {@code null}. */
    public String text(String iri) {
        if (!iri.startsWith(BASE_IRI)) {
            return null;
        }
        try {
            return JsonValues.MAPPER.writeValueAsString(document(iri.substring(BASE_IRI.length())));
        } catch (SchemaLoadException | JsonProcessingException e) {
            return null;
        }
    }

    /**
     * The keyword {@code name} beside the keyword a validator error points at ({@code
     * exclusiveMinimum} beside {@code minimum}), or a missing node.
     */
    public JsonNode sibling(SchemaLocation location, String name) {
        String iri = location == null || location.getAbsoluteIri() == null ? "" : location.getAbsoluteIri().toString();
        if (!iri.startsWith(BASE_IRI)) {
            return MissingNode.getInstance();
        }
        try {
            JsonNode node = document(iri.substring(BASE_IRI.length()));
            NodePath keyword = location.getFragment();
            for (int i = 0; i < keyword.getNameCount() - 1; i++) {
                Object element = keyword.getElement(i);
                node = element instanceof Integer index ? node.path(index) : node.path(String.valueOf(element));
            }
            return node.path(name);
        } catch (SchemaLoadException e) {
            return MissingNode.getInstance();
        }
    }

    /** Messages about idioms that were upgraded or dropped, each naming its file. */
    public synchronized List<String> warnings() {
        return List.copyOf(warnings);
    }

    /** Resolves {@code ref} (as found in {@code from}) to the node it names. */
    public Located resolve(Located from, String ref) throws SchemaLoadException {
        int hash = ref.indexOf('#');
        String file = hash < 0 ? ref : ref.substring(0, hash);
        String fragment = hash < 0 ? "" : ref.substring(hash + 1);
        String target = file.isEmpty() ? from.document() : resolvePath(from.document(), file);
        JsonNode doc = document(target);
        if (!fragment.isEmpty() && !fragment.startsWith("/")) {
            throw new SchemaLoadException(source.describe(from.document()) + ": $ref " + Excerpt.shortened(ref)
                    + " uses an anchor; only JSON pointers are supported");
        }
        JsonNode node;
        try {
            node = doc.at(unescapeUriFragment(fragment));
        } catch (IllegalArgumentException e) {
            throw new SchemaLoadException(source.describe(from.document()) + ": $ref " + Excerpt.shortened(ref) + " is not a valid JSON pointer", e);
        }
        if (node.isMissingNode()) {
            throw new SchemaLoadException(source.describe(from.document()) + ": $ref " + Excerpt.shortened(ref) + " points to nothing in "
                    + source.describe(target));
        }
        return new Located(node, target, fragment);
    }

    /** {@code relative} resolved against the folder of {@code document}, refused if it leaves the source. */
    public String resolvePath(String document, String relative) throws SchemaLoadException {
        return resolvePath(document, relative, "$ref");
    }

    /** @param what how messages name the reference: a {@code $ref}, or a descriptor's schema entry */
    public String resolvePath(String document, String relative, String what) throws SchemaLoadException {
        if (relative.contains(":")) {
            // Releases are self-contained: nothing is fetched from the network at load time.
            throw new SchemaLoadException(source.describe(document) + ": " + what + " " + Excerpt.shortened(relative)
                    + " names another site; only references inside the release are supported");
        }
        try {
            URI base = new URI("file", null, "/" + document, null);
            URI resolved = base.resolve(new URI(null, null, relative, null)).normalize();
            String path = resolved.getPath();
            if (resolved.getScheme() == null || !"file".equals(resolved.getScheme()) || path == null
                    || !path.startsWith("/") || path.contains("/../") || path.startsWith("/..")) {
                throw new SchemaLoadException(source.describe(document) + ": " + what + " " + Excerpt.shortened(relative)
                        + " leaves the release's folder");
            }
            return path.substring(1);
        } catch (URISyntaxException | IllegalArgumentException e) {
            throw new SchemaLoadException(source.describe(document) + ": " + what + " " + Excerpt.shortened(relative) + " is not a valid reference", e);
        }
    }

    private JsonNode read(String path) throws SchemaLoadException {
        byte[] bytes;
        try {
            bytes = source.read(path);
        } catch (NoSuchFileException e) {
            throw new SchemaLoadException(source.describe(path) + ": " + (e.getReason() == null ? "file not found" : e.getReason()));
        } catch (InputFileException e) {
            throw new SchemaLoadException(source.describe(path) + ": " + e.reason(), e);
        } catch (IOException e) {
            throw new SchemaLoadException(source.describe(path) + ": cannot be read: " + Excerpt.sentence(e.getMessage()), e);
        }
        JsonNode doc;
        try {
            doc = JsonValues.MAPPER.readTree(bytes); // from bytes: Jackson detects the encoding and refuses bad UTF-8
        } catch (JsonProcessingException e) {
            throw new SchemaLoadException(source.describe(path) + ": not valid JSON: " + JsonInput.problem(e), e);
        } catch (IOException e) { // from a byte array, only a decoding failure
            throw new SchemaLoadException(source.describe(path) + ": cannot be read: " + Excerpt.sentence(e.getMessage()), e);
        }
        if (doc == null || !(doc.isObject() || doc.isBoolean())) {
            throw new SchemaLoadException(source.describe(path) + ": a schema must be a JSON object");
        }
        if (doc instanceof ObjectNode object) {
            List<String> upgrades = LegacySchemaUpgrader.upgrade(object);
            upgrades.forEach(u -> warnings.add(source.describe(path) + ": " + u));
        }
        checkReferences(path, doc);
        return doc;
    }

    /**
     * Every {@code $ref} of a document, wherever it sits (also under {@code not}, {@code if} or
     * keywords the field model does not read), stays inside the release: the validator would
     * otherwise resolve {@code classpath:} and {@code resource:} references on its own.
     */
    private void checkReferences(String path, JsonNode node) throws SchemaLoadException {
        if (node.isObject()) {
            JsonNode ref = node.get("$ref");
            if (ref != null && ref.isTextual()) {
                String file = ref.asText().contains("#") ? ref.asText().substring(0, ref.asText().indexOf('#')) : ref.asText();
                if (!file.isEmpty()) {
                    resolvePath(path, file);
                }
            }
        }
        if (node.isContainerNode()) {
            for (JsonNode child : node) {
                checkReferences(path, child);
            }
        }
    }

    private static String unescapeUriFragment(String fragment) {
        return java.net.URLDecoder.decode(fragment.replace("+", "%2B"), StandardCharsets.UTF_8);
    }
}
