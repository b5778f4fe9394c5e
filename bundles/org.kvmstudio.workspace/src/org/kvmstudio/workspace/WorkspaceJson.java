package org.kvmstudio.workspace;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.DateTimeException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.stream.Collectors;

import org.kvmstudio.input.JsonInput;
import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.Filter;
import org.kvmstudio.model.InputLimits;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;
import org.kvmstudio.model.Template;

import com.fasterxml.jackson.annotation.JsonAutoDetect.Visibility;
import com.fasterxml.jackson.annotation.PropertyAccessor;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.core.util.Separators;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.SerializerProvider;
import com.fasterxml.jackson.databind.deser.std.StdDeserializer;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.ser.std.StdSerializer;

/**
 * The one place that maps model values to KVM Studio's JSON files and back. Every file is an
 * envelope {@code {"format": 1, "<kind>": {...}}} so its shape is deliberate and its version
 * known. Files are pretty-printed, one value a line, for people to read and diff. Reading is
 * strict (unknown, missing or duplicate fields, scalars of the wrong type all fail) so that a
 * damaged or mistyped file is reported rather than half loaded.
 */
public final class WorkspaceJson {

    /** The format this version writes, and the newest it reads. */
    public static final int FORMAT = 1;

    private record PartitionFile(int format, Partition partition) {
        PartitionFile {
            Objects.requireNonNull(partition, "partition");
        }
    }

    private record TemplateFile(int format, Template template) {
        TemplateFile {
            Objects.requireNonNull(template, "template");
        }
    }

    private record HostFile(int format, Host host) {
        HostFile {
            Objects.requireNonNull(host, "host");
        }
    }

    private record StateFile(int format, Parameters state) {
        StateFile {
            Objects.requireNonNull(state, "state");
        }
    }

    /** {@code id} is absent from files written before it existed: it is then made up and written back. */
    record WorkspaceFile(int format, long nextInstanceNumber, String id) {
        WorkspaceFile {
            if (nextInstanceNumber < 1) {
                throw new IllegalArgumentException("nextInstanceNumber must be at least 1");
            }
        }
    }

