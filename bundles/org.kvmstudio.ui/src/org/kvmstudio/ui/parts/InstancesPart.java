package org.kvmstudio.ui.parts;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.e4.ui.workbench.modeling.ESelectionService;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ILazyContentProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.Viewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.eclipse.swt.widgets.Table;
import org.eclipse.swt.widgets.Text;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.ui.lifecycle.WorkspaceOwner;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Named;

/**
 * The partitions of the workspace: a virtual table (rows made only when shown, so thousands stay
 * smooth) with a filter, sorting by any column, grouping by instance tree, and start, stop and
 * destroy for the selected rows. It follows the engine's events as they come.
 */
public class InstancesPart {

    /** Topic on which the part asks the request editor to open a partition. */
    public static final String OPEN_TOPIC = "kvmstudio/instance/open";

    @Inject
    UISynchronize ui;
    @Inject
    IEventBroker events;
    /** The window's services; absent when the part is made outside a workbench window (in a test's Shell). */
    @Inject
    @Optional
    ESelectionService selection;
    @Inject
    @Optional
    EPartService parts;

    private Studio studio;
    /** What the window says of the workspace while there is no studio (being opened, or why there is none). */
    private String workspaceStatus = "no workspace open";
    private final InstanceRows rows = new InstanceRows();
    private TableViewer viewer;
    private Label count;
    private final AtomicBoolean refreshQueued = new AtomicBoolean();
    private final EngineListener engine = new EngineListener(event -> queueRefresh());

