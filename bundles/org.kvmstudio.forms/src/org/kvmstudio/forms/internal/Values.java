package org.kvmstudio.forms.internal;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.Locale;

import org.kvmstudio.input.JsonInput;
import org.kvmstudio.model.InputLimits;
import org.kvmstudio.schema.FieldType;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

/** JSON values to the text an input shows, and back as the type a field expects. */
final class Values {

    private static final ObjectMapper JSON = JsonInput.mapper(false).build();

    private Values() {
    }

    /** Text as a person reads it: a string as it is, a number in plain digits, anything else as compact JSON. */
    static String text(Object value) {
        if (value == null) {
            return "";
        }
        if (value instanceof String s) {
            return s;
        }
        if (value instanceof BigDecimal d) {
            return d.toPlainString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return json(value);
    }

    static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a form's values are JSON values", e);
        }
    }

    /**
     * Text typed into the input of a field of {@code type}: empty is "not given"; a number or a
     * boolean that does not parse stays text, for the schema to say what is wrong with it.
     */
    static Object parse(String text, FieldType type) {
        if (text.isEmpty()) {
            return null;
        }
        String t = text.trim();
        if ((type == FieldType.INTEGER || type == FieldType.NUMBER) && t.length() > InputLimits.MAX_DIGITS + 8) {
            return text;
        }
        try {
            return switch (type) {
                case INTEGER -> new BigInteger(t);
                // as typed: Parameters checks its magnitude before making an integer of it (1e999999999 would take hours)
                case NUMBER -> new BigDecimal(t);
                case BOOLEAN -> switch (t.toLowerCase(Locale.ROOT)) {
                    case "true" -> Boolean.TRUE;
                    case "false" -> Boolean.FALSE;
                    default -> text;
                };
                default -> text;
            };
        } catch (NumberFormatException e) {
            return text;
        }
    }

    /** Any JSON value typed as text. @throws IllegalArgumentException saying what is wrong, without quoting it */
    static Object parseJson(String text) {
        try {
            return JSON.readValue(text, Object.class);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("is not valid JSON: " + JsonInput.problem(e), e);
        }
    }
}
