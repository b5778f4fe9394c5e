package org.kvmstudio.input;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.InputLimits;
import org.yaml.snakeyaml.LoaderOptions;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.StreamWriteConstraints;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * The JSON and YAML parsers every reader of untrusted text is built on: {@link InputLimits} applied
 * by the parser itself, while it reads, so no later code sees a value too deep, too long or with too
 * many digits (and none has to check again).
 */
public final class JsonInput {

    /**
     * Objects and lists a file may nest: the parameters' own {@link InputLimits#MAX_DEPTH} inside the
     * few levels of a workspace file's envelope. The model refuses parameters deeper than theirs.
     */
    public static final int MAX_NESTING = InputLimits.MAX_DEPTH + 8;

    private static final StreamReadConstraints READ = StreamReadConstraints.builder()
            .maxDocumentLength(InputLimits.MAX_FILE_BYTES)
            .maxNestingDepth(MAX_NESTING)
            .maxNumberLength(InputLimits.MAX_DIGITS)
            .maxStringLength(InputLimits.MAX_STRING_CHARS)
            .maxNameLength(InputLimits.MAX_NAME_CHARS)
            .build();

    /** Writing is bounded too: a value built in memory (a tree handed to the validator) nests no deeper than read ones. */
    private static final StreamWriteConstraints WRITE = StreamWriteConstraints.builder().maxNestingDepth(MAX_NESTING).build();

    private JsonInput() {
    }

    public static JsonFactory jsonFactory() {
        return JsonFactory.builder().streamReadConstraints(READ).streamWriteConstraints(WRITE)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    /**
     * What is wrong with a JSON or YAML text, where, without the text itself: the parser's sentence
     * quotes the token it met, which may be a password typed without quotes.
     */
    public static String problem(JsonProcessingException e) {
        JsonLocation where = e.getLocation();
        return sentence(e) + (where == null || where.getLineNr() < 1 ? ""
                : " (line " + where.getLineNr() + ", column " + where.getColumnNr() + ")");
    }

    /** {@link #problem} without the location, for callers that say where themselves. */
    public static String sentence(JsonProcessingException e) {
        String what = e.getOriginalMessage() == null ? "not valid" : e.getOriginalMessage();
        int newline = what.indexOf('\n');
        if (newline >= 0) {
            what = what.substring(0, newline); // YAML's parser shows the line it met, value and all, below
        }
        return Excerpt.sentence(TOKEN.matcher(what).replaceAll("$1'…'"));
    }

    /** A token the parser quotes ("Unrecognized token 'hunter2'"); names of fields are kept, they say where. */
    private static final java.util.regex.Pattern TOKEN = java.util.regex.Pattern.compile("((?i:token|value) )'.*?'(?=: |$)");

    public static YAMLFactory yamlFactory() {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        // Jackson reads an alias as its anchor's name, never a copy (no "billion laughs"); SnakeYAML's own limit stays as a second wall
        options.setMaxAliasesForCollections(20);
        options.setNestingDepthLimit(MAX_NESTING);
        options.setCodePointLimit(InputLimits.MAX_FILE_BYTES);
        return YAMLFactory.builder().loaderOptions(options).streamReadConstraints(READ).streamWriteConstraints(WRITE)
                .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build();
    }

    /**
     * A mapper reading JSON, or YAML when {@code yaml}, with exact numbers (decimals as
     * {@code BigDecimal}, integers as {@code BigInteger}) and nothing allowed after the value.
     */
    public static JsonMapper.Builder mapper(boolean yaml) {
        return JsonMapper.builder(yaml ? yamlFactory() : jsonFactory())
                .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_BIG_INTEGER_FOR_INTS,
                        DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    }
}
