package org.kvmstudio.forms.internal;

/** RFC 6901 JSON pointers, the schema engine's way of naming a place in the parameters. */
public final class Pointers {

    private Pointers() {
    }

    /** {@code name} escaped as one segment of a pointer. */
    public static String segment(String name) {
        return name.replace("~", "~0").replace("/", "~1");
    }

    /** Whether {@code pointer} is {@code prefix} or lies inside it, segment-wise. */
    public static boolean within(String pointer, String prefix) {
        return pointer.equals(prefix) || pointer.startsWith(prefix + "/") || prefix.isEmpty();
    }
}
