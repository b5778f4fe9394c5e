package org.kvmstudio.ui.parts;

import org.kvmstudio.input.ParameterText;
import org.kvmstudio.schema.ParameterSchema;

/** A parameter's value as one line of a table: a secret masked, a structure as compact JSON. */
public final class ValueText {

    private ValueText() {
    }

    public static String of(String name, Object value) {
        if (value == null) {
            return "(not given)";
        }
        if (ParameterSchema.secretName(name)) {
            return "••••••••";
        }
        if (value instanceof String || value instanceof Number || value instanceof Boolean) {
            return String.valueOf(value);
        }
        return ParameterText.formatValue(value);
    }
}
