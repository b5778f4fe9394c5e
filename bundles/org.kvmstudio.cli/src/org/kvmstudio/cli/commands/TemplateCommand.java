package org.kvmstudio.cli.commands;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.cli.Cli;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.ResourceNotReadyException;
import org.kvmstudio.core.Studio;
import org.kvmstudio.core.TemplateService;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Template;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** {@code kvmstudio template}: saved parameter sets of a software type, to request the same kind of instance again. */
@Command(name = "template", description = "Save, list, apply, export, import and remove instance templates.",
        subcommands = { TemplateCommand.Save.class, TemplateCommand.ListTemplates.class, TemplateCommand.Apply.class,
                TemplateCommand.Export.class, TemplateCommand.Import.class, TemplateCommand.Remove.class })
final class TemplateCommand implements Runnable {

    @ParentCommand
    KvmStudioCommand parent;

    @Override
    public void run() {
        parent.context().err().println("kvmstudio: template save, list, apply, export, import or remove");
    }

    CliContext context() {
        return parent.context();
    }

    @Command(name = "save", description = "Save parameters of a software type under a name.")
    static final class Save implements Callable<Integer> {
        @ParentCommand
        TemplateCommand t;

        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Parameters(index = "1", paramLabel = "<release>", description = "An installed release or a software.cfg.json.")
        String release;

        @Option(names = "--description")
        String description;

        @picocli.CommandLine.Mixin
        KindOptions kind;

        @Override
        public Integer call() throws Exception {
            CliContext c = t.context();
            Studio studio = c.studio();
            KindOptions.Kind k = kind.resolve(c, studio, release);
            Template given = new Template(name, description, k.releaseUri(), k.softwareType(), k.shared(), k.parameters());
            Set<String> secrets = studio.templates().secretsOf(given);
            Template saved = studio.templates().save(given);
            c.err().println("template '" + saved.name() + "' saved" + (secrets.isEmpty() ? ""
                    : "; secret parameters are not kept in templates, give them when applying it: " + String.join(", ", secrets)));
            return Cli.OK;
        }
    }

    @Command(name = "list", description = "List the templates.")
    static final class ListTemplates implements Callable<Integer> {
        @ParentCommand
        TemplateCommand t;

        @Override
        public Integer call() throws Exception {
            CliContext c = t.context();
            List<Template> all = c.studio().templates().templates();
            if (c.json()) {
                Output.json(c, all.stream().map(x -> Map.of("name", x.name(), "description", x.description(),
                        "software_release_uri", x.releaseUri(), "software_type", x.softwareType(), "shared", x.shared(),
                        "parameters", x.parameters().asMap())).toList());
            } else {
                Output.table(c, List.of("NAME", "RELEASE", "TYPE", "DESCRIPTION"), all.stream()
                        .map(x -> List.of(x.name(), x.releaseUri(), x.softwareType(), x.description())).toList());
            }
            return Cli.OK;
        }
    }

    @Command(name = "apply", description = "Request an instance from a template, with parameters on top.")
    static final class Apply implements Callable<Integer> {
        @ParentCommand
        TemplateCommand t;

        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Parameters(index = "1", paramLabel = "<reference>")
        String reference;

        @Option(names = "--parameters", paramLabel = "k=v", arity = "1..*")
        List<String> parameters = new ArrayList<>();

        @Option(names = "--wait")
        boolean wait;

        @Option(names = "--timeout", paramLabel = "S", defaultValue = "600")
        long timeout;

        @Override
        public Integer call() throws Exception {
            CliContext c = t.context();
            Studio studio = c.studio();
            TemplateService templates = studio.templates();
            Template template = templates.template(name).orElseThrow(() ->
                    new org.kvmstudio.model.UnknownInstanceException("there is no template " + Excerpt.quoted(name)));
            Partition p = templates.apply(name, reference, ParameterArguments.of(parameters, null, studio.releases(),
                    template.releaseUri(), template.softwareType(), template.shared()));
            Optional<Partition> after = Waiting.converge(c, studio.engine(), p.id(), wait, Duration.ofSeconds(timeout));
            if (after.isPresent() && !after.get().isReady()) {
                throw new ResourceNotReadyException(reference, Output.status(after.get()));
            }
            after.ifPresent(done -> Output.parameters(c, studio.engine().allConnectionParameters(done)));
            return Cli.OK;
        }
    }

    @Command(name = "export", description = "Write a template to a file.")
    static final class Export implements Callable<Integer> {
        @ParentCommand
        TemplateCommand t;

        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Parameters(index = "1", paramLabel = "<file>")
        String file;

        @Override
        public Integer call() throws Exception {
            CliContext c = t.context();
            c.studio().templates().export(name, c.path(file));
            return Cli.OK;
        }
    }

    @Command(name = "import", description = "Read a template file, check it and save it.")
    static final class Import implements Callable<Integer> {
        @ParentCommand
        TemplateCommand t;

        @Parameters(index = "0", paramLabel = "<file>")
        String file;

        @Option(names = "--replace", description = "Replace a template of the same name.")
        boolean replace;

        @Override
        public Integer call() throws Exception {
            CliContext c = t.context();
            Template imported = c.studio().templates().importFrom(c.path(file), replace);
            c.err().println("template '" + imported.name() + "' imported");
            return Cli.OK;
        }
    }

    @Command(name = "remove", description = "Remove a template.")
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        TemplateCommand t;

        @Parameters(index = "0", paramLabel = "<name>")
        String name;

        @Override
        public Integer call() throws Exception {
            t.context().studio().templates().delete(name);
            return Cli.OK;
        }
    }
}