    private static final ObjectMapper MAPPER = JsonMapper.builder(JsonInput.jsonFactory())
            .addModule(modelModule())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, DeserializationFeature.FAIL_ON_TRAILING_TOKENS,
                    DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES,
                    DeserializationFeature.FAIL_ON_MISSING_CREATOR_PROPERTIES)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            // records' isReady()/isRoot() are computed, not state: only record components are written
            .visibility(PropertyAccessor.IS_GETTER, Visibility.NONE)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .defaultPrettyPrinter(prettyPrinter())
            .build();

    private WorkspaceJson() {
    }

    public static byte[] partitionToJson(Partition partition) throws FileTooLargeException {
        return write(new PartitionFile(FORMAT, partition));
    }

    public static Partition partitionFromJson(byte[] json) throws WorkspaceFormatException {
        return read(json, "partition", PartitionFile.class).partition();
    }

    public static byte[] templateToJson(Template template) throws FileTooLargeException {
        return write(new TemplateFile(FORMAT, template));
    }

    public static Template templateFromJson(byte[] json) throws WorkspaceFormatException {
        return read(json, "template", TemplateFile.class).template();
    }

    public static byte[] hostToJson(Host host) throws FileTooLargeException {
        return write(new HostFile(FORMAT, host));
    }

    public static Host hostFromJson(byte[] json) throws WorkspaceFormatException {
        return read(json, "host", HostFile.class).host();
    }

    static byte[] stateToJson(Parameters state) throws FileTooLargeException {
        return write(new StateFile(FORMAT, state));
    }

    static Parameters stateFromJson(byte[] json) throws WorkspaceFormatException {
        return read(json, "state", StateFile.class).state();
    }

    /** {@code workspace.json}: the number the next instance guid gets, and the workspace's id. */
    static byte[] workspaceToJson(long nextInstanceNumber, String id) throws FileTooLargeException {
        return write(new WorkspaceFile(FORMAT, nextInstanceNumber, id));
    }

    static WorkspaceFile workspaceFromJson(byte[] json) throws WorkspaceFormatException {
        return read(json, "workspace", WorkspaceFile.class, tree -> {
            if (tree instanceof com.fasterxml.jackson.databind.node.ObjectNode object && !object.has("id")) {
                object.putNull("id");
            }
        });
    }

    private static byte[] write(Object file) throws FileTooLargeException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            MAPPER.writeValue(out, file);
        } catch (IOException e) {
            // model values always map to JSON and memory does not fail to write: this is a bug
            throw new UncheckedIOException("cannot write " + file.getClass().getSimpleName() + " as JSON", e);
        }
        out.write('\n');
        if (out.size() > InputLimits.MAX_FILE_BYTES) {
            // refused now rather than written and then set aside as too large at the next start
            throw new FileTooLargeException("too large to be saved: " + out.size() / 1024 + " KiB, where a "
                    + file.getClass().getSimpleName().replace("File", "").toLowerCase(Locale.ROOT) + " file holds at most "
                    + InputLimits.MAX_FILE_BYTES / 1024 + " KiB");
        }
        return out.toByteArray();
    }

    private static <T> T read(byte[] json, String kind, Class<T> envelope) throws WorkspaceFormatException {
        return read(json, kind, envelope, null);
    }

    /** @param upgrade when given, fills in what older files lack; the value is then read from the upgraded tree */
    private static <T> T read(byte[] json, String kind, Class<T> envelope, java.util.function.Consumer<JsonNode> upgrade)
            throws WorkspaceFormatException {
        try {
            // the version first: a newer format may hold fields this version would call unknown
            JsonNode tree = MAPPER.readTree(json);
            checkFormat(tree, kind);
            if (upgrade != null) {
                upgrade.accept(tree);
                return MAPPER.treeToValue(tree, envelope);
            }
            // from the bytes, not the tree: exact decimals and the line and column of any error
            return MAPPER.readValue(json, envelope);
        } catch (WorkspaceFormatException e) {
            throw e;
        } catch (IOException e) {
            throw invalid(e);
        }
    }

    private static void checkFormat(JsonNode file, String kind) throws WorkspaceFormatException {
        if (file.isMissingNode()) {
            throw new WorkspaceFormatException("the file is empty");
        }
        JsonNode format = file.get("format");
        if (!file.isObject() || format == null) {
            throw new WorkspaceFormatException("not a KVM Studio " + kind + " file: it has no \"format\" version");
        }
        if (!format.canConvertToExactIntegral() || !format.canConvertToInt()) {
            throw new WorkspaceFormatException("\"format\" must be a whole number, not " + Excerpt.shortened(format.toString()));
        }
        if (format.intValue() > FORMAT) {
            throw new WorkspaceFormatException("written by a newer KVM Studio (format " + format.intValue()
                    + "); this version reads format " + FORMAT);
        }
        if (format.intValue() < FORMAT) {
            throw new WorkspaceFormatException("unknown format " + format.intValue() + "; this version reads format " + FORMAT);
        }
    }

    /** Jackson's message without its source dump, with the JSON pointer and line where it has them. */
    private static WorkspaceFormatException invalid(IOException e) {
        if (!(e instanceof JsonProcessingException json)) {
            return new WorkspaceFormatException(e.getMessage(), e);
        }
        List<String> where = new ArrayList<>();
        if (json instanceof JsonMappingException mapping && !mapping.getPath().isEmpty()) {
            where.add("at " + mapping.getPath().stream()
                    .map(step -> step.getFieldName() != null ? step.getFieldName() : Integer.toString(step.getIndex()))
                    .collect(Collectors.joining("/", "/", "")));
        }
        JsonLocation location = json.getLocation();
        if (location != null && location.getLineNr() > 0) {
            where.add("line " + location.getLineNr() + ", column " + location.getColumnNr());
        }
        // the model's own sentence rather than Jackson's "Cannot construct instance of ..., problem: ..."
        String what = switch (json.getCause()) {
            case NullPointerException missing when missing.getMessage() != null -> missing.getMessage() + " must not be null";
            case IllegalArgumentException refused -> refused.getMessage();
            case InvalidRequestException refused -> refused.getMessage();
            case null, default -> JsonInput.sentence(json); // without the token Jackson quotes
        };
        String message = what + (where.isEmpty() ? "" : " (" + String.join(", ", where) + ")");
        return new WorkspaceFormatException(message, e);
    }

    private static DefaultPrettyPrinter prettyPrinter() {
        DefaultIndenter indenter = new DefaultIndenter("  ", "\n");
        Separators separators = Separators.createDefaultInstance()
                .withObjectFieldValueSpacing(Separators.Spacing.AFTER)
                .withObjectEmptySeparator("")
                .withArrayEmptySeparator("");
        return new DefaultPrettyPrinter(separators).withObjectIndenter(indenter).withArrayIndenter(indenter);
    }

    private static SimpleModule modelModule() {
        SimpleModule module = new SimpleModule("kvmstudio-model");
        mapAsString(module, RequestedState.class, RequestedState::slapName, RequestedState::parse);
        mapAsString(module, Status.Phase.class, phase -> phase.name().toLowerCase(Locale.ROOT), WorkspaceJson::parsePhase);
        mapAsString(module, Instant.class, Instant::toString, Instant::parse);
        map(module, Parameters.class, (value, gen, provider) -> provider.defaultSerializeValue(value.asMap(), gen),
                (parser, context) -> Parameters.of(readObject(parser, context)));
        map(module, Filter.class, (value, gen, provider) -> provider.defaultSerializeValue(value.values(), gen),
                WorkspaceJson::readFilter);
        return module;
    }

    private static Status.Phase parsePhase(String name) {
        return Arrays.stream(Status.Phase.values())
                .filter(phase -> phase.name().toLowerCase(Locale.ROOT).equals(name))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("unknown phase " + Excerpt.quoted(name) + ": expected one of "
                        + Arrays.stream(Status.Phase.values()).map(p -> p.name().toLowerCase(Locale.ROOT)).toList()));
    }

    private static Filter readFilter(JsonParser parser, DeserializationContext context) throws IOException {
        Map<String, String> values = new LinkedHashMap<>();
        for (Map.Entry<String, Object> entry : readObject(parser, context).entrySet()) {
            if (!(entry.getValue() instanceof String value)) {
                return context.reportInputMismatch(Filter.class, "filter '%s' must be a string", entry.getKey());
            }
            values.put(entry.getKey(), value);
        }
        return Filter.of(values);
    }

    /**
     * A JSON object as the plain map {@link Parameters#of} takes. Integers are read as BigInteger
     * and decimals as BigDecimal so that no digit is lost ({@link Parameters} normalises both).
     */
    private static Map<String, Object> readObject(JsonParser parser, DeserializationContext context) throws IOException {
        if (!parser.isExpectedStartObjectToken()) {
            return context.reportInputMismatch(Map.class, "expected a JSON object, not %s", parser.currentToken());
        }
        Map<String, Object> map = new LinkedHashMap<>();
        for (String name = parser.nextFieldName(); name != null; name = parser.nextFieldName()) {
            parser.nextToken();
            map.put(name, readValue(parser, context));
        }
        return map;
    }

    private static Object readValue(JsonParser parser, DeserializationContext context) throws IOException {
        return switch (parser.currentToken()) {
            case START_OBJECT -> readObject(parser, context);
            case START_ARRAY -> {
                List<Object> list = new ArrayList<>();
                while (parser.nextToken() != JsonToken.END_ARRAY) {
                    list.add(readValue(parser, context));
                }
                yield list;
            }
            case VALUE_STRING -> parser.getText();
            case VALUE_NUMBER_INT -> parser.getBigIntegerValue();
            case VALUE_NUMBER_FLOAT -> parser.getDecimalValue();
            case VALUE_TRUE -> Boolean.TRUE;
            case VALUE_FALSE -> Boolean.FALSE;
            case VALUE_NULL -> null;
            default -> context.handleUnexpectedToken(Object.class, parser);
        };
    }

    private static <T> void mapAsString(SimpleModule module, Class<T> type, Function<T, String> format,
            Function<String, T> parse) {
        map(module, type, (value, gen, provider) -> gen.writeString(format.apply(value)), (parser, context) -> {
            if (parser.currentToken() != JsonToken.VALUE_STRING) {
                return context.reportInputMismatch(type, "expected a string, not %s", parser.currentToken());
            }
            return parse.apply(parser.getText());
        });
    }

    @FunctionalInterface
    private interface Writer<T> {
        void write(T value, JsonGenerator gen, SerializerProvider provider) throws IOException;
    }

    @FunctionalInterface
    private interface Reader<T> {
        T read(JsonParser parser, DeserializationContext context) throws IOException;
    }

    /** Registers how {@code type} is written and read; the model's refusals become input errors with a location. */
    private static <T> void map(SimpleModule module, Class<T> type, Writer<T> writer, Reader<T> reader) {
        module.addSerializer(type, new StdSerializer<T>(type) {
            private static final long serialVersionUID = 1L;

            @Override
            public void serialize(T value, JsonGenerator gen, SerializerProvider provider) throws IOException {
                writer.write(value, gen, provider);
            }
        });
        module.addDeserializer(type, new StdDeserializer<T>(type) {
            private static final long serialVersionUID = 1L;

            @Override
            public T deserialize(JsonParser parser, DeserializationContext context) throws IOException {
                try {
                    return reader.read(parser, context);
                } catch (IllegalArgumentException | InvalidRequestException | DateTimeException refused) {
                    return context.reportInputMismatch(type, "%s", refused.getMessage());
                }
            }
        });
    }
}
