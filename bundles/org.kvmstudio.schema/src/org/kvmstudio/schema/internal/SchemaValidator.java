package org.kvmstudio.schema.internal;

import java.util.List;

import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.schema.SchemaLoadException;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.SpecificationVersion;

/**
 * Validation by networknt's json-schema-validator, fed the release's (upgraded) documents and
 * nothing from the network. Documents without {@code $schema} are read as draft-04, the closest to
 * what early SlapOS schemas were written for.
 */
public final class SchemaValidator {

    private final Schema schema;
    private final SchemaDocuments documents;

    private SchemaValidator(Schema schema, SchemaDocuments documents) {
        this.schema = schema;
        this.documents = documents;
    }

    /** One registry per release, so {@code $ref}s between its files are read once. */
    public static SchemaRegistry registry(SchemaDocuments documents) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true).build();
        return SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_4, b -> b
                .schemaRegistryConfig(config)
                .schemas(documents::text)
                .schemaLoader(l -> l.fetchRemoteResources(false)));
    }

    public static SchemaValidator create(SchemaRegistry registry, SchemaDocuments documents, String path)
            throws SchemaLoadException {
        try {
            Schema schema = registry.getSchema(SchemaLocation.of(SchemaDocuments.BASE_IRI + path));
            // Resolve every $ref now, so a broken schema fails at load time and not at a user's first request.
            schema.initializeValidators();
            return new SchemaValidator(schema, documents);
        } catch (SchemaException | IllegalArgumentException | IllegalStateException e) {
            throw new SchemaLoadException(documents.source().describe(path) + ": " + e.getMessage(), e);
        }
    }

    public List<ParameterProblem> validate(JsonNode instance) {
        return ProblemTranslator.translate(schema.validate(instance), documents);
    }
}
