package org.kvmstudio.schema.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kvmstudio.input.JsonInput;
import org.kvmstudio.model.Parameters;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Converts between Jackson trees and the plain Java JSON values of the model. */
public final class JsonValues {

    /** Numbers read as BigDecimal so {@code multipleOf} and large integers are exact. */
    public static final ObjectMapper MAPPER = JsonInput.mapper(false).build();

    private JsonValues() {
    }

    public static Object toJava(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return null;
        }
        if (node.isObject()) {
            Map<String, Object> map = new LinkedHashMap<>();
            Iterator<Map.Entry<String, JsonNode>> it = node.fields();
            while (it.hasNext()) {
                Map.Entry<String, JsonNode> e = it.next();
                map.put(e.getKey(), toJava(e.getValue()));
            }
            return map;
        }
        if (node.isArray()) {
            List<Object> list = new ArrayList<>(node.size());
            node.forEach(n -> list.add(toJava(n)));
            return list;
        }
        if (node.isBoolean()) {
            return node.booleanValue();
        }
        if (node.isIntegralNumber()) {
            return node.canConvertToLong() ? (Object) node.longValue() : node.bigIntegerValue();
        }
        if (node.isNumber()) {
            // as Parameters normalises them, so a default compares equal to the same value typed in
            BigDecimal d = node.decimalValue();
            if (Math.abs((long) d.precision() - d.scale()) > 1000 || Math.abs((long) d.scale()) > 1000) {
                return d; // never expanded: 1e999999999 would be a billion digits (and Parameters refuses it)
            }
            d = d.stripTrailingZeros();
            return d.scale() <= 0 ? toJava(MAPPER.getNodeFactory().numberNode(d.toBigIntegerExact())) : d;
        }
        return node.asText();
    }

    /** A parameter set as a Jackson tree, for the validator. */
    public static JsonNode toJson(Parameters parameters) {
        return MAPPER.valueToTree(parameters.asMap());
    }



    /** Escapes one JSON pointer segment (RFC 6901). */
    public static String pointerSegment(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }
}
