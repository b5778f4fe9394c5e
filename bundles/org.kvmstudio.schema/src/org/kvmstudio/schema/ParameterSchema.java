package org.kvmstudio.schema;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import org.kvmstudio.model.InputLimits;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.schema.internal.BoundedRegex;
import org.kvmstudio.schema.internal.FieldModelBuilder;
import org.kvmstudio.schema.internal.JsonValues;
import org.kvmstudio.schema.internal.SchemaValidator;

/**
 * The input or output schema of one software type: validation with a maintained JSON Schema
 * library, defaults, aliases, and the {@link Field} model forms and the CLI are generated from.
 */
public final class ParameterSchema {

    private final String location;
    private final Field root;
    private final SchemaValidator validator;
    private final List<String> warnings;

    /** Made by {@link ReleaseLoader}. */
    ParameterSchema(String location, Field root, SchemaValidator validator, List<String> warnings) {
        this.location = location;
        this.root = root;
        this.validator = validator;
        this.warnings = List.copyOf(warnings);
    }

    /** Where the schema was read from, for messages. */
    public String location() {
        return location;
    }

    /** The root field: an object whose {@link Field#properties()} are the parameters. */
    public Field root() {
        return root;
    }

    /** What had to be upgraded or dropped to read this schema (pre-draft-04 idioms). */
    public List<String> warnings() {
        return warnings;
    }

    /** Every problem of {@code parameters}, each with the JSON pointer of its parameter; empty when valid. */
    public List<ParameterProblem> validate(Parameters parameters) {
        return validator.validate(JsonValues.toJson(parameters), this::secret);
    }

    /**
     * The field that describes the value at a concrete JSON pointer ({@code /external-disk/data/size}),
     * through array items, pattern properties and {@code oneOf}/{@code anyOf} variants; empty when
     * the schema does not describe that place.
     */
    public java.util.Optional<Field> fieldAt(String pointer) {
        List<String> segments = segments(pointer);
        try {
            List<Field> walked = walk(segments);
            return walked.size() == segments.size() + 1 ? java.util.Optional.of(walked.get(walked.size() - 1))
                    : java.util.Optional.empty();
        } catch (BoundedRegex.TooComplex unknown) {
            return java.util.Optional.empty();
        }
    }

    /**
     * Whether the value at a concrete {@code pointer} is secret: the schema marks it (or what it lies
     * inside) secret, or, where the schema does not describe it, its name says so. Never quote it.
     */
    public boolean secret(String pointer) {
        List<String> segments = segments(pointer);
        List<Field> walked;
        try {
            walked = walk(segments);
        } catch (BoundedRegex.TooComplex unknown) {
            return true; // which field it is cannot be told: quote nothing of it
        }
        if (walked.stream().anyMatch(Field::secret)) {
            return true;
        }
        // undeclared from there on, but perhaps named like a secret
        return walked.size() <= segments.size() && FieldModelBuilder.secretByName(segments.get(walked.size() - 1));
    }

    private static List<String> segments(String pointer) {
        List<String> segments = new ArrayList<>();
        if (!pointer.isEmpty()) {
            for (String s : pointer.substring(1).split("/", -1)) {
                segments.add(s.replace("~1", "/").replace("~0", "~"));
            }
        }
        return segments;
    }

    /** The root and the field of each segment, as far as the schema describes them. */
    private List<Field> walk(List<String> segments) {
        List<Field> walked = new ArrayList<>();
        Field field = root;
        walked.add(field);
        for (String name : segments) {
            Field object = field;
            Field next = object.property(name).orElseGet(() -> patternFieldOrThrow(object, name));
            if (next == null) {
                next = field.items().orElse(null);
            }
            if (next == null) {
                for (Field variant : field.variants()) { // oneOf / anyOf alternatives
                    next = variant.property(name).orElse(null);
                    if (next != null) {
                        break;
                    }
                }
            }
            if (next == null) {
                return walked;
            }
            walked.add(next);
            field = next;
        }
        return walked;
    }

    /**
     * Whether a parameter's name says it holds a secret ({@code vnc-password}, {@code api_key}; not
     * a {@code public} key): what a schema without a {@code secret} mark, or a value without a schema
     * (connection parameters), is masked by.
     */
    public static boolean secretName(String name) {
        return FieldModelBuilder.secretByName(name);
    }

    /** @throws InvalidParametersException naming {@code subject} and every problem, when not valid */
    public void check(String subject, Parameters parameters) {
        List<ParameterProblem> problems = validate(parameters);
        if (!problems.isEmpty()) {
            throw new InvalidParametersException(subject, problems);
        }
    }

