package org.kvmstudio.forms.internal;

import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.schema.Field;

/** What a field's schema allows and defaults to, in words for hint texts and tooltips. */
final class Hints {

    private Hints() {
    }

    /** The default as the hint text of an empty input ("default: 1024"), or {@code ""}. */
    static String defaultHint(Field field) {
        if (field.secret()) {
            return field.hasDefault() ? "default set by the software type" : "";
        }
        return field.defaultValue().map(v -> "".equals(v) ? "default: empty" : "default: " + Values.text(v)).orElse("");
    }

    /** The bounds, step, length, pattern and format the schema gives, or {@code ""}. */
    static String allowed(Field field) {
        List<String> parts = new ArrayList<>();
        Optional<BigDecimal> min = field.minimum().or(field::exclusiveMinimum);
        Optional<BigDecimal> max = field.maximum().or(field::exclusiveMaximum);
        if (min.isPresent() && max.isPresent()) {
            parts.add("from " + plain(min.get()) + " to " + plain(max.get()));
        } else {
            min.ifPresent(v -> parts.add((field.exclusiveMinimum().isPresent() ? "more than " : "at least ") + plain(v)));
            max.ifPresent(v -> parts.add((field.exclusiveMaximum().isPresent() ? "less than " : "at most ") + plain(v)));
        }
        field.multipleOf().ifPresent(v -> parts.add("a multiple of " + plain(v)));
        field.minLength().ifPresent(v -> parts.add("at least " + v + " characters"));
        field.maxLength().ifPresent(v -> parts.add("at most " + v + " characters"));
        field.format().ifPresent(v -> parts.add("a valid " + v));
        field.pattern().ifPresent(v -> parts.add("of the form " + Excerpt.shortened(v)));
        field.defaultValue().filter(v -> !field.secret()).ifPresent(v -> parts.add("default " + Excerpt.shortened(Values.text(v))));
        return String.join(", ", parts);
    }

    private static String plain(BigDecimal v) {
        return v.stripTrailingZeros().toPlainString();
    }
}
