package org.kvmstudio.core;

import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.input.InputFileException;
import org.kvmstudio.input.InputFiles;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.ConflictException;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.model.UnknownInstanceException;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Template;
import org.kvmstudio.schema.ParameterSchema;
import org.kvmstudio.workspace.AtomicFiles;
import org.kvmstudio.workspace.Workspace;
import org.kvmstudio.workspace.WorkspaceFormatException;
import org.kvmstudio.workspace.WorkspaceJson;

/**
 * Saved instance templates: the parameters of a software type under a name, to request the same
 * kind of instance again, and to share as JSON files. Every template is checked against its
 * type's schema when saved, imported and applied, since files from elsewhere are untrusted.
 */
public final class TemplateService {

    private final Workspace workspace;
    private final ReleaseCatalog catalog;
    private final RequestEngine engine;

    public TemplateService(Workspace workspace, ReleaseCatalog catalog, RequestEngine engine) {
        this.workspace = workspace;
        this.catalog = catalog;
        this.engine = engine;
    }

    public List<Template> templates() {
        return workspace.templates();
    }

    public Optional<Template> template(String name) {
        return workspace.template(name);
    }

    /**
     * Saves (or replaces) a template after checking its parameters. Its secret parameters (a private
     * key, a password) are left out: a template is a file people copy and share; they are given when
     * it is applied ({@link #secretsOf} names them first, to tell the user).
     *
     * @throws org.kvmstudio.model.InvalidParametersException when they do not fit the type's schema
     */
    public Template save(Template template) throws IOException {
        Template checked = checked(template);
        workspace.save(checked);
        return checked;
    }

    public void delete(String name) throws IOException {
        require(name);
        workspace.deleteTemplate(name);
    }

    /** Requests an instance {@code reference} from the template, with {@code overrides} on top of its parameters. */
    public Partition apply(String name, String reference, Parameters overrides) throws IOException {
        Template t = require(name);
        // overrides may use an alias of a name the template holds canonically: rename them first
        Parameters canonicalOverrides = catalog.canonical(t.releaseUri(), t.softwareType(), t.shared(), overrides);
        InstanceRequest request = t.toRequest(reference).withParameters(t.parameters().merge(canonicalOverrides));
        return engine.request(request);
    }

    /** Writes the template to {@code file} as JSON (atomically: a reader never sees half a file). */
    public void export(String name, Path file) throws IOException {
        AtomicFiles.write(file, WorkspaceJson.templateToJson(require(name)));
    }

    /**
     * Reads a template file, checks it, and saves it.
     *
     * @param replace whether an existing template of the same name may be replaced
     * @throws InvalidRequestException with the file's path when it is not a template (or its parameters
     *         do not fit its type: {@link InvalidParametersException})
     * @throws InputFileException when it is not a file KVM Studio reads (a device, a pipe, too large)
     * @throws NoSuchFileException when there is no such file
     * @throws ConflictException when a template of that name exists and {@code replace} is false
     */
    public Template importFrom(Path file, boolean replace) throws IOException {
        byte[] bytes;
        try {
            bytes = InputFiles.read(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(Excerpt.sentence(file.toString()), null, "no such template file");
        }
        Template t;
        try {
            t = WorkspaceJson.templateFromJson(bytes);
        } catch (WorkspaceFormatException e) {
            throw new InvalidRequestException(Excerpt.sentence(file.toString()) + ": not a KVM Studio template: " + e.getMessage(), e);
        }
        if (!replace && workspace.template(t.name()).isPresent()) {
            throw new ConflictException("a template named '" + t.name() + "' exists; import it with replace to overwrite it");
        }
        try {
            return save(t);
        } catch (InvalidParametersException e) {
            throw new InvalidParametersException(Excerpt.sentence(file.toString()) + ": template '" + t.name() + "' has invalid parameters", e.problems());
        } catch (InvalidRequestException e) {
            throw new InvalidRequestException(Excerpt.sentence(file.toString()) + ": " + e.getMessage(), e);
        }
    }

    /** The names of the secret parameters {@code t} holds, which saving it leaves out. */
    public Set<String> secretsOf(Template t) {
        Set<String> held = new TreeSet<>(
                catalog.canonical(t.releaseUri(), t.softwareType(), t.shared(), t.parameters()).names());
        held.retainAll(catalog.secretNames(t.releaseUri(), t.softwareType(), t.shared()));
        return held;
    }

    /**
     * {@code t} checked and without its secrets. A secret being required is no problem here: a template
     * never holds one (one saved with a certificate lacks its key), and applying it asks for it.
     */
    private Template checked(Template t) {
        ParameterSchema schema = catalog.release(t.releaseUri()).inputFor(t.softwareType(), t.shared());
        Parameters canonical = catalog.checkedParameters(t.releaseUri(), t.softwareType(), t.shared(), t.parameters(),
                problem -> problem.message().startsWith("is required") && problem.pointer().lastIndexOf('/') == 0
                        && schema.secret(problem.pointer()));
        return new Template(t.name(), t.description(), t.releaseUri(), t.softwareType(), t.shared(),
                Secrets.without(canonical, catalog.secretNames(t.releaseUri(), t.softwareType(), t.shared())));
    }

    private Template require(String name) {
        return workspace.template(name).orElseThrow(() -> new UnknownInstanceException("there is no template " + Excerpt.quoted(name)));
    }
}
