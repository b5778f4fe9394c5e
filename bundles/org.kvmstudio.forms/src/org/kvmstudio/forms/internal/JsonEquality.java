package org.kvmstudio.forms.internal;

import java.math.BigDecimal;
import java.util.Objects;

/** Equality of JSON values as JSON Schema sees it: {@code 2} and {@code 2.0} are the same number. */
final class JsonEquality {

    private JsonEquality() {
    }

    static boolean same(Object a, Object b) {
        if (a instanceof Number x && b instanceof Number y) {
            return new BigDecimal(x.toString()).compareTo(new BigDecimal(y.toString())) == 0;
        }
        return Objects.equals(a, b);
    }
}
