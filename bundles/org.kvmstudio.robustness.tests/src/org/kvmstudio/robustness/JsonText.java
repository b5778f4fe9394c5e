package org.kvmstudio.robustness;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;

/**
 * Hostile values written as JSON text (without recursion: values nest 10,000 deep), and that text
 * damaged as files are: cut short, followed by more, with a byte-order mark, in UTF-16, with invalid
 * UTF-8, comments, duplicate keys, numbers JSON does not have.
 */
final class JsonText {

    private JsonText() {
    }

    private record Raw(String text) {
    }

    static String write(Object root, Hostile h) {
        StringBuilder sb = new StringBuilder();
        Deque<Object> stack = new ArrayDeque<>();
        stack.push(root == null ? new Raw("null") : root);
        while (!stack.isEmpty()) {
            Object top = stack.pop();
            switch (top) {
                case Raw raw -> sb.append(raw.text());
                case Map<?, ?> map -> {
                    sb.append('{');
                    stack.push(new Raw("}"));
                    List<Map.Entry<?, ?>> entries = new ArrayList<>(map.entrySet());
                    for (int i = entries.size() - 1; i >= 0; i--) {
                        Object v = entries.get(i).getValue();
                        stack.push(v == null ? new Raw("null") : v);
                        stack.push(new Raw(quote(String.valueOf(entries.get(i).getKey()), h) + ":"));
                        if (i > 0) {
                            stack.push(new Raw(","));
                        }
                    }
                }
                case List<?> list -> {
                    sb.append('[');
                    stack.push(new Raw("]"));
                    for (int i = list.size() - 1; i >= 0; i--) {
                        Object v = list.get(i);
                        stack.push(v == null ? new Raw("null") : v);
                        if (i > 0) {
                            stack.push(new Raw(","));
                        }
                    }
                }
                case String s -> sb.append(quote(s, h));
                case Double d -> sb.append(d.isNaN() ? "NaN" : d.isInfinite() ? (d > 0 ? "Infinity" : "-Infinity") : d.toString());
                default -> sb.append(top); // booleans, integers, decimals (1E+999999 is valid JSON)
            }
        }
        return sb.toString();
    }

    /** A JSON string; lone surrogates and controls sometimes escaped, sometimes raw. */
    static String quote(String s, Hostile h) {
        boolean escapeAll = h.chance(0.5);
        StringBuilder sb = new StringBuilder(s.length() + 2).append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                sb.append('\\').append(c);
            } else if (c < 0x20 || (escapeAll && (Character.isSurrogate(c) || c > 0x7e))) {
                sb.append(String.format("\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        return sb.append('"').toString();
    }

    /** The text as the bytes of a file, sometimes damaged. */
    static byte[] damaged(String json, Hostile h) {
        byte[] utf8 = json.getBytes(StandardCharsets.UTF_8);
        return switch (h.below(12)) {
            case 0 -> concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, utf8); // UTF-8 BOM
            case 1 -> json.getBytes(StandardCharsets.UTF_16); // with its BOM
            case 2 -> java.util.Arrays.copyOf(utf8, h.below(utf8.length + 1)); // cut short
            case 3 -> concat(utf8, "}{\"x\":1}".getBytes(StandardCharsets.UTF_8)); // more after the value
            case 4 -> insert(utf8, h, new byte[] {(byte) 0xC3, 0x28}); // invalid UTF-8
            case 5 -> insert(utf8, h, new byte[] {(byte) 0xC0, (byte) 0xAF}); // overlong '/'
            case 6 -> insert(utf8, h, new byte[] {(byte) 0xFF});
            case 7 -> concat("/* comment */ ".getBytes(StandardCharsets.UTF_8), utf8);
            case 8 -> json.replaceFirst("\\{", "{\"dup\":1,\"dup\":2,").getBytes(StandardCharsets.UTF_8);
            case 9 -> json.replaceFirst("[0-9]+", h.chance(0.5) ? "1e999999999" : "NaN").getBytes(StandardCharsets.UTF_8);
            default -> utf8;
        };
    }

    private static byte[] concat(byte[] a, byte[] b) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(a.length + b.length);
        out.writeBytes(a);
        out.writeBytes(b);
        return out.toByteArray();
    }

    private static byte[] insert(byte[] bytes, Hostile h, byte[] what) {
        int at = h.below(bytes.length + 1);
        ByteArrayOutputStream out = new ByteArrayOutputStream(bytes.length + what.length);
        out.write(bytes, 0, at);
        out.writeBytes(what);
        out.write(bytes, at, bytes.length - at);
        return out.toByteArray();
    }

    /** Nesting no parser should follow, as text (cheaper than building the value). */
    static String deepText(int levels, Hostile h) {
        String open = h.chance(0.5) ? "[" : "{\"a\":";
        String close = open.equals("[") ? "]" : "}";
        return open.repeat(levels) + "1" + close.repeat(levels);
    }
}
