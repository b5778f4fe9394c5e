package org.kvmstudio.schema.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

import com.networknt.schema.Error;

/**
 * When no branch of a {@code oneOf}/{@code anyOf} matches, the validator reports the errors of every
 * branch together, so a user who meant the second branch reads that the keys it requires "are not
 * allowed here". A person reports the branch that fits best: the one whose keys, types and
 * constants the value agrees with, then the one with the fewest problems. Only its errors are kept;
 * when branches fit equally, all are.
 */
final class BestBranch {

    /** Errors saying the value is of another kind than the branch describes, rather than incomplete. */
    private static final Set<String> MISFITS = Set.of("additionalProperties", "unevaluatedProperties", "const", "enum", "type");

    private BestBranch() {
    }

    static List<Error> keep(List<Error> errors) {
        List<Error> kept = new ArrayList<>(errors);
        List<Error> alternatives = errors.stream()
                .filter(e -> "oneOf".equals(e.getKeyword()) || "anyOf".equals(e.getKeyword()))
                .sorted(Comparator.comparingInt(e -> path(e).length())) // outer first: it may drop inner ones
                .toList();
        for (Error alternative : alternatives) {
            if (!kept.contains(alternative)) {
                continue;
            }
            String prefix = path(alternative) + "/";
            String value = where(alternative);
            Map<Integer, List<Error>> branches = new TreeMap<>();
            for (Error e : kept) {
                String p = path(e);
                // items of one array (entries of one map) share the schema's path: their values tell them apart
                if (p.startsWith(prefix) && (where(e).equals(value) || where(e).startsWith(value + "/"))) {
                    branches.computeIfAbsent(branchIndex(p.substring(prefix.length())), i -> new ArrayList<>()).add(e);
                }
            }
            if (branches.size() < 2) {
                continue; // a oneOf that matched twice, or one branch only: nothing to choose
            }
            Comparator<List<Error>> fit = Comparator.<List<Error>>comparingLong(
                    b -> b.stream().filter(e -> MISFITS.contains(e.getKeyword())).count()).thenComparingInt(List::size);
            List<Error> best = branches.values().stream().min(fit).orElseThrow();
            if (branches.values().stream().filter(b -> fit.compare(b, best) == 0).count() > 1) {
                continue; // no branch fits better than another (a list of formats): all of them say it
            }
            branches.values().stream().filter(b -> b != best).forEach(kept::removeAll);
            kept.remove(alternative); // the branch's own errors say what is wrong
        }
        return kept;
    }

    private static int branchIndex(String rest) {
        int slash = rest.indexOf('/');
        try {
            return Integer.parseInt(slash < 0 ? rest : rest.substring(0, slash));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static String where(Error e) {
        return ProblemTranslator.pointer(e.getInstanceLocation());
    }

    private static String path(Error e) {
        return e.getEvaluationPath() == null ? "" : e.getEvaluationPath().toString();
    }
}
