package org.kvmstudio.schema.internal;

import java.util.List;
import java.util.function.Predicate;
import java.util.stream.Stream;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.schema.SchemaLoadException;

import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaException;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SchemaRegistryConfig;
import com.networknt.schema.dialect.BasicDialectRegistry;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;

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

    /** The drafts schemas may declare (draft-04 when they do not), every format check contained. */
    private static final List<Dialect> DIALECTS = Stream.of(Dialects.getDraft4(), Dialects.getDraft6(), Dialects.getDraft7(),
            Dialects.getDraft201909(), Dialects.getDraft202012()).map(ContainedFormat::applied).toList();

    /** One registry per release, so {@code $ref}s between its files are read once. */
    public static SchemaRegistry registry(SchemaDocuments documents) {
        SchemaRegistryConfig config = SchemaRegistryConfig.builder().formatAssertionsEnabled(true)
                .regularExpressionFactory(BoundedRegex.FACTORY).build();
        return SchemaRegistry.withDefaultDialect(DIALECTS.get(0), b -> b
                .dialectRegistry(new BasicDialectRegistry(DIALECTS))
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
            throw new SchemaLoadException(documents.source().describe(path) + ": " + Excerpt.sentence(e.getMessage()), e);
        }
    }

    /** @param secret whether the parameter at a JSON pointer is secret: its value is then never quoted */
    public List<ParameterProblem> validate(JsonNode instance, Predicate<String> secret) {
        try {
            // the budget is the validation's: translating (which asks whether a name is secret) must not run short of it
            List<com.networknt.schema.Error> errors = BoundedRegex.withBudget(() -> schema.validate(instance));
            return ProblemTranslator.translate(errors, documents, secret);
        } catch (BoundedRegex.TooComplex e) {
            // only text is matched against patterns and formats: the longest is what exhausted the budget
            return List.of(new ParameterProblem(longestText(instance), e.getMessage()));
        }
    }

    /** The pointer of the longest text (value or name) in {@code instance}, walked without recursion. */
    static String longestText(JsonNode instance) {
        String longest = "";
        int length = -1;
        java.util.Deque<java.util.Map.Entry<String, JsonNode>> todo = new java.util.ArrayDeque<>();
        todo.push(java.util.Map.entry("", instance));
        while (!todo.isEmpty()) {
            var at = todo.pop();
            JsonNode node = at.getValue();
            if (node.isTextual() && node.textValue().length() > length) {
                longest = at.getKey();
                length = node.textValue().length();
            }
            if (node.isObject()) {
                for (var e : node.properties()) {
                    String child = at.getKey() + "/" + JsonValues.pointerSegment(e.getKey());
                    if (e.getKey().length() > length) {
                        longest = child;
                        length = e.getKey().length();
                    }
                    todo.push(java.util.Map.entry(child, e.getValue()));
                }
            } else if (node.isArray()) {
                for (int i = 0; i < node.size(); i++) {
                    todo.push(java.util.Map.entry(at.getKey() + "/" + i, node.get(i)));
                }
            }
        }
        return longest;
    }
}
