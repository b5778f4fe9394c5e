package org.kvmstudio.core;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When a partition that failed may be tried again: 1 s after the first failure, doubling up to
 * 5 minutes, so that a host that is down or an image server that refuses is not hammered, while a
 * passing hiccup is repaired at once. A new revision of the request is tried at once. Kept in memory:
 * a restart tries everything again, as an operator restarting would expect.
 */
final class Retries {

    static final Duration FIRST = Duration.ofSeconds(1);
    static final Duration LONGEST = Duration.ofMinutes(5);

    private record Attempts(long revision, int failures, Instant notBefore) {
    }

    private final Map<String, Attempts> failed = new ConcurrentHashMap<>();

    /** Records a failure of {@code revision}; returns when it may be tried again. */
    Instant failed(String id, long revision, Instant now) {
        // one step: failures of one partition may be recorded from two threads (a master, and a look at it)
        return failed.compute(id, (key, previous) -> {
            int failures = previous != null && previous.revision() == revision ? previous.failures() + 1 : 1;
            Duration delay = FIRST.multipliedBy(1L << Math.min(failures - 1, 20));
            return new Attempts(revision, failures, now.plus(delay.compareTo(LONGEST) > 0 ? LONGEST : delay));
        }).notBefore();
    }

    void succeeded(String id) {
        failed.remove(id);
    }

    /** Whether {@code revision} of {@code id} may be deployed at {@code now}. */
    boolean due(String id, long revision, Instant now) {
        Attempts a = failed.get(id);
        return a == null || a.revision() != revision || !now.isBefore(a.notBefore());
    }

    int failures(String id) {
        Attempts a = failed.get(id);
        return a == null ? 0 : a.failures();
    }

    /** The earliest time after {@code now} a waiting partition may be tried again. */
    Optional<Instant> next(Instant now) {
        return failed.values().stream().map(Attempts::notBefore).filter(now::isBefore).min(Instant::compareTo);
    }
}
