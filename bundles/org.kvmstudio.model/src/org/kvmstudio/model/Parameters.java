package org.kvmstudio.model;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * An immutable set of instance parameters or connection parameters: JSON-like values keyed by
 * name, in insertion order. Values are {@code String}, {@code Boolean}, {@code Long},
 * {@code BigInteger}, {@code BigDecimal}, {@code List} or {@code Map} of those,
 * or {@code null}. Numbers are normalised (integral values become {@code Long}, others {@code BigDecimal}) so that
 * {@code 1024} read from a form, a CLI or a JSON file compares equal.
 */
public final class Parameters {

    public static final Parameters EMPTY = new Parameters(Map.of());

    private final Map<String, Object> values;

    private Parameters(Map<String, Object> values) {
        this.values = values;
    }

    /** Copies and normalises {@code values}; rejects values that are not JSON-like. */
    public static Parameters of(Map<String, ?> values) {
        if (values == null || values.isEmpty()) {
            return EMPTY;
        }
        return new Parameters(normaliseMap(values, "", 0));
    }

    public Optional<Object> get(String name) {
        return Optional.ofNullable(values.get(name));
    }

    public boolean contains(String name) {
        return values.containsKey(name);
    }

    public Set<String> names() {
        return values.keySet();
    }

    public int size() {
        return values.size();
    }

    public boolean isEmpty() {
        return values.isEmpty();
    }

    /** The values as an unmodifiable map (nested lists and maps are unmodifiable too). */
    public Map<String, Object> asMap() {
        return values;
    }

    public Parameters with(String name, Object value) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.put(name, value);
        return of(copy);
    }

    public Parameters without(String name) {
        if (!values.containsKey(name)) {
            return this;
        }
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.remove(name);
        return of(copy);
    }

    /** {@code this} overlaid with {@code other}: keys of {@code other} win. */
    public Parameters merge(Parameters other) {
        Map<String, Object> copy = new LinkedHashMap<>(values);
        copy.putAll(other.values);
        return of(copy);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Parameters p && p.values.equals(values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return values.toString();
    }

    /**
     * Parameter files and fields are untrusted: {@code 1e999999999} is fifteen bytes of JSON but a
     * billion digits once made an integer, and {@code 1e400} is beyond what any schema keyword compares.
     */
    private static void checkMagnitude(BigDecimal dec, String pointer) {
        long integerDigits = (long) dec.precision() - dec.scale();
        if (integerDigits > InputLimits.MAX_INTEGER_DIGITS || Math.abs((long) dec.scale()) > InputLimits.MAX_DIGITS
                || dec.precision() > InputLimits.MAX_DIGITS) {
            throw new InvalidRequestException("number out of range at " + shown(pointer) + ": more than "
                    + InputLimits.MAX_INTEGER_DIGITS + " digits before the point or " + InputLimits.MAX_DIGITS + " in all");
        }
    }

    private static String shown(String pointer) {
        return pointer.isEmpty() ? "/" : Excerpt.shortened(pointer);
    }

    private static Map<String, Object> normaliseMap(Map<?, ?> map, String pointer, int depth) {
        Map<String, Object> copy = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : map.entrySet()) {
            if (!(e.getKey() instanceof String key)) {
                throw new IllegalArgumentException("parameter names must be strings, got "
                        + (e.getKey() == null ? "null" : e.getKey().getClass().getSimpleName()) + " at " + shown(pointer));
            }
            if (key.length() > InputLimits.MAX_NAME_CHARS) {
                throw new InvalidRequestException("a name at " + shown(pointer) + " is longer than "
                        + InputLimits.MAX_NAME_CHARS + " characters: " + Excerpt.quoted(key));
            }
            copy.put(key, normalise(e.getValue(), pointer + "/" + key.replace("~", "~0").replace("/", "~1"), depth));
        }
        return Collections.unmodifiableMap(copy);
    }

    private static Object normalise(Object value, String pointer, int depth) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof String text) {
            if (text.length() > InputLimits.MAX_STRING_CHARS) {
                throw new InvalidRequestException("the text at " + shown(pointer) + " is longer than "
                        + InputLimits.MAX_STRING_CHARS + " characters");
            }
            return text;
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return ((Number) value).longValue();
        }
        if (value instanceof BigInteger big) {
            if (big.bitLength() > 1024) { // past a double's range, as are 310 digits
                throw new InvalidRequestException("number out of range at " + shown(pointer) + ": more than "
                        + InputLimits.MAX_INTEGER_DIGITS + " digits");
            }
            return big.bitLength() < 64 ? (Object) big.longValue() : big;
        }
        if (value instanceof Float || value instanceof Double) {
            double d = ((Number) value).doubleValue();
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                throw new InvalidRequestException("not a JSON number at " + shown(pointer) + ": " + d);
            }
            // one representation per value: a double read back from JSON as a decimal compares equal
            return normalise(BigDecimal.valueOf(d), pointer, depth);
        }
        if (value instanceof BigDecimal dec) {
            checkMagnitude(dec, pointer);
            BigDecimal stripped = dec.stripTrailingZeros();
            if (stripped.scale() <= 0) {
                return normalise(stripped.toBigIntegerExact(), pointer, depth);
            }
            return stripped;
        }
        if ((value instanceof Map<?, ?> || value instanceof List<?>) && depth >= InputLimits.MAX_DEPTH) {
            throw new InvalidRequestException("the value at " + shown(pointer) + " nests deeper than "
                    + InputLimits.MAX_DEPTH + " levels");
        }
        if (value instanceof Map<?, ?> map) {
            return normaliseMap(map, pointer, depth + 1);
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>(list.size());
            for (int i = 0; i < list.size(); i++) {
                copy.add(normalise(list.get(i), pointer + "/" + i, depth + 1));
            }
            return Collections.unmodifiableList(copy);
        }
        throw new IllegalArgumentException(
                "not a JSON value at " + shown(pointer) + ": " + value.getClass().getSimpleName());
    }

}
