package org.kvmstudio.robustness;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Generated input as an attacker or a careless user would type it: every JSON type at every
 * property, boundary and huge numbers, megabyte strings, unicode that breaks renderers (RTL
 * overrides, NUL, lone surrogates), markup, path and URL tricks, shell metacharacters, deep nesting
 * and JSON-pointer-special keys. One seed gives one sequence, so a failing case is replayed from its seed.
 */
final class Hostile {

    static final String MEGABYTE = "a".repeat(1 << 20);

    private static final String[] WORDS = {"", " ", "default", "kvm", "nbd", "vm", "x", "true", "yes", "0", "null",
        "2048", "[22,80]", "{\"a\":1}", "[]", "{}", "\t\n", "café", "日本語"};
    private static final String[] UNICODE = {"\u202Eevil\u202C", "a\u0000b", "\uD800", "\uDC00x", "\uFEFFbom",
        "\u0301", "👍🏽", "\u2028line\u2029", "\uFFFF", "e\u0301", "ﬀ", "\u200B"};
    private static final String[] MARKUP = {"<", "&", "]]>", "<domain type='kvm'>", "&amp;&lt;", "\"'", "<!--",
        "<![CDATA[x]]>", "&#0;", "<?xml version='1.0'?>", "</name><uuid>x</uuid><name>"};
    private static final String[] PATHS = {"../x", "/", "/etc/passwd", "..", "../../../../etc/shadow", "a/../../b",
        "%2e%2e%2f", "\\\\server\\share", "~", "~root", "file:///etc/passwd", "file:/dev/zero", "/dev/urandom",
        "/proc/self/environ", ".", "SOFTINST-1", "./", "a\u0000.json"};
    private static final String[] URLS = {"http://127.0.0.1:22/", "https://user:pass@host/x", "javascript:alert(1)",
        "http://[::1]:10809/", "nbd://evil", "ftp://x", "http://x#", "https://", "http://a b", "//host/x",
        "http://%00/", "qemu+ssh://root@h/system", "file:///proc/self/mem"};
    private static final String[] SHELL = {"$(reboot)", "`id`", "; rm -rf /", "| cat /etc/passwd", "&& x", "${IFS}",
        "'; DROP TABLE", "\n-o ProxyCommand=x", "--help", "-rf", "*", "$HOME", "\"$(x)\""};
    private static final String[] NUMBERS_AS_TEXT = {"1024", "-0", "1e999999", "NaN", "Infinity", "-Infinity", "0x10",
        "9223372036854775808", "-9223372036854775809", "1.5", "+1", " 7 ", "1_000", "0.1e-999999", "٣"};
    private static final String[] KEYS = {"~0", "~1", "/", "", "a/b", "~01", "__proto__", "constructor", "$ref",
        "format", "x\u0000y", "\u202Ekey", "..", "<k>"};

    private final SplittableRandom random;

    Hostile(long seed) {
        random = new SplittableRandom(seed);
    }

    int below(int n) {
        return random.nextInt(n);
    }

    boolean chance(double p) {
        return random.nextDouble() < p;
    }

    <T> T oneOf(List<T> items) {
        return items.get(below(items.size()));
    }

    private String oneOf(String[] items) {
        return items[below(items.length)];
    }

    /** A string from one of the hostile families, sometimes several glued together. */
    String string() {
        String s = family();
        while (chance(0.15)) {
            s += family();
        }
        return s;
    }

    private String family() {
        return switch (below(14)) {
            case 0 -> oneOf(WORDS);
            case 1 -> oneOf(UNICODE);
            case 2 -> oneOf(MARKUP);
            case 3 -> oneOf(PATHS);
            case 4 -> oneOf(URLS);
            case 5 -> oneOf(SHELL);
            case 6 -> oneOf(NUMBERS_AS_TEXT);
            case 7 -> chance(0.1) ? MEGABYTE : repeat(oneOf(WORDS) + "x", 1 + below(5000));
            case 8 -> digits(1000 + below(2000)); // more digits than any number may have
            case 9 -> "/".repeat(1 + below(20000)) + (chance(0.5) ? " x" : ""); // backtracking bait for ^(/[^ ]* ?)+$
            case 10 -> "http://" + "a".repeat(below(100000)) + (chance(0.5) ? "#" + "0".repeat(32) : "");
            case 11 -> randomChars(1 + below(64));
            case 12 -> oneOf(KEYS);
            default -> "2001:db8::" + Integer.toHexString(below(65536));
        };
    }

