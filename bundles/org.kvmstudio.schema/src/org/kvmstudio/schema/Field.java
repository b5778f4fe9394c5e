package org.kvmstudio.schema;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * One parameter as a form or a command line needs it: what a schema says of it once
 * {@code $ref} and {@code allOf} are resolved. The GUI form generator and the CLI both read this
 * model, so neither interprets JSON Schema itself. Values ({@link #defaultValue()},
 * {@link #enumValues()}, {@link #constValue()}) are plain Java JSON values as in
 * {@link org.kvmstudio.model.Parameters}.
 */
public final class Field {

    /** An enum choice and the label to show for it (the value itself when the schema gives none). */
    public record Choice(Object value, String title) {
    }

    private final String name;
    private final String pointer;
    private final FieldType type;
    private final List<FieldType> types;
    private final String title;
    private final String description;
    private final List<Choice> choices;
    private final boolean hasConst;
    private final Object constValue;
    private final BigDecimal minimum;
    private final BigDecimal maximum;
    private final BigDecimal exclusiveMinimum;
    private final BigDecimal exclusiveMaximum;
    private final BigDecimal multipleOf;
    private final Integer minLength;
    private final Integer maxLength;
    private final Integer minItems;
    private final Integer maxItems;
    private final boolean uniqueItems;
    private final String pattern;
    private final String format;
    private final boolean textarea;
    private final boolean secret;
    private final boolean required;
    private final boolean readOnly;
    private final boolean hasDefault;
    private final Object defaultValue;
    private final Field items;
    private final List<Field> properties;
    private final Map<String, Field> patternProperties;
    private final boolean closed;
    private final List<Field> variants;
    private final boolean exclusiveVariants;
    private final List<String> aliases;

    private Field(Builder b) {
        name = b.name;
        pointer = b.pointer;
        types = List.copyOf(b.types);
        type = types.size() == 1 ? types.get(0) : types.size() == 2 && types.contains(FieldType.NULL)
                ? types.stream().filter(t -> t != FieldType.NULL).findFirst().orElseThrow() : FieldType.ANY;
        title = b.title == null || b.title.isBlank() ? name : b.title;
        description = b.description == null ? "" : b.description;
        choices = List.copyOf(b.choices);
        hasConst = b.hasConst;
        constValue = b.constValue;
        minimum = b.minimum;
        maximum = b.maximum;
        exclusiveMinimum = b.exclusiveMinimum;
        exclusiveMaximum = b.exclusiveMaximum;
        multipleOf = b.multipleOf;
        minLength = b.minLength;
        maxLength = b.maxLength;
        minItems = b.minItems;
        maxItems = b.maxItems;
        uniqueItems = b.uniqueItems;
        pattern = b.pattern;
        format = b.format;
        textarea = b.textarea;
        secret = b.secret;
        required = b.required;
        readOnly = b.readOnly;
        hasDefault = b.hasDefault;
        defaultValue = b.defaultValue;
        items = b.items;
        properties = List.copyOf(b.properties.values());
        patternProperties = Collections.unmodifiableMap(new LinkedHashMap<>(b.patternProperties));
        closed = b.closed;
        variants = List.copyOf(b.variants);
        exclusiveVariants = b.exclusiveVariants;
        aliases = List.copyOf(b.aliases);
    }

    /** The parameter's name; {@code ""} for a root schema, a pattern for a pattern property. */
    public String name() { return name; }
    /**
     * JSON pointer of the parameter inside a parameter set ({@code /nat-rules}), a template where a
     * value's place depends on it: {@code *} stands for any item of an array, {@code {pattern}} for
     * any key matching a {@code patternProperties} pattern ({@code /external-disk/{^[a-z]+$}}).
     * {@link ParameterSchema#fieldAt} finds the field of a concrete pointer.
     */
    public String pointer() { return pointer; }
    /** The single type the value must have, or {@link FieldType#ANY} when several are allowed. */
    public FieldType type() { return type; }
    public List<FieldType> types() { return types; }
    public String title() { return title; }
    public String description() { return description; }
    /** Allowed values ({@code enum}, or {@code oneOf} of {@code const}s with titles), in schema order. */
    public List<Choice> choices() { return choices; }
    public boolean isEnum() { return !choices.isEmpty(); }
    public Optional<Object> constValue() { return hasConst ? Optional.ofNullable(constValue) : Optional.empty(); }
    public boolean hasConst() { return hasConst; }
    public Optional<BigDecimal> minimum() { return Optional.ofNullable(minimum); }
    public Optional<BigDecimal> maximum() { return Optional.ofNullable(maximum); }
    public Optional<BigDecimal> exclusiveMinimum() { return Optional.ofNullable(exclusiveMinimum); }
    public Optional<BigDecimal> exclusiveMaximum() { return Optional.ofNullable(exclusiveMaximum); }
    public Optional<BigDecimal> multipleOf() { return Optional.ofNullable(multipleOf); }
    public Optional<Integer> minLength() { return Optional.ofNullable(minLength); }
    public Optional<Integer> maxLength() { return Optional.ofNullable(maxLength); }
    public Optional<Integer> minItems() { return Optional.ofNullable(minItems); }
    public Optional<Integer> maxItems() { return Optional.ofNullable(maxItems); }
    public boolean uniqueItems() { return uniqueItems; }
    public Optional<String> pattern() { return Optional.ofNullable(pattern); }
    public Optional<String> format() { return Optional.ofNullable(format); }
    /** SlapOS's {@code textarea: true}: a multi-line text. */
    public boolean textarea() { return textarea; }
    /** A password or key: masked in forms, redacted in logs. */
    public boolean secret() { return secret; }
    public boolean required() { return required; }
    public boolean readOnly() { return readOnly; }
    public boolean hasDefault() { return hasDefault; }
    /** The default, shown in forms but, as in SlapOS, not sent with a request. */
    public Optional<Object> defaultValue() { return hasDefault ? Optional.ofNullable(defaultValue) : Optional.empty(); }
    /** For arrays: what each item is. */
    public Optional<Field> items() { return Optional.ofNullable(items); }
    /** For objects: the named parameters, in schema order. */
    public List<Field> properties() { return properties; }
    public Optional<Field> property(String propertyName) {
        return properties.stream().filter(f -> f.name.equals(propertyName)).findFirst();
    }
    /** For objects: pattern of a key → what values of matching keys are. */
    public Map<String, Field> patternProperties() { return patternProperties; }
    /** For objects: whether names other than {@link #properties()} are refused. */
    public boolean closed() { return closed; }
    /** {@code oneOf} / {@code anyOf} alternatives that are not plain enum choices. */
    public List<Field> variants() { return variants; }
    /** {@code true} for {@code oneOf} (exactly one must match), {@code false} for {@code anyOf}. */
    public boolean exclusiveVariants() { return exclusiveVariants; }
    /** Other names accepted for this parameter (older SlapOS spellings); the field's name is canonical. */
    public List<String> aliases() { return aliases; }

    @Override
    public String toString() {
        return "Field[" + (pointer.isEmpty() ? "/" : pointer) + " " + type.jsonName() + "]";
    }

    /** Filled in by the schema engine's model builder. */
    public static final class Builder {
        private final String name;
        private final String pointer;
        private final List<FieldType> types = new ArrayList<>();
        private String title;
        private String description;
        private final List<Choice> choices = new ArrayList<>();
        private boolean hasConst;
        private Object constValue;
        private BigDecimal minimum;
        private BigDecimal maximum;
        private BigDecimal exclusiveMinimum;
        private BigDecimal exclusiveMaximum;
        private BigDecimal multipleOf;
        private Integer minLength;
        private Integer maxLength;
        private Integer minItems;
        private Integer maxItems;
        private boolean uniqueItems;
        private String pattern;
        private String format;
        private boolean textarea;
        private boolean secret;
        private boolean required;
        private boolean readOnly;
        private boolean hasDefault;
        private Object defaultValue;
        private Field items;
        private final Map<String, Field> properties = new LinkedHashMap<>();
        private final Map<String, Field> patternProperties = new LinkedHashMap<>();
        private boolean closed;
        private final List<Field> variants = new ArrayList<>();
        private boolean exclusiveVariants;
        private final List<String> aliases = new ArrayList<>();

        public Builder(String name, String pointer) {
            this.name = name;
            this.pointer = pointer;
        }

        // Each setter keeps a value already set: the schema's own keywords are read before the
        // allOf branches and $ref targets, so the nearest definition wins.
        public Builder type(FieldType t) { if (!types.contains(t)) { types.add(t); } return this; }
        public boolean hasType() { return !types.isEmpty(); }
        public Builder title(String v) { if (title == null) { title = v; } return this; }
        public Builder description(String v) { if (description == null) { description = v; } return this; }
        public Builder choice(Object value, String label) {
            if (choices.stream().noneMatch(c -> java.util.Objects.equals(c.value(), value))) {
                choices.add(new Choice(value, label == null || label.isBlank() ? String.valueOf(value) : label));
            }
            return this;
        }
        public Builder constValue(Object v) { if (!hasConst) { hasConst = true; constValue = v; } return this; }
        public Builder minimum(BigDecimal v) { if (minimum == null) { minimum = v; } return this; }
        public Builder maximum(BigDecimal v) { if (maximum == null) { maximum = v; } return this; }
        public Builder exclusiveMinimum(BigDecimal v) { if (exclusiveMinimum == null) { exclusiveMinimum = v; } return this; }
        public Builder exclusiveMaximum(BigDecimal v) { if (exclusiveMaximum == null) { exclusiveMaximum = v; } return this; }
        public Builder multipleOf(BigDecimal v) { if (multipleOf == null) { multipleOf = v; } return this; }
        public Builder minLength(Integer v) { if (minLength == null) { minLength = v; } return this; }
        public Builder maxLength(Integer v) { if (maxLength == null) { maxLength = v; } return this; }
        public Builder minItems(Integer v) { if (minItems == null) { minItems = v; } return this; }
        public Builder maxItems(Integer v) { if (maxItems == null) { maxItems = v; } return this; }
        public Builder uniqueItems(boolean v) { uniqueItems |= v; return this; }
        public Builder pattern(String v) { if (pattern == null) { pattern = v; } return this; }
        public Builder format(String v) { if (format == null) { format = v; } return this; }
        public Builder textarea(boolean v) { textarea |= v; return this; }
        public Builder secret(boolean v) { secret |= v; return this; }
        public Builder required(boolean v) { required |= v; return this; }
        public Builder readOnly(boolean v) { readOnly |= v; return this; }
        public Builder defaultValue(Object v) { if (!hasDefault) { hasDefault = true; defaultValue = v; } return this; }
        public Builder items(Field v) { if (items == null) { items = v; } return this; }
        public Builder property(Field f) { properties.putIfAbsent(f.name(), f); return this; }
        public Builder patternProperty(String regex, Field f) { patternProperties.putIfAbsent(regex, f); return this; }
        public Builder closed(boolean v) { closed |= v; return this; }
        public Builder variant(Field f, boolean exclusive) { variants.add(f); exclusiveVariants |= exclusive; return this; }
        public Builder alias(String a) { if (!aliases.contains(a)) { aliases.add(a); } return this; }

        public Field build() {
            return new Field(this);
        }
    }
}
