package org.kvmstudio.core;

import java.util.List;
import java.util.Optional;
import java.util.function.Function;

import org.kvmstudio.model.Filter;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;

/**
 * Which master hosts a shared instance: a live instance of the same release and software type, the
 * one the filter's {@code instance_guid} names, or the only one there is. Says why when there is none.
 */
final class MasterSelection {

    private MasterSelection() {
    }

    /**
     * {@code shared} attached to its master, or with a status saying why it cannot be.
     *
     * @param notReady makes a "not ready" status with the engine's clock
     */
    static Partition attach(Partition shared, List<Partition> partitions, Function<String, Status> notReady) {
        List<Partition> candidates = partitions.stream()
                .filter(m -> !m.shared() && m.releaseUri().equals(shared.releaseUri())
                        && m.softwareType().equals(shared.softwareType()) && m.requestedState() != RequestedState.DESTROYED)
                .toList();
        Optional<String> wanted = shared.filter().get(Filter.INSTANCE_GUID);
        String type = "'" + shared.softwareType() + "'";
        if (wanted.isPresent()) {
            return candidates.stream().filter(m -> m.id().equals(wanted.get())).findFirst()
                    .map(m -> attachedTo(shared, m, notReady))
                    .orElseGet(() -> shared.withStatus(notReady.apply("no " + type + " instance " + wanted.get() + " to host it")));
        }
        if (candidates.size() == 1) {
            return attachedTo(shared, candidates.get(0), notReady);
        }
        if (candidates.isEmpty()) {
            return shared.withStatus(notReady.apply("no " + type + " instance exists to host it yet; request one"));
        }
        return shared.withStatus(notReady.apply(candidates.size() + " " + type + " instances could host it: set the filter "
                + Filter.INSTANCE_GUID + " to one of " + candidates.stream().map(Partition::id).toList()));
    }

    private static Partition attachedTo(Partition shared, Partition master, Function<String, Status> notReady) {
        return shared.withMaster(master.id()).withStatus(notReady.apply("waiting for its master '" + master.reference() + "'"));
    }
}
