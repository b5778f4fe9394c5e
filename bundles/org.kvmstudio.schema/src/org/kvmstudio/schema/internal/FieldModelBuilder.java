package org.kvmstudio.schema.internal;

import java.math.BigDecimal;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.FieldType;
import org.kvmstudio.schema.SchemaLoadException;
import org.kvmstudio.schema.internal.SchemaDocuments.Located;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Builds the {@link Field} model of a schema: follows {@code $ref} (across files and into
 * {@code $defs}) and folds {@code allOf} branches into the field they describe, so a consumer sees
 * one flat description per parameter.
 */
public final class FieldModelBuilder {

    /** Names SlapOS's web editor treats as passwords; also {@code "secret": true}, writeOnly, format password. */
    private static final Pattern SECRET_NAME = Pattern.compile("(?i).*(passw|passwd|secret|token|private-key|-key$|_key$).*");
    private static final int MAX_DEPTH = 64;

    private final SchemaDocuments documents;
    private final Deque<String> path = new ArrayDeque<>();

    public FieldModelBuilder(SchemaDocuments documents) {
        this.documents = documents;
    }

    /** The field model of the schema at {@code document}'s root. */
    public Field build(String document) throws SchemaLoadException {
        JsonNode root = documents.document(document);
        return field("", "", List.of(new Located(root, document, "")), false);
    }

    private Field field(String name, String pointer, List<Located> facets, boolean required) throws SchemaLoadException {
        if (path.size() > MAX_DEPTH) {
            throw new SchemaLoadException(documents.source().describe(facets.get(0).document())
                    + ": schema nesting deeper than " + MAX_DEPTH + " levels (a $ref cycle?) at " + facets.get(0).where());
        }
        List<Located> flat = new ArrayList<>();
        Set<String> seen = new LinkedHashSet<>();
        for (Located f : facets) {
            flatten(f, flat, seen);
        }
        Field.Builder b = new Field.Builder(name, pointer).required(required);
        Map<String, List<Located>> properties = new LinkedHashMap<>();
        Map<String, List<Located>> patternProperties = new LinkedHashMap<>();
        List<Located> items = new ArrayList<>();
        Set<String> requiredNames = new LinkedHashSet<>();
        for (Located f : flat) {
            JsonNode n = f.node();
            if (!n.isObject()) {
                continue;
            }
            describe(b, n);
            collectChildren(f, properties, patternProperties, items, requiredNames);
            if (isFalse(n.get("additionalProperties")) || isFalse(n.get("unevaluatedProperties"))) {
                b.closed(true);
            }
            addAlternatives(b, name, pointer, f);
            addConditionalProperties(f, properties);
        }
        path.push(pointer);
        try {
            for (Map.Entry<String, List<Located>> p : properties.entrySet()) {
                b.property(field(p.getKey(), pointer + "/" + JsonValues.pointerSegment(p.getKey()), p.getValue(),
                        requiredNames.contains(p.getKey())));
            }
            for (Map.Entry<String, List<Located>> p : patternProperties.entrySet()) {
                // each pattern its own template segment: two patterns of one object are two fields
                b.patternProperty(p.getKey(), field(p.getKey(), pointer + "/" + JsonValues.pointerSegment("{" + p.getKey() + "}"),
                        p.getValue(), false));
            }
            if (!items.isEmpty()) {
                b.items(field("items", pointer + "/*", items, false));
            }
        } finally {
            path.pop();
        }
        inferType(b, properties, items);
        Field built = b.build();
        // not for a yes/no: a boolean "use-password" flag hides nothing
        if (!name.isEmpty() && secretByName(name) && built.type() != FieldType.BOOLEAN) {
            b.secret(true);
            built = b.build();
        }
        return built;
    }

    /** Whether a parameter's name says it holds a secret ({@code vnc-password}, {@code api_key}); a public key is none. */
    public static boolean secretByName(String name) {
        return SECRET_NAME.matcher(name).matches() && !name.toLowerCase(java.util.Locale.ROOT).contains("public");
    }

