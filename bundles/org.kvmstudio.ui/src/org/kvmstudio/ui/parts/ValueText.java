package org.kvmstudio.ui.parts;

import java.util.Map;

import org.kvmstudio.input.ParameterText;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.schema.SecretValues;

/** A parameter's value as one line of a table: secrets masked (inside structures too), a structure as compact JSON. */
public final class ValueText {

    static final String MASK = "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022";

    private ValueText() {
    }

    /** @param schema the schema the value's parameter set follows, or {@code null} when there is none (the name says) */
    public static String of(ParameterSchema schema, String name, Object value) {
        if (value == null) {
            return "(not given)";
        }
        Object shown = ((Map<?, ?>) SecretValues.mask(schema, Map.of(name, value), MASK)).get(name);
        if (shown instanceof String || shown instanceof Number || shown instanceof Boolean) {
            return String.valueOf(shown);
        }
        return ParameterText.formatValue(shown);
    }
}
