package org.kvmstudio.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

/** The model's own limits on parameter values, where every form, file and command line hands them in. */
class InputLimitsTest {

    private static Object nested(int levels) {
        Object v = "bottom";
        for (int i = 0; i < levels; i++) {
            List<Object> list = new ArrayList<>();
            list.add(v);
            v = list;
        }
        return v;
    }

    @Test
    void valuesNestedTenThousandDeepAreRefusedNotAStackOverflow() {
        InvalidRequestException e = assertThrows(InvalidRequestException.class,
                () -> Parameters.of(Map.of("disks", nested(10_000))));
        assertTrue(e.getMessage().contains("nests deeper than " + InputLimits.MAX_DEPTH), e.getMessage());
        assertEquals(1, Parameters.of(Map.of("disks", nested(InputLimits.MAX_DEPTH - 1))).size());
    }

    @Test
    void numbersPastADoublesRangeAndOverlongNamesAreRefused() {
        assertThrows(InvalidRequestException.class, () -> Parameters.of(Map.of("n", BigInteger.TEN.pow(400))));
        assertThrows(InvalidRequestException.class, () -> Parameters.of(Map.of("n", Double.POSITIVE_INFINITY)));
        InvalidRequestException name = assertThrows(InvalidRequestException.class,
                () -> Parameters.of(Map.of("k".repeat(100_000), 1)));
        assertTrue(name.getMessage().length() < 200, name.getMessage());
    }

    @Test
    void anExcerptIsBoundedAndShowsWhatWouldGarbleAMessage() {
        assertEquals("\"a\\u202eb\\u0000\\ud800\"", Excerpt.quoted("a\u202Eb\u0000\uD800"));
        String excerpt = Excerpt.of("x".repeat(5_000_000));
        assertTrue(excerpt.length() < 100 && excerpt.endsWith("…\" (5000000 characters)"), excerpt);
        assertEquals("a list of 3 items", Excerpt.of(List.of(1, 2, 3)));
        assertEquals("\"👍\"", Excerpt.quoted("👍"), "a pair of surrogates is a character, kept");
    }
}
