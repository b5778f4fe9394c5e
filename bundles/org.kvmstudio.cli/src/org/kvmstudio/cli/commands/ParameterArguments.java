package org.kvmstudio.cli.commands;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.kvmstudio.core.ReleaseCatalog;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.Parameters;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;

/**
 * Parameters as the command line takes them: {@code k=v} pairs, typed by the software type's schema
 * (an integer parameter given {@code 1024} is the integer 1024; an array parameter is written as
 * JSON), or a JSON or YAML file whose values keep their own types.
 */
final class ParameterArguments {

    /** A parameter file is a few kilobytes; anything this big is not one. */
    static final long MAX_FILE = 1 << 20;

    private static final StreamReadConstraints LIMITS = StreamReadConstraints.builder().maxNestingDepth(100)
            .maxNumberLength(1000).maxStringLength(1 << 20).build();

    private ParameterArguments() {
    }

    static Parameters of(List<String> pairs, Path file, ReleaseCatalog catalog, String release, String type, boolean shared)
            throws IOException {
        if (file != null && !pairs.isEmpty()) {
            throw new InvalidRequestException("give parameters as k=v or in a file, not both");
        }
        if (file != null) {
            return catalog.canonical(release, type, shared, read(file));
        }
        Map<String, Object> values = new LinkedHashMap<>();
        for (String pair : pairs) {
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new InvalidRequestException("'" + pair + "' is not a parameter: write name=value");
            }
            String name = pair.substring(0, eq);
            if (values.put(name, pair.substring(eq + 1)) != null) {
                throw new InvalidRequestException("parameter '" + name + "' is given twice");
            }
        }
        Parameters canonical = catalog.canonical(release, type, shared, Parameters.of(values));
        return catalog.release(release).inputFor(type, shared).coerceStrings(canonical);
    }

    /** A JSON or YAML object, read only from a regular file of reasonable size. */
    static Parameters read(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file)) {
            throw new InvalidRequestException(file + " is not a regular file");
        }
        if (Files.size(file) > MAX_FILE) {
            throw new InvalidRequestException(file + " is larger than " + MAX_FILE + " bytes: not a parameter file");
        }
        String name = file.getFileName().toString().toLowerCase(Locale.ROOT);
        ObjectMapper mapper = name.endsWith(".yaml") || name.endsWith(".yml")
                ? JsonMapper.builder(YAMLFactory.builder().streamReadConstraints(LIMITS).build()).build()
                : JsonMapper.builder(com.fasterxml.jackson.core.JsonFactory.builder().streamReadConstraints(LIMITS).build()).build();
        mapper.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.USE_BIG_INTEGER_FOR_INTS,
                DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes((int) MAX_FILE + 1);
            if (bytes.length > MAX_FILE) {
                throw new InvalidRequestException(file + " is larger than " + MAX_FILE + " bytes: not a parameter file");
            }
            Object root = mapper.readValue(bytes, Object.class);
            if (!(root instanceof Map<?, ?>)) {
                throw new InvalidRequestException(file + ": parameters must be an object of name: value");
            }
            return Parameters.of(mapper.convertValue(root, new TypeReference<Map<String, Object>>() { }));
        } catch (JsonProcessingException e) {
            throw new InvalidRequestException(file + ": not valid " + (name.endsWith("json") ? "JSON" : "YAML") + ": "
                    + e.getOriginalMessage(), e);
        }
    }
}
