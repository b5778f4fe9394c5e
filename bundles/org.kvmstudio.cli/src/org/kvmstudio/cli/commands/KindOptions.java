package org.kvmstudio.cli.commands;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;

import picocli.CommandLine.Option;

/**
 * What kind of instance a command is about and with which parameters: the options {@code request}
 * and {@code template save} share (a picocli mixin), read the same way for both.
 */
final class KindOptions {

    /** The release, type and sharing resolved, and the parameters typed by that type's schema. */
    record Kind(String releaseUri, String softwareType, boolean shared, Parameters parameters) {
    }

    @Option(names = "--type", paramLabel = "T", description = "The software type (default: default).")
    String type;

    @Option(names = "--slave", description = "A shared instance, hosted by a master of the same type.")
    boolean slave;

    @Option(names = "--parameters", paramLabel = "k=v", arity = "1..*",
            description = "Instance parameters, typed by the software type's schema.")
    List<String> parameters = new ArrayList<>();

    @Option(names = "--parameters-file", paramLabel = "FILE", description = "Instance parameters in a JSON or YAML file.")
    String parametersFile;

    /** @param release an installed release's name, or the path or file: URL of a release descriptor */
    Kind resolve(CliContext c, Studio studio, String release) throws IOException {
        String uri = Releases.resolve(c, studio, release);
        String softwareType = type == null ? InstanceRequest.DEFAULT_SOFTWARE_TYPE : type;
        return new Kind(uri, softwareType, slave, ParameterArguments.of(parameters,
                parametersFile == null ? null : c.path(parametersFile), studio.releases(), uri, softwareType, slave));
    }
}
