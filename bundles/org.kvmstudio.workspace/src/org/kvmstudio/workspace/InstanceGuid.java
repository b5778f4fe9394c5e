package org.kvmstudio.workspace;

import java.util.Comparator;
import java.util.regex.Pattern;

/**
 * Instance guids ({@code SOFTINST-n}). They name partition files, so an id is checked against
 * this shape before it goes anywhere near a path; at most 18 digits keeps {@code n} in a long.
 */
final class InstanceGuid {

    private static final String PREFIX = "SOFTINST-";
    private static final Pattern SHAPE = Pattern.compile(Pattern.quote(PREFIX) + "[0-9]{1,18}");

    /** By number, so that SOFTINST-9 comes before SOFTINST-10. */
    static final Comparator<String> ORDER = Comparator.comparingLong(InstanceGuid::number)
            .thenComparing(Comparator.naturalOrder());

    private InstanceGuid() {
    }

    static String of(long number) {
        return PREFIX + number;
    }

    static boolean isValid(String id) {
        return id != null && SHAPE.matcher(id).matches();
    }

    /** {@code id}, if it is an instance guid. */
    static String check(String id) {
        if (!isValid(id)) {
            throw new IllegalArgumentException("'" + id + "' is not an instance guid (SOFTINST-<number>)");
        }
        return id;
    }

    /** The {@code n} of {@code SOFTINST-n}; refuses anything else. */
    static long number(String id) {
        return Long.parseLong(check(id).substring(PREFIX.length()));
    }
}
