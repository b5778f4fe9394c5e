package org.kvmstudio.robustness;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.schema.ParameterSchema;

/**
 * Parameters as forms and the command line hand them over: validation against every software type
 * of the kvm release and of every SlapOS descriptor in the reference, coercion of text values (SlapOS's
 * {@code xml} serialisation, {@code k=v}), and the model's own intake of Java values.
 */
class ParameterProperties {

    static List<Schemas.UnderTest> schemas;

    @BeforeAll
    static void load() throws Exception {
        schemas = Schemas.all();
    }

    /** A distinctive value of any type in each secret field: none may appear in a message. */
    static void plantSecrets(Schemas.UnderTest s, Map<String, Object> values, Hostile h, Boundary.Case c) {
        for (String name : s.secretNames()) {
            if (!h.chance(0.8)) {
                continue;
            }
            String token = "S3cr3t-" + Long.toHexString(c.seed) + "-" + h.below(1_000_000);
            Object value = switch (h.below(5)) {
                case 0 -> 1_000_000_000L + h.below(1_000_000_000);
                case 1 -> List.of(token);
                case 2 -> Map.of("k", token);
                case 3 -> h.chance(0.5) ? token.repeat(50) : token + h.string();
                default -> token;
            };
            values.put(name, value);
            c.secret(value instanceof Long ? value : token);
        }
    }

    @Test
    void validation() throws Exception {
        new Boundary("parameter validation", 3000).accepting(0.2).run((h, c) -> {
            Schemas.UnderTest s = h.oneOf(schemas);
            c.description = s.label();
            Map<String, Object> values = h.parameters(s.names());
            plantSecrets(s, values, h, c);
            c.input(values);
            ParameterSchema schema = s.schema();
            return () -> {
                Parameters canonical = schema.canonicalize(Parameters.of(values));
                c.problems.addAll(schema.validate(canonical));
                schema.withDefaults(canonical);
            };
        });
    }

    @Test
    void coercionOfTextValues() throws Exception {
        new Boundary("coercion of text values", 2000).accepting(0.3).run((h, c) -> {
            Schemas.UnderTest s = h.oneOf(schemas);
            c.description = s.label();
            Map<String, Object> values = new LinkedHashMap<>();
            for (int n = h.below(6); n > 0; n--) {
                values.put(h.key(s.names()), h.string());
            }
            plantSecrets(s, values, h, c);
            c.input(values);
            ParameterSchema schema = s.schema();
            return () -> {
                Parameters coerced = schema.coerceStrings(schema.canonicalize(Parameters.of(values)));
                c.problems.addAll(schema.validate(coerced));
            };
        });
    }

    @Test
    void javaValuesTheModelTakes() throws Exception {
        new Boundary("model parameter values", 1500).accepting(0.05).run((h, c) -> {
            Map<String, Object> values = h.parameters(List.of("ram-size", "nbd-host", "nat-rules"));
            if (h.chance(0.3)) {
                values.put(h.key(List.of()), h.deep(h.chance(0.5) ? 10_000 : 60 + h.below(10)));
            }
            c.input(values);
            Map<String, Object> more = h.parameters(List.of("ram-size"));
            Object another = h.value(2);
            return () -> Parameters.of(values).merge(Parameters.of(more)).with("x", another).without("x");
        });
    }
}
