package org.kvmstudio.forms.internal;

import java.util.List;
import java.util.Map;

import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.FieldType;

/** Which alternative of a {@code oneOf}/{@code anyOf} a value was written for, as a person would guess. */
final class VariantFit {

    private VariantFit() {
    }

    /** The index of the variant {@code value} fits best; the first on a tie. */
    static int best(List<Field> variants, Object value) {
        int best = 0;
        int bestScore = Integer.MIN_VALUE;
        for (int i = 0; i < variants.size(); i++) {
            int score = score(variants.get(i), value);
            if (score > bestScore) {
                best = i;
                bestScore = score;
            }
        }
        return best;
    }

    private static int score(Field variant, Object value) {
        if (!(value instanceof Map<?, ?> map)) {
            return typeFits(variant.type(), value) ? 1 : 0;
        }
        int score = variant.type() == FieldType.OBJECT || !variant.properties().isEmpty() ? 1 : 0;
        for (Field p : variant.properties()) {
            if (!map.containsKey(p.name())) {
                score -= p.required() ? 1 : 0;
                continue;
            }
            Object given = map.get(p.name());
            if (p.hasConst()) {
                score += JsonEquality.same(p.constValue().orElse(null), given) ? 4 : -8; // a discriminator says it
            } else {
                score += 2;
            }
        }
        return score;
    }

    private static boolean typeFits(FieldType type, Object value) {
        return switch (type) {
            case STRING -> value instanceof String;
            case INTEGER -> value instanceof java.math.BigInteger || value instanceof Integer || value instanceof Long;
            case NUMBER -> value instanceof Number;
            case BOOLEAN -> value instanceof Boolean;
            case ARRAY -> value instanceof List<?>;
            case OBJECT -> value instanceof Map<?, ?>;
            default -> true;
        };
    }
}
