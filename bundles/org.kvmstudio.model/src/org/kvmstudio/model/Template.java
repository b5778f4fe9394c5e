package org.kvmstudio.model;

import java.util.Objects;
import java.util.regex.Pattern;

/** Saved parameters of a software type under a name, to request the same kind of instance again. */
public record Template(String name, String description, String releaseUri, String softwareType, boolean shared,
        Parameters parameters) {

    /** Template names become file names: letters, digits, dot, dash, underscore and space only. */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._ -]{0,63}");

    public Template {
        checkName(name);
        description = description == null ? "" : description;
        Objects.requireNonNull(releaseUri, "releaseUri");
        Objects.requireNonNull(softwareType, "softwareType");
        parameters = parameters == null ? Parameters.EMPTY : parameters;
    }

    public static void checkName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.endsWith(" ") || name.endsWith(".")) {
            throw new InvalidRequestException("template name " + (name == null ? "null" : Excerpt.quoted(name))
                    + " is not valid: use 1 to 64 letters, digits, '.', '-', '_' or spaces, starting with a letter or digit");
        }
    }

    /** A request of this template's type under {@code reference}. */
    public InstanceRequest toRequest(String reference) {
        return new InstanceRequest(releaseUri, reference, softwareType, parameters, shared, RequestedState.STARTED, null);
    }
}