    private static String repeat(String s, int times) {
        return s.repeat(Math.max(1, Math.min(times, (1 << 20) / Math.max(1, s.length()))));
    }

    String digits(int n) {
        StringBuilder sb = new StringBuilder(n);
        sb.append((char) ('1' + below(9)));
        for (int i = 1; i < n; i++) {
            sb.append((char) ('0' + below(10)));
        }
        return sb.toString();
    }

    /** Any UTF-16 units, lone surrogates and controls included. */
    String randomChars(int n) {
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            sb.append(switch (below(4)) {
                case 0 -> (char) below(0x20);
                case 1 -> (char) (0xD800 + below(0x800));
                case 2 -> (char) below(0x10000);
                default -> (char) (0x20 + below(0x5F));
            });
        }
        return sb.toString();
    }

    /** A number at or past a boundary, as the Java types a caller may hand over. */
    Object number() {
        return switch (below(16)) {
            case 0 -> Long.MAX_VALUE;
            case 1 -> Long.MIN_VALUE;
            case 2 -> BigInteger.TWO.pow(63);
            case 3 -> BigInteger.TWO.pow(63).negate().subtract(BigInteger.ONE);
            case 4 -> BigInteger.TWO.pow(64);
            case 5 -> new BigInteger(digits(1000 + below(500)));
            case 6 -> new BigDecimal("1e999999");
            case 7 -> new BigDecimal("1e-999999");
            case 8 -> new BigDecimal("1e400");
            case 9 -> Double.NaN;
            case 10 -> chance(0.5) ? Double.POSITIVE_INFINITY : Double.NEGATIVE_INFINITY;
            case 11 -> Double.MAX_VALUE;
            case 12 -> Double.MIN_VALUE;
            case 13 -> (long) below(5000) - 10;
            case 14 -> new BigDecimal(digits(300) + "." + digits(300));
            default -> -0.0d;
        };
    }

    /** Any JSON-like value, nested up to {@code depth} levels (deeper ones come from {@link #deep}). */
    Object value(int depth) {
        return switch (below(depth > 0 ? 9 : 6)) {
            case 0 -> null;
            case 1 -> chance(0.5);
            case 2, 3 -> number();
            case 4, 5 -> string();
            case 6 -> list(depth - 1);
            case 7 -> map(depth - 1);
            default -> deep(chance(0.5) ? 10_000 : 40 + below(40));
        };
    }

    List<Object> list(int depth) {
        List<Object> list = new ArrayList<>();
        for (int n = below(4); n > 0; n--) {
            list.add(value(depth));
        }
        return list;
    }

    Map<String, Object> map(int depth) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int n = below(4); n > 0; n--) {
            map.put(key(List.of()), value(depth));
        }
        return map;
    }

    /** Lists or objects nested {@code levels} deep, built without recursion. */
    Object deep(int levels) {
        Object v = chance(0.5) ? "bottom" : null;
        for (int i = 0; i < levels; i++) {
            v = chance(0.5) ? new ArrayList<>(java.util.Collections.singletonList(v)) : singletonMap(chance(0.5) ? "a" : oneOf(KEYS), v);
        }
        return v;
    }

    /** An object of name, value pairs, values may be null (which {@code Map.of} refuses). */
    static Map<String, Object> object(Object... namesAndValues) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            m.put((String) namesAndValues[i], namesAndValues[i + 1]);
        }
        return m;
    }

    private static Map<String, Object> singletonMap(String k, Object v) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k, v);
        return m;
    }

    /** A parameter name: mostly ones the schema knows (so values reach real fields), else anything. */
    String key(List<String> known) {
        if (!known.isEmpty() && chance(0.7)) {
            return oneOf(known);
        }
        return switch (below(4)) {
            case 0 -> oneOf(KEYS);
            case 1 -> randomChars(1 + below(16));
            case 2 -> "k".repeat(100 + below(20000)); // a name longer than any
            default -> oneOf(WORDS);
        };
    }

    /** A parameter set for a schema whose names are {@code known}. */
    Map<String, Object> parameters(List<String> known) {
        Map<String, Object> map = new LinkedHashMap<>();
        for (int n = below(6); n > 0; n--) {
            map.put(key(known), value(3));
        }
        return map;
    }
}
