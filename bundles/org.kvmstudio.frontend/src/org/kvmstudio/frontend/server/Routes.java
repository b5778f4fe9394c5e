package org.kvmstudio.frontend.server;

import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The entries a frontend serves, and the console relays open on each: replacing the table closes at
 * once the relays of entries that went away or now lead elsewhere.
 */
final class Routes {

    private volatile Map<String, Route> table = Map.of();
    private final Map<String, Set<ConsoleRelay>> relays = new ConcurrentHashMap<>();

    Optional<Route> find(String resource) {
        return Optional.ofNullable(table.get(resource));
    }

    synchronized void replace(Collection<Route> routes) {
        Map<String, Route> next = new LinkedHashMap<>();
        for (Route r : routes) {
            if (next.putIfAbsent(r.resource(), r) != null) {
                throw new IllegalArgumentException("two entries for /" + r.resource() + "/");
            }
        }
        Map<String, Route> previous = table;
        table = Map.copyOf(next);
        for (Map.Entry<String, Route> old : previous.entrySet()) {
            if (!old.getValue().equals(next.get(old.getKey()))) {
                closeRelays(old.getKey());
            }
        }
    }

    /** What {@link #open} decided. */
    enum Admission {
        OPENED,
        /** The route went or changed meanwhile. */
        GONE,
        /** As many consoles as an entry takes are open on it already. */
        FULL,
        /** As many consoles as one client may open on an entry are open from its address already. */
        FULL_FOR_CLIENT
    }

    /**
     * Counts a new relay on {@code route} when it may open: fewer than {@code max} on it, fewer than
     * {@code maxPerClient} from the relay's client. The caller undoes it with {@link #closed}.
     */
    synchronized Admission open(Route route, ConsoleRelay relay, int max, int maxPerClient) {
        if (!route.equals(table.get(route.resource()))) {
            return Admission.GONE;
        }
        Set<ConsoleRelay> open = relays.computeIfAbsent(route.resource(), r -> ConcurrentHashMap.newKeySet());
        if (open.size() >= max) {
            return Admission.FULL;
        }
        if (open.stream().filter(r -> r.client().equals(relay.client())).count() >= maxPerClient) {
            return Admission.FULL_FOR_CLIENT;
        }
        open.add(relay);
        return Admission.OPENED;
    }

    void closed(String resource, ConsoleRelay relay) {
        Set<ConsoleRelay> open = relays.get(resource);
        if (open != null) {
            open.remove(relay);
        }
    }

    /** The relays counted now, each saying where it stands. */
    List<String> describeRelays() {
        return relays.values().stream().flatMap(Set::stream).map(Object::toString).toList();
    }

    int openRelays() {
        return relays.values().stream().mapToInt(Set::size).sum();
    }

    synchronized void closeAll() {
        relays.keySet().forEach(this::closeRelays);
    }

    private synchronized void closeRelays(String resource) {
        Set<ConsoleRelay> open = relays.remove(resource);
        if (open != null) {
            open.forEach(ConsoleRelay::close);
        }
    }
}
