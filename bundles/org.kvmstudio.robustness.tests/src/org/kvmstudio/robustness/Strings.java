package org.kvmstudio.robustness;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Helpers of the checks: the long strings of an input, echoes of them in a message. */
final class Strings {

    private Strings() {
    }

    /** Adds the strings (values and names) of {@code value} long enough to be echoed, without recursion. */
    static void collect(Object value, List<String> into) {
        Deque<Object> todo = new ArrayDeque<>();
        todo.push(value == null ? "" : value);
        while (!todo.isEmpty()) {
            Object v = todo.pop();
            if (v instanceof String s) {
                if (s.length() > Boundary.MAX_ECHO) {
                    into.add(s);
                }
            } else if (v instanceof Map<?, ?> m) {
                m.forEach((k, x) -> {
                    todo.push(String.valueOf(k));
                    if (x != null) {
                        todo.push(x);
                    }
                });
            } else if (v instanceof Collection<?> c) {
                c.forEach(x -> {
                    if (x != null) {
                        todo.push(x);
                    }
                });
            } else if (v != null) {
                String text = v.toString();
                if (text.length() > Boundary.MAX_ECHO) {
                    into.add(text); // a thousand-digit number quoted in full is an echo too
                }
            }
        }
    }

    /**
     * The length of the longest run of {@code message} found in an input, when it reaches {@code limit}.
     * Any such run covers one of the message's 100-character windows at a multiple of 100, so only
     * those are searched, then grown both ways.
     */
    static Optional<Integer> echo(String message, List<String> inputs, int limit) {
        int window = limit / 2;
        for (int at = 0; at + window <= message.length(); at += window) {
            String probe = message.substring(at, at + window);
            for (String input : inputs) {
                for (int found = input.indexOf(probe); found >= 0; found = input.indexOf(probe, found + 1)) {
                    int before = 0;
                    while (at - before > 0 && found - before > 0
                            && message.charAt(at - before - 1) == input.charAt(found - before - 1)) {
                        before++;
                    }
                    int after = 0;
                    while (at + window + after < message.length() && found + window + after < input.length()
                            && message.charAt(at + window + after) == input.charAt(found + window + after)) {
                        after++;
                    }
                    if (before + window + after >= limit) {
                        return Optional.of(before + window + after);
                    }
                    if (found > 4096) {
                        break; // a repetitive input matches everywhere; its first runs tell enough
                    }
                }
            }
        }
        return Optional.empty();
    }

    /** A value shortened for a violation report. */
    static String shown(String s) {
        String cut = s.length() > 160 ? s.substring(0, 160) + "…(" + s.length() + ")" : s;
        return cut.replaceAll("\\p{Cntrl}", "?");
    }

    /** Where an unexpected throwable came from: its first frame in KVM Studio, else its first. */
    static String top(Throwable t) {
        for (StackTraceElement e : t.getStackTrace()) {
            if (e.getClassName().startsWith("org.kvmstudio") && !e.getClassName().startsWith("org.kvmstudio.robustness")) {
                return e.toString();
            }
        }
        return t.getStackTrace().length > 0 ? t.getStackTrace()[0].toString() : "?";
    }
}
