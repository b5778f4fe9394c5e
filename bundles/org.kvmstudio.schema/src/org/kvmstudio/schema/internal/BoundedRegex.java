package org.kvmstudio.schema.internal;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.networknt.schema.regex.RegularExpressionFactory;
import com.networknt.schema.regex.RegularExpressions;

/**
 * Schema {@code pattern}s matched with bounded work. {@code java.util.regex} backtracks: a pattern
 * such as SlapOS's {@code ^(/[^ ]* ?)+$} takes exponential time on some strings, and recurses once per
 * repetition of a group, so a long string overflows the stack. Matching here reads the text through a
 * counter; one validation may read {@link #MAX_STEPS} characters in all. Past that (or on a stack
 * overflow) matching throws {@link TooComplex}, which the validator turns into a problem: answering
 * "no match" instead would accept the value under {@code not} or another {@code anyOf} branch.
 */
public final class BoundedRegex {

    /** Characters the matchers of one validation may read: a few milliseconds of work. */
    static final int MAX_STEPS = 4_000_000;

    /** A value that could not be checked against a pattern within the budget. */
    public static final class TooComplex extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TooComplex() {
            super("too long or too complex to check against the schema's patterns", null, false, false);
        }
    }

    /** The steps left to the validation running on this thread; none outside one. */
    private static final ThreadLocal<int[]> BUDGET = new ThreadLocal<>();

    /**
     * For the validator: every {@code pattern}, {@code patternProperties} and {@code format: regex}
     * goes through here, written as ECMA-262 means it ({@code $} only at the very end, so
     * {@code "22\n"} does not match {@code ^[0-9]+$}), as the library's own factory translates it.
     */
    static final RegularExpressionFactory FACTORY = regex -> {
        Pattern pattern = compile(regex); // a bad pattern fails when the schema loads, not on input
        return value -> find(pattern, value);
    };

    private BoundedRegex() {
    }

    static Pattern compile(String regex) {
        try {
            return Pattern.compile(RegularExpressions.replaceLongformCharacterProperties(RegularExpressions.replaceDollarAnchors(regex)));
        } catch (StackOverflowError tooDeep) { // groups nested thousands deep
            throw new PatternSyntaxException("nested too deep to compile", regex.length() > 60 ? regex.substring(0, 60) : regex, -1);
        }
    }

    /** Runs {@code validation} with one budget for all its matches. */
    static <T> T withBudget(java.util.function.Supplier<T> validation) {
        int[] previous = BUDGET.get();
        BUDGET.set(new int[] {MAX_STEPS});
        try {
            return validation.get();
        } finally {
            BUDGET.set(previous);
        }
    }

    /** Whether {@code regex} is found in {@code text}; false for a pattern Java cannot read. */
    public static boolean find(String regex, String text) {
        Pattern pattern;
        try {
            pattern = compile(regex);
        } catch (PatternSyntaxException unusable) {
            return false; // it describes nothing here; validation reports the schema
        }
        return find(pattern, text);
    }

    /** @throws TooComplex when the budget runs out or the matcher overflows the stack */
    static boolean find(Pattern pattern, String text) {
        int[] budget = BUDGET.get() != null ? BUDGET.get() : new int[] {MAX_STEPS};
        try {
            return pattern.matcher(new Budgeted(text, budget)).find();
        } catch (StackOverflowError tooDeep) {
            // contained: the matcher's own frames are all that unwinds, and it holds no lock or state
            throw new TooComplex();
        }
    }

    /** The text, counting the matcher's reads against the budget. */
    private static final class Budgeted implements CharSequence {
        private final CharSequence text;
        private final int[] steps;

        Budgeted(CharSequence text, int[] steps) {
            this.text = text;
            this.steps = steps;
        }

        @Override
        public char charAt(int index) {
            if (--steps[0] < 0) {
                throw new TooComplex();
            }
            return text.charAt(index);
        }

        @Override
        public int length() {
            return text.length();
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new Budgeted(text.subSequence(start, end), steps);
        }

        @Override
        public String toString() {
            return text.toString();
        }
    }
}
