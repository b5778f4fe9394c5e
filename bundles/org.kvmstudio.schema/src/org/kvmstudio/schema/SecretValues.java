package org.kvmstudio.schema;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kvmstudio.schema.internal.JsonValues;

/**
 * Secret values (those a schema marks, or whose name says so) hidden behind a placeholder wherever
 * parameters are shown: a JSON editor, a plan, a table of connection parameters. A placeholder
 * typed back is read as the value it hid, so a password survives a round trip through a text.
 */
public final class SecretValues {

    private SecretValues() {
    }

    /** {@code values} with every secret's value replaced by {@code placeholder}; {@code schema} may be {@code null}. */
    public static Object mask(ParameterSchema schema, Object values, String placeholder) {
        return walk(schema, values, "", (pointer, value) -> placeholder);
    }

    /** {@code typed} with each {@code placeholder} at a secret's place replaced by the value {@code current} has there. */
    public static Object unmask(ParameterSchema schema, Object typed, Object current, String placeholder) {
        return walk(schema, typed, "", (pointer, value) -> {
            Object was = placeholder.equals(value) ? at(current, pointer) : null;
            return was == null ? value : was;
        });
    }

    private interface Secret {
        Object replace(String pointer, Object value);
    }

    private static Object walk(ParameterSchema schema, Object value, String pointer, Secret secret) {
        if (!pointer.isEmpty() && value != null && secret(schema, pointer)) {
            return secret.replace(pointer, value);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> copy = new LinkedHashMap<>();
            map.forEach((k, v) -> copy.put((String) k, walk(schema, v, pointer + "/" + JsonValues.pointerSegment((String) k), secret)));
            return copy;
        }
        if (value instanceof List<?> list) {
            List<Object> copy = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                copy.add(walk(schema, list.get(i), pointer + "/" + i, secret));
            }
            return copy;
        }
        return value;
    }

    /** Without a schema (published values may have none), the name alone says. */
    private static boolean secret(ParameterSchema schema, String pointer) {
        if (schema != null) {
            return schema.secret(pointer);
        }
        String last = pointer.substring(pointer.lastIndexOf('/') + 1).replace("~1", "/").replace("~0", "~");
        return ParameterSchema.secretName(last);
    }

    private static Object at(Object values, String pointer) {
        Object v = values;
        for (String s : pointer.substring(1).split("/", -1)) {
            String name = s.replace("~1", "/").replace("~0", "~");
            if (v instanceof Map<?, ?> map) {
                v = map.get(name);
            } else if (v instanceof List<?> list && name.matches("\\d{1,9}") && Integer.parseInt(name) < list.size()) {
                v = list.get(Integer.parseInt(name));
            } else {
                return null;
            }
        }
        return v;
    }
}
