package org.kvmstudio.model;

import java.util.List;
import java.util.Map;

/**
 * A value as messages quote it: bounded to {@link InputLimits#MAX_QUOTED_CHARS} characters, control
 * characters and lone surrogates escaped, nested values summarised rather than walked. Messages are
 * saved in a partition's status and shown in dialogs, so they never carry a whole untrusted value.
 */
public final class Excerpt {

    private Excerpt() {
    }

    /** {@code text} quoted, shortened (its length said after the quote) when too long. */
    public static String quoted(String text) {
        if (text == null) {
            return "null";
        }
        Cut cut = cut(text, InputLimits.MAX_QUOTED_CHARS);
        return cut.whole() ? "\"" + cut.text() + "\"" : "\"" + cut.text() + "…\" (" + text.length() + " characters)";
    }

    /** A JSON-like value as a message shows it: text quoted, numbers as written, lists and objects by size. */
    public static String of(Object value) {
        return switch (value) {
            case null -> "null";
            case String s -> quoted(s);
            case Map<?, ?> m -> "an object of " + m.size() + (m.size() == 1 ? " entry" : " entries");
            case List<?> l -> "a list of " + l.size() + (l.size() == 1 ? " item" : " items");
            default -> shortened(String.valueOf(value));
        };
    }

    /** {@code text} cut to the quoted length (escaped), saying how long it really is. */
    public static String shortened(String text) {
        return shortened(text, InputLimits.MAX_QUOTED_CHARS);
    }

    /**
     * A library's sentence about untrusted input (a parser's error quotes the token it choked on), cut
     * to a few lines: longer than a quoted value, still far from the whole input.
     */
    public static String sentence(String text) {
        return text == null ? "" : shortened(text, 3 * InputLimits.MAX_QUOTED_CHARS);
    }

    private static String shortened(String text, int max) {
        if (text == null) {
            return "null";
        }
        Cut cut = cut(text, max);
        return cut.whole() ? cut.text() : cut.text() + "… (" + text.length() + " characters)";
    }

    private record Cut(String text, boolean whole) {
    }

    private static Cut cut(String text, int max) {
        StringBuilder sb = new StringBuilder(Math.min(text.length(), max) + 8);
        int i = 0;
        while (i < text.length() && sb.length() < max) {
            int c = text.codePointAt(i);
            if (hidden(c)) {
                // control, formatting and separator characters would garble or disguise the message
                for (char unit : Character.toChars(c)) {
                    sb.append(String.format("\\u%04x", (int) unit));
                }
            } else {
                sb.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return new Cut(sb.toString(), i >= text.length());
    }

    private static boolean hidden(int c) {
        return switch (Character.getType(c)) {
            case Character.CONTROL, Character.FORMAT, Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR,
                    Character.SURROGATE, Character.UNASSIGNED, Character.PRIVATE_USE -> true;
            default -> false;
        };
    }
}
