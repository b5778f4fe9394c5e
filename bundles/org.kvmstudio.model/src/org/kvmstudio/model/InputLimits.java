package org.kvmstudio.model;

/**
 * How much untrusted input KVM Studio accepts: one set of numbers for every place input enters
 * (forms, command lines, parameter and template files, workspace files, release descriptors). The
 * model enforces them on every {@link Parameters}; the JSON and YAML readers and the file readers
 * of {@code org.kvmstudio.input} apply the same numbers before parsing.
 */
public final class InputLimits {

    /**
     * A file KVM Studio reads is a few kilobytes; 4 MiB is far beyond any real one, and above what the
     * largest accepted values take once written (every file KVM Studio writes is checked against it,
     * so what was accepted is always read back).
     */
    public static final int MAX_FILE_BYTES = 4 << 20;

    /**
     * A YAML file a person writes by hand: SnakeYAML reads a few hundred kilobytes a second on hostile
     * text (measured: 180 ms of CPU for 60,000 characters), so YAML gets a smaller door than JSON.
     */
    public static final int MAX_YAML_BYTES = 64 << 10;

    /** Parameters nest a few levels; recursion over deeper values would risk the stack. */
    public static final int MAX_DEPTH = 64;

    /** Digits of a number, before and after the point; a parameter needs a few dozen. */
    public static final int MAX_DIGITS = 1000;

    /** Digits before the point: beyond a double's range (1.8e308) no schema keyword can compare a number. */
    public static final int MAX_INTEGER_DIGITS = 309;

    /** A string value: a key, a certificate, a cloud-init script fit many times over. */
    public static final int MAX_STRING_CHARS = 256 << 10;

    /** A parameter or field name (SlapOS's are a few words). */
    public static final int MAX_NAME_CHARS = 128;

    /** How much of a value a message may quote: enough to recognise it, never the whole of a large one. */
    public static final int MAX_QUOTED_CHARS = 60;

    private InputLimits() {
    }
}