    @PostConstruct
    public void create(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(6, 6).applyTo(parent);
        Composite bar = new Composite(parent, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(6).applyTo(bar);
        GridDataFactory.fillDefaults().grab(true, false).applyTo(bar);
        // the filter on a row of its own: a narrow view keeps room to type in it
        Text filter = new Text(bar, SWT.SEARCH | SWT.ICON_SEARCH | SWT.ICON_CANCEL);
        filter.setMessage("Filter by reference, type, state, status, host or URL");
        GridDataFactory.fillDefaults().grab(true, false).span(6, 1).applyTo(filter);
        filter.addListener(SWT.Modify, e -> {
            rows.setFilter(filter.getText());
            refreshTable();
        });
        Button grouped = new Button(bar, SWT.CHECK);
        grouped.setText("Group by instance tree");
        grouped.setSelection(true);
        grouped.addListener(SWT.Selection, e -> {
            rows.setGrouped(grouped.getSelection());
            refreshTable();
        });
        action(bar, "Start", () -> setState(RequestedState.STARTED));
        action(bar, "Stop", () -> setState(RequestedState.STOPPED));
        action(bar, "Destroy…", this::destroy);
        action(bar, "Console", this::console);
        count = new Label(bar, SWT.NONE);
        GridDataFactory.swtDefaults().hint(170, SWT.DEFAULT).applyTo(count); // the filter keeps its room whatever this says

        viewer = new TableViewer(parent, SWT.VIRTUAL | SWT.MULTI | SWT.FULL_SELECTION | SWT.BORDER);
        Table table = viewer.getTable();
        table.setHeaderVisible(true);
        table.setLinesVisible(true);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(table);
        for (InstanceRows.Column c : InstanceRows.Column.values()) {
            TableViewerColumn column = new TableViewerColumn(viewer, SWT.NONE);
            column.getColumn().setText(c.title);
            column.getColumn().setWidth(c.width);
            column.setLabelProvider(org.eclipse.jface.viewers.ColumnLabelProvider.createTextProvider(
                    p -> rows.text((Partition) p, c)));
            column.getColumn().addListener(SWT.Selection, e -> {
                rows.sortBy(c);
                table.setSortColumn(column.getColumn());
                table.setSortDirection(rows.descending() ? SWT.DOWN : SWT.UP);
                refreshTable();
            });
        }
        viewer.setUseHashlookup(true);
        viewer.setContentProvider(new ILazyContentProvider() {
            @Override
            public void updateElement(int index) {
                if (index < rows.size()) {
                    viewer.replace(rows.get(index), index);
                }
            }

            @Override
            public void inputChanged(Viewer v, Object oldInput, Object newInput) {
                // rows are given by the InstanceRows, not by the input
            }
        });
        viewer.setInput(rows);
        viewer.addSelectionChangedListener(e -> {
            if (selection != null) {
                selection.setSelection(selected());
            }
        });
        viewer.addDoubleClickListener(e -> selected().stream().findFirst().ifPresent(p -> {
            if (parts != null) { // made (and so listening) and in front before it is told what to open
                parts.showPart(RequestPart.ID, EPartService.PartState.ACTIVATE);
            }
            events.post(OPEN_TOPIC, p);
        }));
        table.setSortColumn(table.getColumn(0));
        table.setSortDirection(SWT.UP);
        reload();
    }

    @Inject
    @Optional
    void setWorkspaceStatus(@Named(WorkspaceOwner.WORKSPACE_STATUS) String status) {
        workspaceStatus = status == null ? "no workspace open" : status;
        if (count != null && !count.isDisposed() && studio == null) {
            refreshTable();
        }
    }

    /** The studio, when the workspace is open (it opens after the window shows): the view follows its engine. */
    @Inject
    @Optional
    void setStudio(Studio opened) {
        if (!engine.follow(opened)) {
            return;
        }
        studio = opened;
        if (viewer != null && !viewer.getTable().isDisposed()) {
            reload();
        }
    }

    private void action(Composite bar, String label, Runnable run) {
        Button b = new Button(bar, SWT.PUSH);
        b.setText(label);
        b.addListener(SWT.Selection, e -> run.run());
    }

    /** The selected partitions (a virtual table's selection, by row index). */
    List<Partition> selected() {
        List<Partition> chosen = new ArrayList<>();
        for (int i : viewer.getTable().getSelectionIndices()) {
            if (i < rows.size()) {
                chosen.add(rows.get(i));
            }
        }
        return chosen;
    }

    /** Events come from the engine's threads, in bursts: one refresh per burst, on the UI thread. */
    private void queueRefresh() {
        if (refreshQueued.compareAndSet(false, true)) {
            ui.asyncExec(() -> {
                refreshQueued.set(false);
                if (!viewer.getTable().isDisposed()) {
                    reload();
                }
            });
        }
    }

    /** Reads the partitions again and shows them, keeping the selection. */
    public void reload() {
        List<String> keep = selected().stream().map(Partition::id).toList();
        rows.setPartitions(studio == null ? List.of() : studio.engine().partitions());
        refreshTable();
        if (!keep.isEmpty()) {
            List<Integer> indices = new ArrayList<>();
            for (int i = 0; i < rows.size(); i++) {
                if (keep.contains(rows.get(i).id())) {
                    indices.add(i);
                }
            }
            viewer.getTable().setSelection(indices.stream().mapToInt(Integer::intValue).toArray());
        }
    }

    private void refreshTable() {
        viewer.getTable().clearAll();
        viewer.setItemCount(rows.size());
        count.setText(studio == null ? workspaceStatus : rows.size() + " of " + studio.engine().partitions().size());
        count.getParent().layout();
    }

    private void setState(RequestedState state) {
        InstanceActions.setState(studio, selected(), state, viewer.getControl().getShell(), ui);
    }

    private void destroy() {
        InstanceActions.destroy(studio, selected(), viewer.getControl().getShell(), ui);
    }

    private void console() {
        InstanceActions.console(selected(), parts, events);
    }

    @PreDestroy
    void dispose() {
        engine.follow(null);
    }

    /** For tests and benchmarks: the table and its rows. */
    public Table table() {
        return viewer.getTable();
    }

    public InstanceRows rows() {
        return rows;
    }
}
