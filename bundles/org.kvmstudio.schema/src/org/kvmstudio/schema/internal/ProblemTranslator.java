package org.kvmstudio.schema.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import java.util.Set;
import java.util.function.Predicate;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.ParameterProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;

/**
 * Turns validator errors into a JSON pointer and a sentence a person can act on. Sentences quote at
 * most an {@link Excerpt} of a value, and nothing of the value of a parameter the schema marks secret.
 */
final class ProblemTranslator {

    private ProblemTranslator() {
    }

    static List<ParameterProblem> translate(List<Error> errors, SchemaDocuments documents, Predicate<String> secret) {
        List<ParameterProblem> problems = new ArrayList<>();
        List<ParameterProblem> unevaluated = new ArrayList<>();
        // anyOf of formats (upgraded draft-03 format lists) fails once per format: say it once
        Map<String, List<String>> formats = new LinkedHashMap<>();
        for (Error e : BestBranch.keep(errors)) {
            if ("format".equals(e.getKeyword()) && e.getSchemaNode() != null) {
                formats.computeIfAbsent(pointer(e.getInstanceLocation()), k -> new ArrayList<>()).add(e.getSchemaNode().asText());
                continue;
            }
            if (DEPENDENT_REQUIRED.contains(e.getKeyword())) {
                for (ParameterProblem p : missingDependencies(e)) {
                    if (!problems.contains(p)) {
                        problems.add(p);
                    }
                }
                continue;
            }
            ParameterProblem p = translate(e, documents, secret.test(pointer(e.getInstanceLocation())));
            List<ParameterProblem> into = "unevaluatedProperties".equals(e.getKeyword()) ? unevaluated : problems;
            if (!into.contains(p)) {
                into.add(p);
            }
        }
        formats.forEach((pointer, names) -> problems.add(new ParameterProblem(pointer, "is not a valid "
                + Excerpt.sentence(String.join(" or ", names.stream().distinct().toList())))));
        // A known parameter with a bad value also counts as "unevaluated" (its subschema failed):
        // say only what is wrong with its value.
        for (ParameterProblem p : unevaluated) {
            if (problems.stream().noneMatch(q -> q.pointer().equals(p.pointer()) || q.pointer().startsWith(p.pointer() + "/"))) {
                problems.add(p);
            }
        }
        return problems;
    }

    /** {@code dependentRequired} and the array form of draft-04 {@code dependencies}: one parameter requires others. */
    private static final Set<String> DEPENDENT_REQUIRED = Set.of("dependentRequired", "dependencies");

    /**
     * Each missing parameter at its own pointer, in our words, worked out from the keyword and the
     * object (the library reports them at the object, in its own sentence).
     */
    private static List<ParameterProblem> missingDependencies(Error e) {
        String pointer = pointer(e.getInstanceLocation());
        JsonNode schema = e.getSchemaNode();
        JsonNode object = e.getInstanceNode();
        List<ParameterProblem> problems = new ArrayList<>();
        if (schema != null && object != null && object.isObject()) {
            for (Map.Entry<String, JsonNode> dependency : schema.properties()) {
                if (!object.has(dependency.getKey()) || !dependency.getValue().isArray()) {
                    continue;
                }
                for (JsonNode required : dependency.getValue()) {
                    if (!object.has(required.asText())) {
                        problems.add(new ParameterProblem(child(pointer, required.asText()),
                                "is required when " + Excerpt.shortened(dependency.getKey()) + " is given"));
                    }
                }
            }
        }
        if (problems.isEmpty()) { // a form this code does not know: still at the object, in general words
            problems.add(new ParameterProblem(pointer, "lacks a parameter that another one requires"));
        }
        return problems;
    }

