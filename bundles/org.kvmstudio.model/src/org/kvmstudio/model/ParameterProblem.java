package org.kvmstudio.model;

import java.util.Objects;

/**
 * One thing wrong with a parameter set: the JSON pointer of the parameter ({@code ""} for the
 * whole set) and a sentence saying what is wrong.
 */
public record ParameterProblem(String pointer, String message) {

    public ParameterProblem {
        Objects.requireNonNull(pointer, "pointer");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public String toString() {
        return (pointer.isEmpty() ? "/" : Excerpt.sentence(pointer)) + ": " + message; // names are input too
    }
}
