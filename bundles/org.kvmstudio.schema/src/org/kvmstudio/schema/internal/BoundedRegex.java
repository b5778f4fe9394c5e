package org.kvmstudio.schema.internal;

import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import com.networknt.schema.regex.RegularExpression;
import com.networknt.schema.regex.RegularExpressionFactory;

/**
 * Schema {@code pattern}s matched with bounded work. {@code java.util.regex} backtracks: a pattern
 * such as SlapOS's {@code ^(/[^ ]* ?)+$} takes exponential time on some strings, and recurses once per
 * repetition of a group, so a long string overflows the stack. Matching here reads the text through a
 * counter and gives up after {@link #MAX_STEPS} reads; a value that cannot be checked in that budget
 * is taken as not matching, which refuses it (with the pattern's usual message) rather than hanging
 * or killing the thread.
 */
public final class BoundedRegex {

    /** Characters the matcher may read for one value: a few milliseconds of work. */
    static final int MAX_STEPS = 4_000_000;

    /** For the validator: every {@code pattern}, {@code patternProperties} and {@code format: regex} goes through here. */
    static final RegularExpressionFactory FACTORY = regex -> {
        Pattern pattern = Pattern.compile(regex); // a bad pattern fails when the schema loads, not on input
        return value -> find(pattern, value);
    };

    private BoundedRegex() {
    }

    /** Whether {@code regex} is found in {@code text}; false for a pattern Java cannot read. */
    public static boolean find(String regex, String text) {
        try {
            return find(Pattern.compile(regex), text);
        } catch (PatternSyntaxException unusable) {
            return false; // it describes nothing here; validation reports the schema
        }
    }

    static boolean find(Pattern pattern, String text) {
        try {
            return pattern.matcher(new Budgeted(text)).find();
        } catch (Exhausted | StackOverflowError tooComplex) {
            // contained: the matcher's own frames are all that unwinds, and it holds no lock or state
            return false;
        }
    }

    private static final class Exhausted extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Exhausted() {
            super(null, null, false, false);
        }
    }

    /** The text, counting the matcher's reads. */
    private static final class Budgeted implements CharSequence {
        private final CharSequence text;
        private final int[] steps;

        Budgeted(CharSequence text) {
            this(text, new int[] {0});
        }

        private Budgeted(CharSequence text, int[] steps) {
            this.text = text;
            this.steps = steps;
        }

        @Override
        public char charAt(int index) {
            if (++steps[0] > MAX_STEPS) {
                throw new Exhausted();
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
