package org.kvmstudio.schema.internal;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * Rewrites the draft-03 idioms of early SlapOS schemas (2012) into their draft-04+ equivalents, in
 * place, and says what it did: {@code "required": true} inside a property becomes the parent's
 * {@code required} list, {@code "type": "uri"} becomes a string of format uri, and a list of
 * formats becomes an {@code anyOf} of formats. Formats no draft defines are reported, not checked.
 */
final class LegacySchemaUpgrader {

    private static final Set<String> TYPES = Set.of("string", "integer", "number", "boolean", "array", "object", "null");
    private static final Map<String, String> DRAFT3_FORMATS = Map.of("host-name", "hostname", "ip-address", "ipv4");
    /** The formats of drafts 04 to 2020-12; others (SlapOS's "internet-address") are not checked: say so. */
    private static final Set<String> FORMATS = Set.of("date-time", "date", "time", "duration", "email", "idn-email",
            "hostname", "idn-hostname", "ipv4", "ipv6", "uri", "uri-reference", "iri", "iri-reference", "uuid",
            "uri-template", "json-pointer", "relative-json-pointer", "regex", "password");
    private static final Set<String> SCHEMA_MAPS = Set.of("properties", "patternProperties", "$defs", "definitions",
            "dependentSchemas");
    private static final Set<String> SCHEMA_LISTS = Set.of("allOf", "anyOf", "oneOf", "prefixItems");
    private static final Set<String> SCHEMA_VALUES = Set.of("items", "additionalProperties", "unevaluatedProperties",
            "additionalItems", "not", "if", "then", "else", "contains", "propertyNames");

    /**
     * Every keyword of drafts 03 to 2020-12, and the annotations SlapOS's editor and KVM Studio read.
     * Anything else is ignored by the validator, silently: a typo such as SlapOS's own {@code "require"}
     * then checks nothing, so it is reported.
     */
    private static final Set<String> KNOWN = Set.of("$schema", "$id", "id", "$ref", "$defs", "definitions", "$comment",
            "$anchor", "$dynamicRef", "$dynamicAnchor", "$recursiveRef", "$recursiveAnchor", "$vocabulary", "title",
            "description", "default", "examples", "readOnly", "writeOnly", "deprecated", "type", "enum", "const",
            "multipleOf", "maximum", "exclusiveMaximum", "minimum", "exclusiveMinimum", "maxLength", "minLength", "pattern",
            "maxItems", "minItems", "uniqueItems", "maxContains", "minContains", "maxProperties", "minProperties", "required",
            "dependentRequired", "dependencies", "properties", "patternProperties", "additionalProperties",
            "unevaluatedProperties", "propertyNames", "items", "prefixItems", "additionalItems", "unevaluatedItems",
            "contains", "allOf", "anyOf", "oneOf", "not", "if", "then", "else", "dependentSchemas", "format",
            "contentEncoding", "contentMediaType", "contentSchema", "extends", "disallow", "divisibleBy",
            "textarea", "aliases", "secret", "enumNames", "enumTitles");
    private static final Map<String, String> HINTS = Map.of("require", " (did you mean \"required\"?)",
            "optional", " (a draft-02 keyword: a property is optional unless \"required\" lists it)",
            "name", " (did you mean \"title\"?)");

    private LegacySchemaUpgrader() {
    }

    static List<String> upgrade(ObjectNode root) {
        List<String> notes = new ArrayList<>();
        upgradeSchema(root, "#", notes);
        return notes;
    }

