package org.kvmstudio.ui.parts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.model.Status;

/** What the Instances view shows: filtered, sorted, grouped by instance tree. */
class InstanceRowsTest {

    private static Partition partition(String id, String reference, String type, String tree, String parent, String url) {
        return new Partition(id, reference, "kvm", type, false, Parameters.EMPTY, RequestedState.STARTED, null,
                new Status(Status.Phase.STARTED, "", Instant.EPOCH),
                url == null ? Parameters.EMPTY : Parameters.of(Map.of("backend-url", url)), "local", null, parent, tree, 1, 1);
    }

    private final List<Partition> partitions = List.of(
            partition("SOFTINST-1", "zeta", "default", "zeta", null, "wss://[::1]:6001"),
            partition("SOFTINST-2", "alpha", "nbd", "alpha", null, null),
            partition("SOFTINST-3", "zeta-frontend", "frontend", "zeta", "SOFTINST-1", null),
            partition("SOFTINST-4", "beta", "kvm+", "beta", null, null));

    @Test
    void groupedRowsPutEachTreeTogetherWithItsRootFirstAndIndentTheOthers() {
        InstanceRows rows = new InstanceRows();
        rows.setPartitions(partitions);
        assertEquals(List.of("alpha", "beta", "zeta", "zeta-frontend"), rows.shown().stream().map(Partition::reference).toList());
        assertTrue(rows.text(rows.get(3), InstanceRows.Column.REFERENCE).startsWith("    \u21b3 "));
        rows.sortBy(InstanceRows.Column.REFERENCE); // the same column again: descending, trees still together
        assertEquals(List.of("zeta", "zeta-frontend", "beta", "alpha"), rows.shown().stream().map(Partition::reference).toList());
    }

    @Test
    void aFilterMatchesAnyColumnAndUngroupedRowsSortByTheChosenColumn() {
        InstanceRows rows = new InstanceRows();
        rows.setPartitions(partitions);
        rows.setGrouped(false);
        rows.sortBy(InstanceRows.Column.TYPE);
        assertEquals(List.of("zeta", "zeta-frontend", "beta", "alpha"), rows.shown().stream().map(Partition::reference).toList());
        rows.setFilter("WSS://");
        assertEquals(List.of("zeta"), rows.shown().stream().map(Partition::reference).toList(), "the URL column matches");
        rows.setFilter("");
        assertEquals(4, rows.size());
    }

    @Test
    void tenThousandPartitionsAreSortedAndFilteredWithoutBuildingAnyWidget() {
        List<Partition> many = new ArrayList<>();
        for (int i = 0; i < 10_000; i++) {
            many.add(partition("SOFTINST-" + i, "vm-" + i, i % 2 == 0 ? "default" : "nbd", "vm-" + i, null, null));
        }
        InstanceRows rows = new InstanceRows();
        rows.setPartitions(many);
        rows.setFilter("nbd");
        assertEquals(5_000, rows.size());
        assertEquals("vm-1", rows.get(0).reference());
    }
}
