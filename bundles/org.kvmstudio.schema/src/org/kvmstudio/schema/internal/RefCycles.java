package org.kvmstudio.schema.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.schema.SchemaLoadException;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Refuses a schema that would check a value forever: a loop of {@code $ref}s (or of
 * {@code allOf}/{@code anyOf}/{@code oneOf}/{@code not}/{@code if}) that comes back to where it started
 * without stepping into a part of the value. The validator follows such a loop until the stack
 * overflows, on the first value it checks. Loops through {@code properties} or {@code items} are
 * fine: they end with the value.
 */
public final class RefCycles {

    /** Keywords whose subschemas apply to the same value as the schema holding them. */
    private static final Set<String> SAME_VALUE_ARRAYS = Set.of("allOf", "anyOf", "oneOf");
    private static final Set<String> SAME_VALUE_SCHEMAS = Set.of("not", "if", "then", "else");
    /** Keywords holding a map of name to a subschema applied to the same value. */
    private static final Set<String> SAME_VALUE_MAPS = Set.of("dependentSchemas", "dependencies");
    /** A chain of references this long is no schema a person wrote; following it further would risk the stack. */
    private static final int MAX_CHAIN = 256;
    /** Keywords holding values, not schemas: a {@code "$ref"} in a default is text. */
    private static final Set<String> DATA = Set.of("enum", "const", "default", "examples");

    private final SchemaDocuments documents;
    private final Set<String> done = new HashSet<>();
    /** The same-value chain being followed, in order: a repeat is a loop. */
    private Set<String> path = new java.util.LinkedHashSet<>();

    private RefCycles(SchemaDocuments documents) {
        this.documents = documents;
    }

    public static void check(SchemaDocuments documents, String document) throws SchemaLoadException {
        new RefCycles(documents).visit(new SchemaDocuments.Located(documents.document(document), document, ""));
    }

    /** Schemas followed into one another, by any keyword: bounded so that the walk itself cannot overflow the stack. */
    private static final int MAX_DEPTH = 1024;
    private int depth;

    private void visit(SchemaDocuments.Located at) throws SchemaLoadException {
        if (++depth > MAX_DEPTH) {
            throw new SchemaLoadException(documents.source().describe(at.document()) + ": schemas and references nest more than "
                    + MAX_DEPTH + " deep at " + Excerpt.shortened(at.where()));
        }
        try {
            visitUnchecked(at);
        } finally {
            depth--;
        }
    }

    private void visitUnchecked(SchemaDocuments.Located at) throws SchemaLoadException {
        String where = at.where();
        if (path.contains(where)) {
            List<String> chain = new ArrayList<>(path);
            List<String> loop = new ArrayList<>(chain.subList(chain.indexOf(where), chain.size()));
            loop.add(where);
            throw new SchemaLoadException(documents.source().describe(at.document()) + ": the references "
                    + Excerpt.shortened(String.join(" → ", loop)) + " loop without end; a value could never be checked");
        }
        if (!done.add(where) || !at.node().isObject()) {
            return;
        }
        if (path.size() >= MAX_CHAIN) {
            throw new SchemaLoadException(documents.source().describe(at.document()) + ": more than " + MAX_CHAIN
                    + " references in a chain at " + Excerpt.shortened(where));
        }
        path.add(where);
        JsonNode node = at.node();
        JsonNode ref = node.get("$ref");
        if (ref != null && ref.isTextual()) {
            visit(documents.resolve(at, ref.asText()));
        }
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String child = at.pointer() + "/" + JsonValues.pointerSegment(e.getKey());
            if (SAME_VALUE_ARRAYS.contains(e.getKey()) && e.getValue().isArray()) {
                for (int i = 0; i < e.getValue().size(); i++) {
                    visit(new SchemaDocuments.Located(e.getValue().get(i), at.document(), child + "/" + i));
                }
            } else if (SAME_VALUE_SCHEMAS.contains(e.getKey())) {
                visit(new SchemaDocuments.Located(e.getValue(), at.document(), child));
            } else if (SAME_VALUE_MAPS.contains(e.getKey()) && e.getValue().isObject()) {
                for (Map.Entry<String, JsonNode> d : e.getValue().properties()) {
                    if (d.getValue().isObject()) { // the array form of dependencies names properties
                        visit(new SchemaDocuments.Located(d.getValue(), at.document(), child + "/" + JsonValues.pointerSegment(d.getKey())));
                    }
                }
            }
        }
        path.remove(where);
        // what lies under properties, items... applies to a part of the value: a chain of its own
        Set<String> outer = path;
        path = new java.util.LinkedHashSet<>();
        // everything else (properties, items, definitions...) starts loops of its own: checked from there
        for (Map.Entry<String, JsonNode> e : node.properties()) {
            String k = e.getKey();
            if (!SAME_VALUE_ARRAYS.contains(k) && !SAME_VALUE_SCHEMAS.contains(k) && !SAME_VALUE_MAPS.contains(k)
                    && !DATA.contains(k) && e.getValue().isContainerNode()) {
                visitChildren(e.getValue(), at.document(), at.pointer() + "/" + JsonValues.pointerSegment(e.getKey()));
            }
        }
        path = outer;
    }

    /** Keywords whose value maps names to schemas: the names are not keywords (a property may be called "not"). */
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "definitions", "$defs");

    private void visitChildren(JsonNode container, String document, String pointer) throws SchemaLoadException {
        String keyword = pointer.substring(pointer.lastIndexOf('/') + 1);
        if (container.isObject() && SCHEMA_MAPS.contains(keyword)) {
            for (Map.Entry<String, JsonNode> e : container.properties()) {
                if (e.getValue().isObject()) {
                    visit(new SchemaDocuments.Located(e.getValue(), document, pointer + "/" + JsonValues.pointerSegment(e.getKey())));
                }
            }
        } else if (container.isObject()) {
            visit(new SchemaDocuments.Located(container, document, pointer)); // items, additionalProperties, ...
        } else if (container.isArray()) {
            for (int i = 0; i < container.size(); i++) {
                if (container.get(i).isObject()) {
                    visit(new SchemaDocuments.Located(container.get(i), document, pointer + "/" + i));
                }
            }
        }
    }
}
