package org.kvmstudio.cli.commands;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.kvmstudio.model.Excerpt;
import org.kvmstudio.cli.CliContext;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.InvalidRequestException;
import org.kvmstudio.schema.ReleaseLoader;
import org.kvmstudio.schema.SchemaLoadException;

/**
 * The {@code <release>} argument: an installed release's name ({@code kvm}) or, as {@code slapos
 * request} takes a software release URL, the path or {@code file:} URL of a release's
 * {@code software.cfg.json} (its schemas read beside it), loaded into the studio under that URL.
 */
final class Releases {

    private Releases() {
    }

    static String resolve(CliContext c, Studio studio, String given) {
        if (studio.releases().releases().stream().anyMatch(r -> r.release().uri().equals(given))) {
            return given;
        }
        Path descriptor;
        if (given.startsWith("file:")) {
            try {
                descriptor = Path.of(URI.create(given));
            } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
                throw new InvalidRequestException(Excerpt.quoted(given) + " is not a file: URL of a release descriptor", e);
            }
        } else if (given.contains("/") || given.endsWith(".json")) {
            descriptor = c.path(given);
        } else {
            throw new InvalidRequestException("unknown software release " + Excerpt.quoted(given) + "; installed: "
                    + studio.releases().releases().stream().map(r -> r.release().uri()).toList()
                    + "; or give the path of a release's " + ReleaseLoader.DESCRIPTOR);
        }
        if (Files.isDirectory(descriptor)) {
            descriptor = descriptor.resolve(ReleaseLoader.DESCRIPTOR);
        }
        if (!Files.isRegularFile(descriptor)) {
            throw new InvalidRequestException(Excerpt.quoted(descriptor.toString()) + " is not a release descriptor file");
        }
        String uri = descriptor.toAbsolutePath().normalize().toUri().toString();
        if (studio.releases().releases().stream().noneMatch(r -> r.release().uri().equals(uri))) {
            try {
                studio.releases().add(ReleaseLoader.open(descriptor, uri));
            } catch (SchemaLoadException e) {
                throw new InvalidRequestException("cannot open the release " + Excerpt.quoted(descriptor.toString()) + ": " + e.getMessage(), e);
            }
        }
        return uri;
    }
}