    private static void upgradeSchema(ObjectNode schema, String where, List<String> notes) {
        upgradeExtends(schema, where, notes);
        upgradeType(schema, where, notes);
        upgradeFormat(schema, where, notes);
        JsonNode properties = schema.get("properties");
        if (properties instanceof ObjectNode props) {
            hoistBooleanRequired(schema, props, where, notes);
        }
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> e = fields.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (!KNOWN.contains(key)) {
                notes.add(where + ": keyword " + org.kvmstudio.model.Excerpt.quoted(key) + " is not JSON Schema and checks nothing"
                        + HINTS.getOrDefault(key, ""));
            }
            if (SCHEMA_MAPS.contains(key) && value instanceof ObjectNode map) {
                map.fields().forEachRemaining(s -> {
                    if (s.getValue() instanceof ObjectNode sub) {
                        upgradeSchema(sub, where + "/" + key + "/" + JsonValues.pointerSegment(s.getKey()), notes);
                    }
                });
            } else if ((SCHEMA_LISTS.contains(key) || "items".equals(key)) && value instanceof ArrayNode list) {
                for (int i = 0; i < list.size(); i++) {
                    if (list.get(i) instanceof ObjectNode sub) {
                        upgradeSchema(sub, where + "/" + key + "/" + i, notes);
                    }
                }
            } else if (SCHEMA_VALUES.contains(key) && value instanceof ObjectNode sub) {
                upgradeSchema(sub, where + "/" + key, notes);
            }
        }
    }

    private static void hoistBooleanRequired(ObjectNode schema, ObjectNode props, String where, List<String> notes) {
        List<String> required = new ArrayList<>();
        props.fields().forEachRemaining(p -> {
            if (p.getValue() instanceof ObjectNode prop && prop.has("required") && prop.get("required").isBoolean()) {
                if (prop.get("required").booleanValue()) {
                    required.add(p.getKey());
                }
                prop.remove("required");
                notes.add(where + "/properties/" + JsonValues.pointerSegment(p.getKey())
                        + ": draft-03 \"required\": " + (required.contains(p.getKey()) ? "true" : "false")
                        + " moved to the parent's \"required\" list");
            }
        });
        if (!required.isEmpty()) {
            ArrayNode list = schema.has("required") && schema.get("required").isArray()
                    ? (ArrayNode) schema.get("required") : schema.putArray("required");
            required.forEach(list::add);
        }
    }

    /**
     * Draft-03's {@code extends} (a schema, a reference or a list of them) is draft-04's {@code allOf}:
     * read as such, a file it names that is missing is a load problem a person sees, where a
     * validator that ignores the keyword would check nothing and say nothing.
     */
    private static void upgradeExtends(ObjectNode schema, String where, List<String> notes) {
        JsonNode base = schema.remove("extends");
        if (base == null) {
            return;
        }
        ArrayNode allOf = schema.get("allOf") instanceof ArrayNode existing ? existing : schema.putArray("allOf");
        for (JsonNode each : base.isArray() ? base : List.of(base)) {
            if (each.isTextual()) {
                allOf.addObject().put("$ref", each.asText());
            } else if (each.isObject()) {
                allOf.add(each);
            }
        }
        notes.add(where + ": \"extends\" (draft-03) read as \"allOf\"");
    }

    private static void upgradeType(ObjectNode schema, String where, List<String> notes) {
        JsonNode type = schema.get("type");
        if (type == null || !type.isTextual() || TYPES.contains(type.asText())) {
            return;
        }
        String name = type.asText();
        if ("uri".equals(name) || "url".equals(name)) {
            schema.put("type", "string");
            if (!schema.has("format")) {
                schema.put("format", "uri");
            }
            notes.add(where + ": \"type\": \"" + name + "\" is not a JSON type; read as a string of format uri");
        } else {
            schema.remove("type");
            notes.add(where + ": \"type\": \"" + name + "\" is not a JSON type; the type constraint was dropped");
        }
    }

    private static void upgradeFormat(ObjectNode schema, String where, List<String> notes) {
        JsonNode format = schema.get("format");
        if (format == null) {
            return;
        }
        if (format.isTextual()) {
            String modern = DRAFT3_FORMATS.get(format.asText());
            if (modern != null) {
                schema.put("format", modern);
                notes.add(where + ": draft-03 format \"" + format.asText() + "\" read as \"" + modern + "\"");
            } else if (!FORMATS.contains(format.asText())) {
                notes.add(where + ": format \"" + format.asText() + "\" is not a JSON Schema format; values are not checked against it");
            }
            return;
        }
        schema.remove("format");
        if (format.isArray() && !schema.has("anyOf")) {
            ArrayNode anyOf = schema.putArray("anyOf");
            List<String> names = new ArrayList<>();
            format.forEach(f -> {
                String name = DRAFT3_FORMATS.getOrDefault(f.asText(), f.asText());
                names.add(name);
                anyOf.addObject().put("format", name);
            });
            notes.add(where + ": a list of formats is not JSON Schema; read as anyOf " + names);
        } else {
            notes.add(where + ": \"format\" is not a string; dropped");
        }
    }
}
