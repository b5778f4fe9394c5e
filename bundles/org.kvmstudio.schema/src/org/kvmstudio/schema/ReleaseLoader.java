package org.kvmstudio.schema;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.kvmstudio.input.InputFileException;
import org.kvmstudio.input.JsonInput;
import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.SoftwareRelease;
import org.kvmstudio.model.SoftwareType;
import org.kvmstudio.schema.internal.FieldModelBuilder;
import org.kvmstudio.schema.internal.JsonValues;
import org.kvmstudio.schema.internal.RefCycles;
import org.kvmstudio.schema.internal.SchemaDocuments;
import org.kvmstudio.schema.internal.SchemaValidator;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.SchemaRegistry;

/**
 * Loads a SlapOS release descriptor ({@code software.cfg.json}) and the input and output schemas
 * its software types name.
 */
public final class ReleaseLoader {

    public static final String DESCRIPTOR = "software.cfg.json";

    private final SchemaDocuments documents;
    private final SchemaRegistry registry;

    public ReleaseLoader(SchemaSource source) {
        this.documents = new SchemaDocuments(source);
        this.registry = SchemaValidator.registry(documents);
    }

    /**
     * Reads the descriptor at {@code descriptorPath} of the source as release {@code releaseUri}.
     *
     * @throws SchemaLoadException when the descriptor itself is unreadable; a broken schema of one
     *         type is only reported in {@link LoadedRelease#problems()}
     */
    public LoadedRelease load(String releaseUri, String descriptorPath) throws SchemaLoadException {
        JsonNode descriptor = readDescriptor(descriptorPath);
        JsonNode table = descriptor.get("software-type");
        if (table == null || !table.isObject()) {
            throw new SchemaLoadException(documents.source().describe(descriptorPath)
                    + ": has no \"software-type\" object");
        }
        String defaultSerialisation = descriptor.path("serialisation").asText("xml");
        List<SoftwareType> types = new ArrayList<>();
        Map<String, ParameterSchema> inputs = new HashMap<>();
        Map<String, ParameterSchema> outputs = new HashMap<>();
        List<String> problems = new ArrayList<>();
        var entries = table.fields();
        while (entries.hasNext()) {
            var entry = entries.next();
            String id = entry.getKey();
            JsonNode t = entry.getValue();
            if (!t.isObject()) {
                problems.add(id + ": the descriptor entry is not an object");
                continue;
            }
            SoftwareType type = new SoftwareType(id, t.path("software-type").asText(null), t.path("title").asText(null),
                    t.path("description").asText(null), t.path("shared").asBoolean(false), t.path("index").asInt(0),
                    t.path("request").asText(null), t.path("response").asText(null),
                    t.path("serialisation").asText(defaultSerialisation));
            types.add(type);
            loadInto(id, descriptorPath, type.requestSchema(), inputs, problems);
            loadInto(id, descriptorPath, type.responseSchema(), outputs, problems);
        }
        SoftwareRelease release = new SoftwareRelease(releaseUri, descriptor.path("name").asText(null),
                descriptor.path("description").asText(null), defaultSerialisation, types);
        return new LoadedRelease(release, inputs, outputs, problems);
    }

    /**
     * The release whose descriptor is the file {@code descriptor} on disk. Its schemas may sit in a
     * sibling release's folder ({@code ../other-release/instance-input-schema.json}), as releases do in
     * SlapOS's own repository: the source is the folder holding the release's folder, and nothing above
     * it is read.
     */
    public static LoadedRelease open(java.nio.file.Path descriptor, String releaseUri) throws SchemaLoadException {
        java.nio.file.Path file = descriptor.toAbsolutePath().normalize();
        java.nio.file.Path folder = file.getParent();
        java.nio.file.Path repository = folder.getParent() == null ? folder : folder.getParent();
        String path = repository.relativize(file).toString().replace(java.io.File.separatorChar, '/');
        return new ReleaseLoader(SchemaSource.directory(repository)).load(releaseUri, path);
    }

    /**
     * One schema file on disk as a release of one software type, {@code default}: what a person has
     * when a software release's author sends only the schema of its parameters.
     *
     * @throws SchemaLoadException when the schema cannot be read or used
     */
    public static LoadedRelease openSchema(java.nio.file.Path schemaFile, String releaseUri) throws SchemaLoadException {
        java.nio.file.Path file = schemaFile.toAbsolutePath().normalize();
        java.nio.file.Path folder = file.getParent();
        String name = file.getFileName().toString();
        ParameterSchema schema = new ReleaseLoader(SchemaSource.directory(folder)).loadSchema(name);
        String title = schema.root().title().equals(schema.root().name()) ? name : schema.root().title();
        SoftwareType type = new SoftwareType("default", null, title, schema.root().description(), false, 0, name, null, null);
        SoftwareRelease release = new SoftwareRelease(releaseUri, name, "The schema " + name + " alone", "json-in-xml", List.of(type));
        return new LoadedRelease(release, Map.of("default", schema), Map.of(), List.of());
    }

    /** Loads one schema file of the source on its own (one no descriptor names). */
    public ParameterSchema loadSchema(String path) throws SchemaLoadException {
        List<String> before = documents.warnings();
        checkRootDescribesAnObject(path);
        RefCycles.check(documents, path);
        Field root = new FieldModelBuilder(documents).build(path);
        SchemaValidator validator = SchemaValidator.create(registry, documents, path);
        List<String> warnings = new ArrayList<>(documents.warnings());
        warnings.removeAll(before);
        return new ParameterSchema(documents.source().describe(path), root, validator, warnings);
    }

    /** Parameters are an object of name: value; a schema whose root says otherwise refuses every request. */
    private void checkRootDescribesAnObject(String path) throws SchemaLoadException {
        JsonNode root = documents.document(path);
        JsonNode type = root.path("type");
        boolean object = type.isMissingNode() || "object".equals(type.asText())
                || (type.isArray() && java.util.stream.StreamSupport.stream(type.spliterator(), false)
                        .anyMatch(t -> "object".equals(t.asText())));
        if (root.isBoolean() && !root.booleanValue() || !object) {
            throw new SchemaLoadException(documents.source().describe(path)
                    + ": the schema must describe an object of parameters (\"type\": \"object\")");
        }
    }

    private void loadInto(String typeId, String descriptorPath, String schemaPath, Map<String, ParameterSchema> into,
            List<String> problems) {
        if (schemaPath == null || schemaPath.isBlank()) {
            return;
        }
        try {
            into.put(typeId, loadSchema(documents.resolvePath(descriptorPath, schemaPath, "the schema of software type " + Excerpt.quoted(typeId) + ",")));
        } catch (SchemaLoadException e) {
            problems.add(typeId + ": " + e.getMessage());
        }
    }

    private JsonNode readDescriptor(String path) throws SchemaLoadException {
        try {
            JsonNode node = JsonValues.MAPPER.readTree(documents.source().read(path));
            if (node == null || !node.isObject()) {
                throw new SchemaLoadException(documents.source().describe(path) + ": a release descriptor must be a JSON object");
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new SchemaLoadException(documents.source().describe(path) + ": not valid JSON: " + JsonInput.problem(e), e);
        } catch (InputFileException e) {
            throw new SchemaLoadException(documents.source().describe(path) + ": " + e.reason(), e);
        } catch (IOException e) {
            throw new SchemaLoadException(documents.source().describe(path) + ": cannot be read: " + Excerpt.sentence(e.getMessage()), e);
        }
    }
}
