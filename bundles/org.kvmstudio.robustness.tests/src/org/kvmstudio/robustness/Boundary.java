package org.kvmstudio.robustness;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.kvmstudio.input.InputFileException;
import org.kvmstudio.model.InvalidParametersException;
import org.kvmstudio.model.ParameterProblem;
import org.kvmstudio.model.StudioException;
import org.kvmstudio.schema.SchemaLoadException;
import org.kvmstudio.workspace.WorkspaceFormatException;

/**
 * Runs generated cases against one boundary and checks, for every case, the properties every
 * boundary must have: it returns or throws one of the project's typed exceptions (never an
 * {@link Error}, never an untyped runtime exception); it finishes within {@value #MAX_CPU_MILLIS} ms
 * of CPU time; every problem names the JSON pointer of a parameter; no message quotes
 * {@value #MAX_ECHO} or more characters of the input; no message nor saved text holds a secret's
 * value; a refused input leaves the workspace as it was. Violations are collected with the seed that
 * replays them, and reported together.
 */
final class Boundary {

    /** {@code -Dkvmstudio.robustness.seed=N} replays or varies a run; the default is fixed so CI is repeatable. */
    static final long SEED = Long.getLong("kvmstudio.robustness.seed", 20261127L);
    /** {@code -Dkvmstudio.robustness.scale=20} searches twenty times deeper. */
    static final double SCALE = Double.parseDouble(System.getProperty("kvmstudio.robustness.scale", "1"));

    static final long MAX_CPU_MILLIS = 100;
    /** Cases run first and not judged: the first of each code path loads classes, which is not the boundary's work. */
    static final int WARM_UP = 30;
    static final int MAX_ECHO = 200;

    /** What one case gave the boundary and got back, for the checks. */
    static final class Case {
        final long seed;
        String description = "";
        final List<String> inputs = new ArrayList<>();
        final List<String> secrets = new ArrayList<>();
        final List<String> messages = new ArrayList<>();
        final List<ParameterProblem> problems = new ArrayList<>();
        Path workspace;
        boolean refused;

        Case(long seed) {
            this.seed = seed;
        }

        /** Remembers every string in {@code value} (names too) to look for echoes of it. */
        void input(Object value) {
            Strings.collect(value, inputs);
        }

        void secret(Object value) {
            String text = String.valueOf(value);
            if (text.length() >= 6) { // shorter ones ("yes", "1") occur in sentences by chance
                secrets.add(text);
            }
        }
    }

    /** Generates one case (not timed) and returns the call of the boundary (timed and judged). */
    @FunctionalInterface
    interface Call {
        Action prepare(Hostile h, Case c) throws Exception;
    }

    @FunctionalInterface
    interface Action {
        void run() throws Exception;
    }

    private static final ThreadMXBean THREADS = ManagementFactory.getThreadMXBean();

    private final String name;
    private final int cases;
    private final List<String> violations = new ArrayList<>();
    private long slowestNanos;
    private long slowestSeed;
    private int refused;
    private long generationNanos;
    private long callNanos;
    private int logLines;

    private java.util.function.Supplier<Path> workspace;

    private double minAccepted;

    /**
     * Also checks that at least this share of the cases is accepted: a generator whose every case is
     * refused at the door never tests what lies behind it.
     */
    Boundary accepting(double share) {
        this.minAccepted = share;
        return this;
    }

    /** Also checks that a refused case leaves the workspace {@code dir} gives as it was. */
    Boundary watching(java.util.function.Supplier<Path> dir) {
        this.workspace = dir;
        return this;
    }

    Boundary(String name, int cases) {
        this.name = name;
        this.cases = (int) Math.ceil(cases * SCALE);
    }

