package org.kvmstudio.ui.parts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;

import org.kvmstudio.model.Partition;

/**
 * The rows the Instances table shows: the partitions filtered by a text, sorted by a column, and
 * optionally grouped by instance tree (a root, then the instances it requested). Plain Java, so
 * the part's virtual table only asks it for row {@code i}.
 */
public final class InstanceRows {

    /** The columns, each with the text it shows of a partition. */
    public enum Column {
        REFERENCE("Reference", 220, Partition::reference),
        TYPE("Software type", 110, p -> p.softwareType() + (p.shared() ? " (shared)" : "")),
        STATE("Requested", 90, p -> p.requestedState().slapName()),
        STATUS("Status", 260, InstanceRows::statusText),
        HOST("Host", 110, p -> p.host().orElse("")),
        URL("URL", 260, InstanceRows::url);

        public final String title;
        public final int width;
        public final Function<Partition, String> text;

        Column(String title, int width, Function<Partition, String> text) {
            this.title = title;
            this.width = width;
            this.text = text;
        }
    }

    private List<Partition> all = List.of();
    private List<Partition> shown = List.of();
    private String filter = "";
    private Column sortBy = Column.REFERENCE;
    private boolean descending;
    private boolean grouped = true;

    public void setPartitions(List<Partition> partitions) {
        all = List.copyOf(partitions);
        recompute();
    }

    public void setFilter(String text) {
        filter = text.strip().toLowerCase(Locale.ROOT);
        recompute();
    }

    /** Sorts by {@code column}; the same column again reverses the order. */
    public void sortBy(Column column) {
        descending = column == sortBy && !descending;
        sortBy = column;
        recompute();
    }

    public Column sortColumn() {
        return sortBy;
    }

    public boolean descending() {
        return descending;
    }

    public void setGrouped(boolean grouped) {
        this.grouped = grouped;
        recompute();
    }

    public int size() {
        return shown.size();
    }

    public Partition get(int row) {
        return shown.get(row);
    }

    public List<Partition> shown() {
        return shown;
    }

    /** The text of {@code column} for a row: an instance that another requested is indented under its tree's root when grouped. */
    public String text(Partition p, Column column) {
        String t = column.text.apply(p);
        return grouped && column == Column.REFERENCE && !p.isRoot() ? "    \u21b3 " + t : t;
    }

    private void recompute() {
        List<Partition> rows = new ArrayList<>();
        for (Partition p : all) {
            if (filter.isEmpty() || matches(p)) {
                rows.add(p);
            }
        }
        Comparator<Partition> order = Comparator.comparing(p -> sortBy.text.apply(p), String.CASE_INSENSITIVE_ORDER);
        if (descending) {
            order = order.reversed();
        }
        if (grouped) { // trees together, ordered as their roots are, each root first
            java.util.Map<String, Partition> roots = new java.util.HashMap<>();
            all.stream().filter(Partition::isRoot).forEach(p -> roots.put(p.instanceTree(), p));
            Comparator<Partition> byRoot = order;
            Comparator<String> trees = (a, b) -> {
                Partition ra = roots.get(a);
                Partition rb = roots.get(b);
                int c = ra != null && rb != null ? byRoot.compare(ra, rb) : 0;
                return c != 0 ? c : a.compareToIgnoreCase(b);
            };
            order = Comparator.comparing(Partition::instanceTree, trees).thenComparing(p -> !p.isRoot()).thenComparing(order);
        }
        rows.sort(order.thenComparing(Partition::id));
        shown = rows;
    }

    private boolean matches(Partition p) {
        for (Column c : Column.values()) {
            if (c.text.apply(p).toLowerCase(Locale.ROOT).contains(filter)) {
                return true;
            }
        }
        return false;
    }

    static String statusText(Partition p) {
        String phase = switch (p.status().phase()) {
            case NOT_READY -> "not ready";
            case STARTED -> "started";
            case STOPPED -> "stopped";
            case DESTROYED -> "destroyed";
            case FAILED -> "failed";
        };
        return p.status().message() == null || p.status().message().isBlank() ? phase : phase + ": " + p.status().message();
    }

    /** Where a person reaches the instance: its frontend URL, else its console's. */
    static String url(Partition p) {
        return p.connectionParameters().get("url").or(() -> p.connectionParameters().get("backend-url"))
                .map(String::valueOf).orElse("");
    }
}