    /** Adds {@code f} and, depth first, what its {@code $ref} and {@code allOf} bring. */
    private void flatten(Located f, List<Located> out, Set<String> seen) throws SchemaLoadException {
        if (!seen.add(f.where())) {
            return;
        }
        out.add(f);
        JsonNode n = f.node();
        JsonNode ref = n.get("$ref");
        if (ref != null && ref.isTextual()) {
            flatten(documents.resolve(f, ref.asText()), out, seen);
        }
        JsonNode allOf = n.get("allOf");
        if (allOf != null && allOf.isArray()) {
            for (int i = 0; i < allOf.size(); i++) {
                flatten(new Located(allOf.get(i), f.document(), f.pointer() + "/allOf/" + i), out, seen);
            }
        }
    }

    private static void describe(Field.Builder b, JsonNode n) {
        JsonNode type = n.get("type");
        if (type != null && type.isTextual()) {
            b.type(FieldType.of(type.asText()));
        } else if (type != null && type.isArray()) {
            type.forEach(t -> b.type(FieldType.of(t.asText())));
        }
        text(n, "title").ifPresent(b::title);
        text(n, "description").ifPresent(b::description);
        if (n.has("default")) {
            b.defaultValue(JsonValues.toJava(n.get("default")));
        }
        if (n.has("const")) {
            b.constValue(JsonValues.toJava(n.get("const")));
        }
        JsonNode enumNode = n.get("enum");
        if (enumNode != null && enumNode.isArray()) {
            JsonNode titles = n.get("enumTitles") != null ? n.get("enumTitles") : n.get("enumNames");
            for (int i = 0; i < enumNode.size(); i++) {
                String label = titles != null && titles.isArray() && i < titles.size() ? titles.get(i).asText() : null;
                b.choice(JsonValues.toJava(enumNode.get(i)), label);
            }
        }
        number(n, "minimum").ifPresent(v -> {
            if (isTrue(n.get("exclusiveMinimum"))) {
                b.exclusiveMinimum(v); // draft-04: a boolean beside minimum
            } else {
                b.minimum(v);
            }
        });
        number(n, "maximum").ifPresent(v -> {
            if (isTrue(n.get("exclusiveMaximum"))) {
                b.exclusiveMaximum(v);
            } else {
                b.maximum(v);
            }
        });
        number(n, "exclusiveMinimum").ifPresent(b::exclusiveMinimum);
        number(n, "exclusiveMaximum").ifPresent(b::exclusiveMaximum);
        number(n, "multipleOf").ifPresent(b::multipleOf);
        integer(n, "minLength").ifPresent(b::minLength);
        integer(n, "maxLength").ifPresent(b::maxLength);
        integer(n, "minItems").ifPresent(b::minItems);
        integer(n, "maxItems").ifPresent(b::maxItems);
        b.uniqueItems(isTrue(n.get("uniqueItems")));
        text(n, "pattern").ifPresent(b::pattern);
        text(n, "format").ifPresent(b::format);
        b.textarea(isTrue(n.get("textarea")));
        b.secret(isTrue(n.get("secret")) || isTrue(n.get("writeOnly")) || "password".equals(n.path("format").asText()));
        b.readOnly(isTrue(n.get("readOnly")));
        JsonNode aliases = n.get("aliases");
        if (aliases != null && aliases.isArray()) {
            aliases.forEach(a -> b.alias(a.asText()));
        }
    }

    /**
     * Properties only an {@code if}'s {@code then} or {@code else} declares: validation accepts them, so
     * a form must offer them (as optional fields; whether they are required depends on the value).
     * A property the object itself declares keeps its own description: a branch's narrower
     * {@code const} would otherwise become the field's only choice for every value.
     */
    private void addConditionalProperties(Located f, Map<String, List<Located>> properties) throws SchemaLoadException {
        Map<String, List<Located>> conditional = new LinkedHashMap<>();
        for (String branch : List.of("then", "else")) {
            JsonNode node = f.node().get(branch);
            if (node == null || !node.isObject()) {
                continue;
            }
            List<Located> flat = new ArrayList<>();
            flatten(new Located(node, f.document(), f.pointer() + "/" + branch), flat, new LinkedHashSet<>());
            for (Located part : flat) {
                if (part.node().isObject()) {
                    collectChildren(part, conditional, new LinkedHashMap<>(), new ArrayList<>(), new LinkedHashSet<>());
                }
            }
        }
        conditional.forEach((name, facets) -> {
            if (!properties.containsKey(name)) {
                properties.put(name, facets);
            }
        });
    }

