package org.kvmstudio.cli.commands;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.kvmstudio.core.ReleaseCatalog;
import org.kvmstudio.input.InputFileException;
import org.kvmstudio.input.InputFiles;
import org.kvmstudio.input.ParameterText;
import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.InputLimits;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.Parameters;

/**
 * Parameters as the command line takes them: {@code k=v} pairs, typed by the software type's schema
 * (an integer parameter given {@code 1024} is the integer 1024; an array parameter is written as
 * JSON), or a JSON or YAML file whose values keep their own types.
 */
final class ParameterArguments {

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
                throw new InvalidRequestException(Excerpt.quoted(pair) + " is not a parameter: write name=value");
            }
            String name = pair.substring(0, eq);
            if (values.put(name, pair.substring(eq + 1)) != null) {
                throw new InvalidRequestException("parameter " + Excerpt.quoted(name) + " is given twice");
            }
        }
        Parameters canonical = catalog.canonical(release, type, shared, Parameters.of(values));
        return catalog.release(release).inputFor(type, shared).coerceStrings(canonical);
    }

    /** A JSON or YAML object, read only from a regular file of reasonable size. */
    static Parameters read(Path file) throws IOException {
        String name = file.getFileName() == null ? "" : file.getFileName().toString().toLowerCase(Locale.ROOT);
        boolean yaml = name.endsWith(".yaml") || name.endsWith(".yml");
        try {
            byte[] bytes = yaml ? InputFiles.read(file, InputLimits.MAX_YAML_BYTES) : InputFiles.read(file);
            return ParameterText.parse(bytes, yaml, Excerpt.sentence(file.toString()));
        } catch (InputFileException e) {
            throw new InvalidRequestException(e.getMessage(), e);
        }
    }
}