    /** The top-level defaults, as a form shows them (SlapOS does not send them with a request). */
    public Parameters defaults() {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : root.properties()) {
            f.defaultValue().ifPresent(v -> values.put(f.name(), v));
        }
        return Parameters.of(values);
    }

    /**
     * {@code parameters} completed with the defaults of what they leave out, at every level the schema
     * describes (the properties of an object parameter, of each entry of a {@code patternProperties}
     * map): what a provisioner deploys.
     */
    public Parameters withDefaults(Parameters parameters) {
        return Parameters.of(completed(root, parameters.asMap(), 0));
    }

    /** How deep defaults are filled in; schemas nest a few levels, and a {@code $ref} cycle must end. */
    private static final int MAX_DEFAULT_DEPTH = 16;

    private static Map<String, Object> completed(Field object, Map<String, Object> given, int depth) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (Field f : object.properties()) {
            if (!given.containsKey(f.name())) {
                f.defaultValue().ifPresent(v -> values.put(f.name(), v));
            }
        }
        values.putAll(given);
        if (depth >= MAX_DEFAULT_DEPTH) {
            return values;
        }
        for (Map.Entry<String, Object> e : values.entrySet()) {
            if (e.getValue() instanceof Map<?, ?> nested && given.containsKey(e.getKey())) {
                Field f = object.property(e.getKey()).orElseGet(() -> patternField(object, e.getKey()));
                if (f != null) {
                    e.setValue(completed(f, castMap(nested), depth + 1));
                }
            }
        }
        return values;
    }

    private static Field patternFieldOrThrow(Field object, String name) {
        for (Map.Entry<String, Field> p : object.patternProperties().entrySet()) {
            if (BoundedRegex.find(p.getKey(), name)) {
                return p.getValue();
            }
        }
        return null;
    }

    private static Field patternField(Field object, String name) {
        try {
            return patternFieldOrThrow(object, name);
        } catch (BoundedRegex.TooComplex unknown) {
            return null; // a name too costly to match describes no field here; validation refuses it
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> castMap(Map<?, ?> map) {
        return (Map<String, Object>) map;
    }

    /**
     * Renames aliased parameters to their canonical name ({@code ndb_ip} → {@code nbd-host}).
     *
     * @throws InvalidParametersException when an alias and its canonical name are both given with different values
     */
    public Parameters canonicalize(Parameters parameters) {
        Map<String, Object> values = new LinkedHashMap<>(parameters.asMap());
        List<ParameterProblem> problems = new ArrayList<>();
        for (Field f : root.properties()) {
            for (String alias : f.aliases()) {
                if (!values.containsKey(alias)) {
                    continue;
                }
                Object value = values.remove(alias);
                if (values.containsKey(f.name()) && !Objects.equals(values.get(f.name()), value)) {
                    problems.add(new ParameterProblem("/" + alias, "is another name for " + f.name()
                            + ", which is also given with a different value"));
                } else {
                    values.put(f.name(), value);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidParametersException("conflicting parameter names", problems);
        }
        return Parameters.of(values);
    }

    /**
     * Reads text values as the type their field expects, for sources that only have strings
     * (SlapOS's flat {@code xml} serialisation, {@code key=value} on a command line). A value that
     * does not parse is left as it is, for {@link #validate} to report.
     */
    public Parameters coerceStrings(Parameters parameters) {
        Map<String, Object> values = new LinkedHashMap<>(parameters.asMap());
        for (Field f : root.properties()) {
            if (values.get(f.name()) instanceof String text) {
                values.put(f.name(), coerce(f.type(), text.trim()));
            }
        }
        return Parameters.of(values);
    }

    private static Object coerce(FieldType type, String text) {
        if ((type == FieldType.INTEGER || type == FieldType.NUMBER) && text.length() > InputLimits.MAX_DIGITS + 8) {
            return text; // parsing a megabyte of digits takes seconds; no number has that many
        }
        try {
            return switch (type) {
                case INTEGER -> new BigInteger(text);
                case NUMBER -> new BigDecimal(text);
                case BOOLEAN -> switch (text.toLowerCase(Locale.ROOT)) {
                    case "true", "yes", "on", "1" -> Boolean.TRUE;
                    case "false", "no", "off", "0" -> Boolean.FALSE;
                    default -> text;
                };
                case ARRAY, OBJECT -> JsonValues.toJava(JsonValues.MAPPER.readTree(text));
                default -> text;
            };
        } catch (NumberFormatException | com.fasterxml.jackson.core.JsonProcessingException e) {
            return text;
        }
    }

    @Override
    public String toString() {
        return "ParameterSchema[" + location + "]";
    }
}