    private static void collectChildren(Located f, Map<String, List<Located>> properties,
            Map<String, List<Located>> patternProperties, List<Located> items, Set<String> requiredNames) {
        JsonNode n = f.node();
        JsonNode props = n.get("properties");
        if (props != null && props.isObject()) {
            props.fields().forEachRemaining(e -> properties.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                    .add(new Located(e.getValue(), f.document(),
                            f.pointer() + "/properties/" + JsonValues.pointerSegment(e.getKey()))));
        }
        JsonNode patterns = n.get("patternProperties");
        if (patterns != null && patterns.isObject()) {
            patterns.fields().forEachRemaining(e -> patternProperties.computeIfAbsent(e.getKey(), k -> new ArrayList<>())
                    .add(new Located(e.getValue(), f.document(),
                            f.pointer() + "/patternProperties/" + JsonValues.pointerSegment(e.getKey()))));
        }
        JsonNode item = n.get("items");
        if (item != null && item.isObject()) {
            items.add(new Located(item, f.document(), f.pointer() + "/items"));
        }
        JsonNode required = n.get("required");
        if (required != null && required.isArray()) {
            required.forEach(r -> requiredNames.add(r.asText()));
        }
    }

    /**
     * {@code oneOf}/{@code anyOf}: a list of {@code const}s with titles is an enum with labels;
     * a list of bare formats (upgraded draft-03) says nothing a form needs; anything else becomes
     * variants the form offers as alternatives.
     */
    private void addAlternatives(Field.Builder b, String name, String pointer, Located f) throws SchemaLoadException {
        for (String keyword : List.of("oneOf", "anyOf")) {
            JsonNode list = f.node().get(keyword);
            if (list == null || !list.isArray() || list.isEmpty()) {
                continue;
            }
            if (allHave(list, "const")) {
                list.forEach(c -> b.choice(JsonValues.toJava(c.get("const")), c.path("title").asText(null)));
                continue;
            }
            if (allOnly(list, "format")) {
                continue;
            }
            path.push(pointer);
            try {
                for (int i = 0; i < list.size(); i++) {
                    Located branch = new Located(list.get(i), f.document(), f.pointer() + "/" + keyword + "/" + i);
                    b.variant(field(name, pointer, List.of(branch), false), "oneOf".equals(keyword));
                }
            } finally {
                path.pop();
            }
        }
    }

    private static void inferType(Field.Builder b, Map<String, ?> properties, List<?> items) {
        if (b.hasType()) {
            return;
        }
        if (!properties.isEmpty()) {
            b.type(FieldType.OBJECT);
        } else if (!items.isEmpty()) {
            b.type(FieldType.ARRAY);
        }
    }

    private static boolean allHave(JsonNode list, String keyword) {
        for (JsonNode n : list) {
            if (!n.isObject() || !n.has(keyword)) {
                return false;
            }
        }
        return true;
    }

    private static boolean allOnly(JsonNode list, String keyword) {
        for (JsonNode n : list) {
            if (!n.isObject() || n.size() != 1 || !n.has(keyword)) {
                return false;
            }
        }
        return true;
    }

    private static boolean isTrue(JsonNode n) {
        return n != null && n.isBoolean() && n.booleanValue();
    }

    private static boolean isFalse(JsonNode n) {
        return n != null && n.isBoolean() && !n.booleanValue();
    }

    private static java.util.Optional<String> text(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isTextual() ? java.util.Optional.of(v.asText()) : java.util.Optional.empty();
    }

    private static java.util.Optional<BigDecimal> number(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.isNumber() ? java.util.Optional.of(v.decimalValue()) : java.util.Optional.empty();
    }

    private static java.util.Optional<Integer> integer(JsonNode n, String key) {
        JsonNode v = n.get(key);
        return v != null && v.canConvertToInt() && v.isIntegralNumber() ? java.util.Optional.of(v.intValue())
                : java.util.Optional.empty();
    }
}
