package org.kvmstudio.schema;

import java.util.Locale;

/** JSON Schema's instance types, plus {@link #ANY} where a schema allows several or says none. */
public enum FieldType {
    STRING, INTEGER, NUMBER, BOOLEAN, ARRAY, OBJECT, NULL, ANY;

    public static FieldType of(String jsonType) {
        try {
            return valueOf(jsonType.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            return ANY;
        }
    }

    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
