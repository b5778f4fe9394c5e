package org.kvmstudio.input;

import java.util.Map;

import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.Parameters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;

/**
 * Parameters as JSON or YAML text, both ways: what a file, a pasted text or a form's JSON editor
 * holds. Read under {@link JsonInput}'s limits; numbers keep their exact value.
 */
public final class ParameterText {

    private static final ObjectMapper JSON = JsonInput.mapper(false).enable(SerializationFeature.INDENT_OUTPUT).build();
    private static final ObjectMapper COMPACT = JsonInput.mapper(false).build();
    private static final ObjectMapper YAML = JsonInput.mapper(true).build();

    private ParameterText() {
    }

    /**
     * @param subject what the text is, for the message ("parameters.json", "the JSON text")
     * @throws InvalidRequestException when the text is not an object of name: value, saying where, never quoting it
     */
    public static Parameters parse(String text, boolean yaml, String subject) {
        return parse(mapper -> mapper.readValue(text, Object.class), yaml, subject);
    }

    /** {@link #parse(String, boolean, String)} of a file's bytes, whose encoding the parser detects. */
    public static Parameters parse(byte[] bytes, boolean yaml, String subject) {
        return parse(mapper -> mapper.readValue(bytes, Object.class), yaml, subject);
    }

    private interface Reading {
        Object read(ObjectMapper mapper) throws java.io.IOException;
    }

    private static Parameters parse(Reading reading, boolean yaml, String subject) {
        try {
            Object root = reading.read(yaml ? YAML : JSON);
            if (!(root instanceof Map<?, ?> values)) {
                throw new InvalidRequestException(subject + ": parameters must be an object of name: value");
            }
            return Parameters.of(castMap(values));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(subject + ": not valid " + (yaml ? "YAML" : "JSON") + ": " + JsonInput.problem(e), e);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("reading from memory", e); // no I/O happens on a String or byte[]
        }
    }

    /** Indented JSON, in the parameters' own order. */
    public static String format(Parameters parameters) {
        try {
            return JSON.writeValueAsString(parameters.asMap());
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("parameters are JSON values", e); // Parameters admits nothing else
        }
    }

    /** One value (a parameter's) as compact JSON on one line. */
    public static String formatValue(Object value) {
        try {
            return COMPACT.writeValueAsString(value);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a JSON value: " + value.getClass().getName(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, ?> castMap(Map<?, ?> map) {
        return (Map<String, ?>) map; // JSON and YAML object keys read as Object are strings
    }
}
