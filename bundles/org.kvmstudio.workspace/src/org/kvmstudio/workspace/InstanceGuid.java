package org.kvmstudio.workspace;

import java.util.Comparator;

/**
 * Instance guids ({@code SOFTINST-n}). They name partition files, so an id is checked against
 * this shape before it goes anywhere near a path; at most 18 digits keeps {@code n} in a long.
 */
final class InstanceGuid {

    private static final String PREFIX = "SOFTINST-";
    private static final int MOST_DIGITS = 18;

    /**
     * By number, so that SOFTINST-9 comes before SOFTINST-10: guids share their prefix and numbers are
     * written without leading zeros, so the shorter is the smaller; nothing is parsed (this compares on
     * every lookup of a partition). Any other string still gets a place of its own.
     */
    static final Comparator<String> ORDER = Comparator.comparingInt(String::length)
            .thenComparing(Comparator.naturalOrder());

    private InstanceGuid() {
    }

    static String of(long number) {
        return PREFIX + number;
    }

    /** {@code SOFTINST-} and 1 to 18 ASCII digits (checked by hand: every partition file named is checked). */
    static boolean isValid(String id) {
        if (id == null || !id.startsWith(PREFIX) || id.length() == PREFIX.length()
                || id.length() > PREFIX.length() + MOST_DIGITS) {
            return false;
        }
        for (int i = PREFIX.length(); i < id.length(); i++) {
            if (id.charAt(i) < '0' || id.charAt(i) > '9') {
                return false;
            }
        }
        return true;
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
