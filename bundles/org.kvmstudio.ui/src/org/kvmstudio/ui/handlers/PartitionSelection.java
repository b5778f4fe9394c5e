package org.kvmstudio.ui.handlers;

import java.util.List;

import org.kvmstudio.model.Partition;

/** The partitions in the window's selection (the Instances view sets a list of them). */
final class PartitionSelection {

    private PartitionSelection() {
    }

    static List<Partition> of(Object selection) {
        if (selection instanceof List<?> list) {
            return list.stream().filter(Partition.class::isInstance).map(Partition.class::cast).toList();
        }
        return selection instanceof Partition p ? List.of(p) : List.of();
    }
}
