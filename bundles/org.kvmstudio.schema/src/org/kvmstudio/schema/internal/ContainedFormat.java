package org.kvmstudio.schema.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.ExecutionContext;
import com.networknt.schema.SchemaContext;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.format.Format;
import com.networknt.schema.keyword.FormatValidator;
import com.networknt.schema.path.NodePath;

/**
 * A {@code format} check with bounded input: a text longer than {@value #MAX_CHARS} characters is no
 * hostname, address, URI or date, and is not handed to the library, whose IDN code throws on long
 * input ("input too long") and whose URI parser works in proportion to it. A check that throws
 * refuses the value as one that cannot be checked ({@link BoundedRegex.TooComplex}), rather than
 * answering "no match", which {@code not} would turn into acceptance.
 */
final class ContainedFormat implements Format {

    /** Longer than any URL a browser or server accepts, and a hundred hostnames. */
    static final int MAX_CHARS = 8192;

    private final Format format;

    private ContainedFormat(Format format) {
        this.format = format;
    }

    /** {@code dialect} with every format it knows contained. */
    static Dialect applied(Dialect dialect) {
        return Dialect.builder(dialect).formats(formats -> formats.replaceAll((name, f) -> new ContainedFormat(f))).build();
    }

    @Override
    public String getName() {
        return format.getName();
    }

    @Override
    public String getMessageKey() {
        return format.getMessageKey();
    }

    @Override
    public boolean matches(ExecutionContext context, String value) {
        return value.length() <= MAX_CHARS && contained(() -> format.matches(context, value));
    }

    @Override
    public boolean matches(ExecutionContext context, SchemaContext schemaContext, String value) {
        return value.length() <= MAX_CHARS && contained(() -> format.matches(context, schemaContext, value));
    }

    @Override
    public boolean matches(ExecutionContext context, SchemaContext schemaContext, JsonNode value) {
        return !tooLong(value) && contained(() -> format.matches(context, schemaContext, value));
    }

    @Override
    public boolean matches(ExecutionContext context, SchemaContext schemaContext, JsonNode value, JsonNode root,
            NodePath location, boolean assertionsEnabled, FormatValidator validator) {
        return !tooLong(value)
                && contained(() -> format.matches(context, schemaContext, value, root, location, assertionsEnabled, validator));
    }

    private static boolean tooLong(JsonNode value) {
        return value != null && value.isTextual() && value.textValue().length() > MAX_CHARS;
    }

    private static boolean contained(java.util.function.BooleanSupplier check) {
        try {
            return check.getAsBoolean();
        } catch (BoundedRegex.TooComplex e) {
            throw e;
        } catch (RuntimeException | StackOverflowError unusable) {
            throw new BoundedRegex.TooComplex();
        }
    }
}
