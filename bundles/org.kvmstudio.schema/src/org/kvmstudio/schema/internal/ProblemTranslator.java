package org.kvmstudio.schema.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kvmstudio.model.ParameterProblem;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Error;
import com.networknt.schema.path.NodePath;

/** Turns validator errors into a JSON pointer and a sentence a person can act on. */
final class ProblemTranslator {

    private ProblemTranslator() {
    }

    static List<ParameterProblem> translate(List<Error> errors, SchemaDocuments documents) {
        List<ParameterProblem> problems = new ArrayList<>();
        List<ParameterProblem> unevaluated = new ArrayList<>();
        // anyOf of formats (upgraded draft-03 format lists) fails once per format: say it once
        Map<String, List<String>> formats = new LinkedHashMap<>();
        for (Error e : errors) {
            if ("format".equals(e.getKeyword()) && e.getSchemaNode() != null) {
                formats.computeIfAbsent(pointer(e.getInstanceLocation()), k -> new ArrayList<>()).add(e.getSchemaNode().asText());
                continue;
            }
            ParameterProblem p = translate(e, documents);
            List<ParameterProblem> into = "unevaluatedProperties".equals(e.getKeyword()) ? unevaluated : problems;
            if (!into.contains(p)) {
                into.add(p);
            }
        }
        formats.forEach((pointer, names) -> problems.add(new ParameterProblem(pointer, "is not a valid "
                + String.join(" or ", names.stream().distinct().toList()))));
        // A known parameter with a bad value also counts as "unevaluated" (its subschema failed):
        // say only what is wrong with its value.
        for (ParameterProblem p : unevaluated) {
            if (problems.stream().noneMatch(q -> q.pointer().equals(p.pointer()) || q.pointer().startsWith(p.pointer() + "/"))) {
                problems.add(p);
            }
        }
        return problems;
    }

    static ParameterProblem translate(Error e, SchemaDocuments documents) {
        String pointer = pointer(e.getInstanceLocation());
        String keyword = e.getKeyword() == null ? "" : e.getKeyword();
        JsonNode schema = e.getSchemaNode();
        JsonNode value = e.getInstanceNode();
        String property = e.getProperty();
        return switch (keyword) {
            case "required" -> new ParameterProblem(child(pointer, property), "is required but missing");
            case "additionalProperties", "unevaluatedProperties" -> new ParameterProblem(child(pointer, property),
                    pointer.isEmpty() ? "is not a parameter of this software type" : "is not allowed here");
            case "type" -> new ParameterProblem(pointer, "must be " + article(expected(schema)) + ", not "
                    + describe(value));
            // draft-04 says "exclusive" with a boolean beside minimum/maximum, and the validator reports it as these
            case "minimum" -> new ParameterProblem(pointer, (exclusive(e, documents, "exclusiveMinimum")
                    ? "must be more than " : "must be at least ") + bound(schema) + ", not " + value);
            case "maximum" -> new ParameterProblem(pointer, (exclusive(e, documents, "exclusiveMaximum")
                    ? "must be less than " : "must be at most ") + bound(schema) + ", not " + value);
            case "exclusiveMinimum" -> new ParameterProblem(pointer, "must be more than " + bound(schema) + ", not " + value);
            case "exclusiveMaximum" -> new ParameterProblem(pointer, "must be less than " + bound(schema) + ", not " + value);
            case "multipleOf" -> new ParameterProblem(pointer, "must be a multiple of " + bound(schema) + ", not " + value);
            case "enum" -> new ParameterProblem(pointer, "must be one of " + list(schema) + ", not " + value);
            case "const" -> new ParameterProblem(pointer, "must be " + schema + ", not " + value);
            case "pattern" -> new ParameterProblem(pointer, "does not have the expected form (pattern " + schema.asText() + ")");
            case "format" -> new ParameterProblem(pointer, "is not a valid " + schema.asText());
            case "minLength" -> new ParameterProblem(pointer, "must be at least " + schema + " characters long");
            case "maxLength" -> new ParameterProblem(pointer, "must be at most " + schema + " characters long");
            case "minItems" -> new ParameterProblem(pointer, "must have at least " + schema + " items");
            case "maxItems" -> new ParameterProblem(pointer, "must have at most " + schema + " items");
            case "uniqueItems" -> new ParameterProblem(pointer, "must not repeat an item");
            case "oneOf" -> new ParameterProblem(pointer, "must match exactly one of the allowed forms");
            case "anyOf" -> new ParameterProblem(pointer, "does not match any of the allowed forms");
            default -> new ParameterProblem(pointer, stripLocation(e.getMessage(), e.getInstanceLocation()));
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
            return String.join(" or ", names);
        }
        return schema == null ? "of another type" : schema.asText();
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
            case STRING -> "the text " + value;
            case NUMBER -> (value.isIntegralNumber() ? "the integer " : "the number ") + value;
            case BOOLEAN -> "the boolean " + value;
            case ARRAY -> "a list";
            case OBJECT -> "an object";
            case NULL -> "null";
            default -> value.toString();
        };
    }

    private static String bound(JsonNode schema) {
        return schema == null ? "?" : schema.isNumber() ? schema.decimalValue().toPlainString() : schema.toString();
    }

    private static String list(JsonNode schema) {
        if (schema == null || !schema.isArray()) {
            return String.valueOf(schema);
        }
        List<String> values = new ArrayList<>();
        schema.forEach(v -> values.add(v.toString()));
        return String.join(", ", values);
    }

    private static String stripLocation(String message, NodePath location) {
        String loc = location == null ? "" : location.toString();
        if (message != null && !loc.isEmpty() && message.startsWith(loc + ": ")) {
            return message.substring(loc.length() + 2);
        }
        return message == null ? "is not valid" : message;
    }
}