    /** Runs the cases; fails listing the first violations, each with its seed. */
    Boundary run(Call call) throws IOException {
        long base = SEED ^ name.hashCode();
        // what the code under test logs is checked as its messages are: no echo, no secret
        java.util.logging.Logger root = java.util.logging.Logger.getLogger("");
        List<String> logged = java.util.Collections.synchronizedList(new ArrayList<>());
        java.util.logging.Handler capture = new java.util.logging.Handler() {
            @Override
            public void publish(java.util.logging.LogRecord r) {
                logged.add(new java.util.logging.SimpleFormatter().formatMessage(r)
                        + (r.getThrown() == null ? "" : " " + r.getThrown()));
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        capture.setLevel(java.util.logging.Level.ALL);
        root.addHandler(capture);
        try {
            // a case that blocks (a FIFO opened after all) must fail the run, not hang CI
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds((long) (300 * Math.max(1, SCALE))),
                    () -> runCases(call, base, logged), name + " did not finish");
        } finally {
            root.removeHandler(capture);
        }
        double accepted = 1 - (double) refused / cases;
        if (accepted < minAccepted) {
            violations.add(String.format("only %.1f%% of the cases were accepted (at least %.0f%% expected): the generator"
                    + " tests little beyond the door", 100 * accepted, 100 * minAccepted));
        }
        System.out.printf("robustness: %-28s %6d cases, %5d refused, slowest %5.1f ms CPU (seed %d), %d violations"
                + " (%.1f s generating, %.1f s in the boundary, %d log lines)%n", name, cases, refused, slowestNanos / 1e6,
                slowestSeed, violations.size(), generationNanos / 1e9, callNanos / 1e9, logLines);
        if (!violations.isEmpty()) { // all of them, for whoever fixes them
            Path report = Path.of(System.getProperty("java.io.tmpdir"), "kvmstudio-robustness", name.replace(' ', '-') + ".txt");
            Files.createDirectories(report.getParent());
            Files.write(report, violations);
            System.out.println("robustness: every violation is listed in " + report);
        }
        assertTrue(violations.isEmpty(), () -> name + ": " + violations.size() + " violations, the first:\n  "
                + String.join("\n  ", violations.subList(0, Math.min(12, violations.size()))));
        return this;
    }

    /** {@code -Dkvmstudio.robustness.replay=SEED} runs that one case of each boundary (after the warm-up), to debug it. */
    static final Long REPLAY = Long.getLong("kvmstudio.robustness.replay");

    private void runCases(Call call, long base, List<String> logged) throws IOException {
        warmUp(call, base);
        for (int i = 0; i < cases; i++) {
            long seed = REPLAY != null ? REPLAY : base + i;
            if (REPLAY != null && i > 0) {
                break;
            }
            Case c = new Case(seed);
            Action action;
            long generating = System.nanoTime();
            try {
                action = call.prepare(new Hostile(seed), c);
                generationNanos += System.nanoTime() - generating;
            } catch (Exception e) {
                throw new IllegalStateException("generating case " + seed + " failed", e);
            }
            Map<String, String> before = workspace == null ? null : snapshot(workspace.get());
            logged.clear();
            long cpu = THREADS.getCurrentThreadCpuTime();
            long calling = System.nanoTime();
            Throwable thrown = null;
            try {
                action.run();
            } catch (Throwable t) {
                thrown = t;
            }
            callNanos += System.nanoTime() - calling;
            synchronized (logged) {
                c.messages.addAll(logged);
                logLines += logged.size();
            }
            long spent = THREADS.getCurrentThreadCpuTime() - cpu;
            if (spent > MAX_CPU_MILLIS * 1_000_000) {
                spent = Math.min(spent, again(call, seed)); // a first run may pay for class loading or a pause: judge a second
            }
            if (REPLAY != null) {
                System.out.printf("robustness: replayed %d (%s): %.1f ms CPU, thrown %s, inputs %s, messages %s%n", seed,
                        Strings.shown(c.description), spent / 1e6, thrown, c.inputs.stream().map(String::length).toList(),
                        c.messages.stream().map(Strings::shown).toList());
            }
            check(c, thrown, spent);
            if (before != null) {
                unchangedWhenRefused(c, before, snapshot(workspace.get()));
            }
            if (spent > slowestNanos) {
                slowestNanos = spent;
                slowestSeed = seed;
            }
        }
    }

    int cases() {
        return cases;
    }

    /** The CPU time of the same case run again (its outcome was judged the first time). */
    private static long again(Call call, long seed) {
        try {
            Action action = call.prepare(new Hostile(seed), new Case(seed));
            long cpu = THREADS.getCurrentThreadCpuTime();
            try {
                action.run();
            } catch (Throwable judgedAlready) {
                // the first run's outcome counts
            }
            return THREADS.getCurrentThreadCpuTime() - cpu;
        } catch (Exception e) {
            return Long.MAX_VALUE;
        }
    }

    private static void warmUp(Call call, long base) {
        for (int i = 1; i <= WARM_UP; i++) {
            try {
                call.prepare(new Hostile(base - i), new Case(base - i)).run();
            } catch (Throwable ignored) {
                // judged when the case runs for real
            }
        }
    }

    private void check(Case c, Throwable thrown, long cpuNanos) {
        String where = "seed " + c.seed + (c.description.isEmpty() ? "" : " (" + Strings.shown(c.description) + ")") + ": ";
        if (thrown != null) {
            if (!typed(thrown)) {
                refused++; // not accepted either
                violations.add(where + "threw " + thrown.getClass().getName() + ": " + Strings.shown(String.valueOf(thrown.getMessage()))
                        + " at " + Strings.top(thrown));
                return;
            }
            c.refused = true;
            c.messages.add(String.valueOf(thrown.getMessage()));
            if (thrown instanceof InvalidParametersException invalid) {
                c.problems.addAll(invalid.problems());
            }
        }
        if (c.refused) {
            refused++;
        }
        if (cpuNanos > MAX_CPU_MILLIS * 1_000_000) {
            violations.add(where + "took " + cpuNanos / 1_000_000 + " ms of CPU");
        }
        for (ParameterProblem p : c.problems) {
            c.messages.add(p.message());
            if (!p.pointer().startsWith("/")) {
                violations.add(where + "a problem names no parameter: \"" + p.pointer() + "\" " + Strings.shown(p.message()));
            }
        }
        for (String m : c.messages) {
            Strings.echo(m, c.inputs, MAX_ECHO).ifPresent(n -> violations.add(where + "a message quotes " + n
                    + " characters of the input: " + Strings.shown(m)));
            for (String secret : c.secrets) {
                if (m.contains(secret)) {
                    violations.add(where + "a message holds a secret's value: " + Strings.shown(m));
                }
            }
        }
    }

    /** The project's typed refusals, and the JDK's own for a file that is not there. */
    private static boolean typed(Throwable t) {
        return t instanceof StudioException || t instanceof WorkspaceFormatException || t instanceof SchemaLoadException
                || t instanceof InputFileException || t instanceof java.nio.file.NoSuchFileException;
    }

    /** Every file under {@code dir} with its size and time, to see that a refusal wrote nothing. */
    static Map<String, String> snapshot(Path dir) throws IOException {
        Map<String, String> files = new TreeMap<>();
        if (!Files.exists(dir)) {
            return files;
        }
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) all::iterator) {
                String rel = dir.relativize(p).toString();
                if (rel.equals("lock") || rel.startsWith("run")) {
                    continue; // the owner's lock and socket, not content
                }
                BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                files.put(rel, a.isDirectory() ? "dir" : a.size() + "@" + a.lastModifiedTime().toMillis());
            }
        }
        return files;
    }

    /** Adds a violation when a refused case changed {@code before}. */
    private void unchangedWhenRefused(Case c, Map<String, String> before, Map<String, String> after) {
        if (c.refused && !before.equals(after)) {
            violations.add("seed " + c.seed + ": a refused input changed the workspace: " + diff(before, after));
        }
    }

    private static String diff(Map<String, String> before, Map<String, String> after) {
        List<String> changes = new ArrayList<>();
        after.forEach((k, v) -> {
            if (!v.equals(before.get(k))) {
                changes.add(k);
            }
        });
        before.keySet().stream().filter(k -> !after.containsKey(k)).forEach(k -> changes.add("-" + k));
        return changes.toString();
    }
}