    static ParameterProblem translate(Error e, SchemaDocuments documents, boolean secret) {
        String pointer = pointer(e.getInstanceLocation());
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        JsonNode schema = e.getSchemaNode();
        JsonNode instance = e.getInstanceNode();
        // a secret's value is never quoted, not even when it is of the wrong type
        String value = secret ? "the value given" : excerpt(instance);
        String property = e.getProperty();
        return switch (keyword) {
            case "required" -> new ParameterProblem(child(pointer, property), "is required but missing");
            case "additionalProperties", "unevaluatedProperties" -> new ParameterProblem(child(pointer, property),
                    pointer.isEmpty() ? "is not a parameter of this software type" : "is not allowed here");
            case "type" -> new ParameterProblem(pointer, "must be " + article(expected(schema)) + ", not "
                    + (secret ? article(typeName(instance)) : describe(instance)));
            // draft-04 says "exclusive" with a boolean beside minimum/maximum, and the validator reports it as these
            case "minimum" -> new ParameterProblem(pointer, (exclusive(e, documents, "exclusiveMinimum")
                    ? "must be more than " : "must be at least ") + bound(schema) + ", not " + value);
            case "maximum" -> new ParameterProblem(pointer, (exclusive(e, documents, "exclusiveMaximum")
                    ? "must be less than " : "must be at most ") + bound(schema) + ", not " + value);
            case "exclusiveMinimum" -> new ParameterProblem(pointer, "must be more than " + bound(schema) + ", not " + value);
            case "exclusiveMaximum" -> new ParameterProblem(pointer, "must be less than " + bound(schema) + ", not " + value);
            case "multipleOf" -> new ParameterProblem(pointer, "must be a multiple of " + bound(schema) + ", not " + value);
            case "enum" -> new ParameterProblem(pointer, "must be one of " + list(schema) + ", not " + value);
            case "const" -> new ParameterProblem(pointer, "must be " + excerpt(schema) + ", not " + value);
            case "pattern" -> new ParameterProblem(pointer, "does not have the expected form (pattern "
                    + Excerpt.shortened(schema.asText()) + ")");
            case "format" -> new ParameterProblem(pointer, "is not a valid " + Excerpt.shortened(schema.asText()));
            case "minLength" -> new ParameterProblem(pointer, "must be at least " + excerpt(schema) + " characters long");
            case "maxLength" -> new ParameterProblem(pointer, "must be at most " + excerpt(schema) + " characters long");
            case "minItems" -> new ParameterProblem(pointer, "must have at least " + excerpt(schema) + " items");
            case "maxItems" -> new ParameterProblem(pointer, "must have at most " + excerpt(schema) + " items");
            case "uniqueItems" -> new ParameterProblem(pointer, "must not repeat an item");
            case "oneOf" -> new ParameterProblem(pointer, "must match exactly one of the allowed forms");
            case "anyOf" -> new ParameterProblem(pointer, "does not match any of the allowed forms");
            // the library's sentence may quote the value: never for a secret, and never much of it
            default -> new ParameterProblem(pointer, secret ? "is not valid (" + keyword + ")"
                    : Excerpt.shortened(stripLocation(e.getMessage(), e.getInstanceLocation())));
        };
    }

    private static boolean exclusive(Error e, SchemaDocuments documents, String keyword) {
        JsonNode flag = documents.sibling(e.getSchemaLocation(), keyword);
        return flag.isBoolean() && flag.booleanValue();
    }

    /** RFC 6901 pointer of a validator path ({@code ""} for the root). */
    static String pointer(NodePath path) {
        if (path == null) {
            return "";
        }
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            sb.append('/').append(JsonValues.pointerSegment(String.valueOf(element)));
        }
        return sb.toString();
    }

    private static String child(String pointer, String property) {
        return property == null ? pointer : pointer + "/" + JsonValues.pointerSegment(property);
    }

    private static String expected(JsonNode schema) {
        if (schema != null && schema.isArray()) {
            List<String> names = new ArrayList<>();
            schema.forEach(t -> names.add(t.asText()));
            return Excerpt.shortened(String.join(" or ", names));
        }
        return schema == null ? "of another type" : Excerpt.shortened(schema.asText());
    }

    private static String article(String type) {
        return switch (type) {
            case "integer", "array", "object" -> "an " + type;
            case "null" -> "null";
            default -> "a " + type;
        };
    }

    private static String describe(JsonNode value) {
        if (value == null) {
            return "missing";
        }
        return switch (value.getNodeType()) {
            case STRING -> "the text " + excerpt(value);
            case NUMBER -> (value.isIntegralNumber() ? "the integer " : "the number ") + excerpt(value);
            case BOOLEAN -> "the boolean " + value;
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> excerpt(value);
        };
    }

    private static String typeName(JsonNode value) {
        if (value == null) {
            return "missing";
        }
        return switch (value.getNodeType()) {
            case STRING -> "string";
            case NUMBER -> value.isIntegralNumber() ? "integer" : "number";
            case BOOLEAN -> "boolean";
            case ARRAY -> "array";
            case OBJECT -> "object";
            case NULL -> "null";
            default -> "value";
        };
    }

    /** A bounded rendering: never Jackson's serialisation of a whole (possibly huge or deep) value. */
    static String excerpt(JsonNode value) {
        if (value == null) {
            return "nothing";
        }
        return switch (value.getNodeType()) {
            case STRING -> Excerpt.quoted(value.textValue());
            case NUMBER -> Excerpt.shortened(value.isBigDecimal() ? value.decimalValue().toString() : value.asText());
            case ARRAY -> "a list of " + value.size() + (value.size() == 1 ? " item" : " items");
            case OBJECT -> "an object of " + value.size() + (value.size() == 1 ? " entry" : " entries");
            default -> Excerpt.shortened(value.asText());
        };
    }

    private static String bound(JsonNode schema) {
        return schema == null ? "?" : schema.isNumber() ? Excerpt.shortened(schema.decimalValue().toPlainString()) : excerpt(schema);
    }

    private static String list(JsonNode schema) {
        if (schema == null || !schema.isArray()) {
            return excerpt(schema);
        }
        List<String> values = new ArrayList<>();
        schema.forEach(v -> values.add(excerpt(v)));
        return Excerpt.shortened(String.join(", ", values));
    }

    private static String stripLocation(String message, NodePath location) {
        String loc = location == null ? "" : location.toString();
        if (message != null && !loc.isEmpty() && message.startsWith(loc + ": ")) {
            return message.substring(loc.length() + 2);
        }
        return message == null ? "is not valid" : message;
    }
}
