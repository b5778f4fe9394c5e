package org.kvmstudio.forms.internal;

import java.util.List;
import java.util.stream.Collectors;

import org.kvmstudio.model.ParameterProblem;

/** The schema engine's sentences, said of the field a person sees ("RAM size must be at least 512, not 3"). */
public final class ProblemText {

    private ProblemText() {
    }

    /** Every problem shown at the editor of {@code pointer}, titled {@code title}, one per line. */
    static String at(String title, String pointer, List<ParameterProblem> problems) {
        return problems.stream().map(p -> of(title, pointer, p)).collect(Collectors.joining("\n"));
    }

    /** One problem: inside the field (an item, an entry) its place is named after the title. */
    public static String of(String title, String pointer, ParameterProblem problem) {
        String inside = problem.pointer().length() > pointer.length() ? problem.pointer().substring(pointer.length() + 1) : "";
        String subject = inside.isEmpty() ? title : title + " › " + inside.replace("/", " › ").replace("~1", "/").replace("~0", "~");
        return subject + " " + problem.message();
    }
}
