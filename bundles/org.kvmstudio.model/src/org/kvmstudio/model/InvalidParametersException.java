package org.kvmstudio.model;

import java.util.List;
import java.util.stream.Collectors;

/** Parameters that do not satisfy a software type's schema; lists every problem found. */
public class InvalidParametersException extends InvalidRequestException {

    private static final long serialVersionUID = 1L;
    private final transient List<ParameterProblem> problems;

    public InvalidParametersException(String subject, List<ParameterProblem> problems) {
        super(subject + ": " + problems.stream().map(ParameterProblem::toString).collect(Collectors.joining("; ")));
        this.problems = List.copyOf(problems);
    }

    public List<ParameterProblem> problems() {
        return problems;
    }
}
