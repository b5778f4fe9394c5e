package org.kvmstudio.ui.parts;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.jface.viewers.ArrayContentProvider;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Label;
import org.kvmstudio.model.SoftwareType;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ReleaseProvider;
import org.kvmstudio.schema.SchemaLoadException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;

import jakarta.annotation.PostConstruct;
import jakarta.inject.Inject;

import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UIEventTopic;
import org.kvmstudio.core.Studio;

/**
 * The software releases of the workspace (those installed, and those opened from disk with
 * File › Open Release) and the software types they offer; a type whose schema does not load is
 * listed with why. Before the workspace is open, the installed releases.
 */
public class ReleasesPart {

    /** Posted when a release was opened from disk: the views offering types read them again. */
    public static final String CHANGED_TOPIC = "kvmstudio/releases/changed";

    /** One row: a software type of a release. */
    record Row(String release, String uri, SoftwareType type) {
    }

    private TableViewer viewer;
    private Studio studio;

    @Inject
    IEventBroker events;

    /** The studio, when the workspace is open: its releases are listed. */
    @Inject
    @Optional
    void setStudio(Studio opened) {
        studio = opened;
        refresh();
    }

    @Inject
    @Optional
    void releasesChanged(@UIEventTopic(CHANGED_TOPIC) Object any) {
        refresh();
    }

    private void refresh() {
        if (viewer != null && !viewer.getControl().isDisposed()) {
            viewer.setInput(rows());
        }
    }

    @PostConstruct
    public void createControls(Composite parent) {
        GridLayoutFactory.fillDefaults().margins(8, 8).applyTo(parent);
        Label intro = new Label(parent, SWT.WRAP);
        intro.setText("Software releases of the workspace, and the software types you can request from them. "
                + "Double-click a type to request it; File › Open Release adds one from disk.");
        GridDataFactory.fillDefaults().grab(true, false).applyTo(intro);

        viewer = new TableViewer(parent, SWT.BORDER | SWT.FULL_SELECTION | SWT.SINGLE);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        GridDataFactory.fillDefaults().grab(true, true).applyTo(viewer.getControl());
        column("Release", 80, Row::release);
        column("Software type", 130, r -> r.type().softwareType() + (r.type().shared() ? " (shared)" : ""));
        column("Title", 220, r -> r.type().title());
        column("Description", 460, r -> r.type().description());
        viewer.setContentProvider(ArrayContentProvider.getInstance());
        viewer.setInput(rows());
        // a double click starts a request of that type in the request editor
        viewer.addDoubleClickListener(e -> {
            if (viewer.getStructuredSelection().getFirstElement() instanceof Row row && row.uri() != null) {
                events.post(RequestPart.NEW_TOPIC, new String[] {row.uri(), row.type().id()});
            }
        });
    }

    private void column(String title, int width, java.util.function.Function<Row, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(new ColumnLabelProvider() {
            @Override
            public String getText(Object element) {
                return text.apply((Row) element);
            }
        });
    }

    private List<Row> rows() {
        List<Row> rows = new ArrayList<>();
        if (studio != null) {
            studio.releases().releases().forEach(release -> add(rows, release));
            return rows;
        }
        BundleContext context = FrameworkUtil.getBundle(ReleasesPart.class).getBundleContext();
        try {
            for (ServiceReference<ReleaseProvider> ref : context.getServiceReferences(ReleaseProvider.class, null)) {
                ReleaseProvider provider = context.getService(ref);
                try {
                    add(rows, provider.load());
                } catch (SchemaLoadException e) {
                    rows.add(new Row(provider.releaseUri(), null, new SoftwareType("?", null, "cannot be loaded", e.getMessage(),
                            false, 0, null, null, null)));
                } finally {
                    context.ungetService(ref);
                }
            }
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return rows;
    }

    private static void add(List<Row> rows, LoadedRelease release) {
        release.release().types().forEach(t -> rows.add(new Row(release.release().name(), release.release().uri(), t)));
        // a type whose schema did not load is listed, with why, rather than hidden
        release.problems().forEach(problem -> rows.add(new Row(release.release().name(), null,
                new SoftwareType("!", null, "problem", problem, false, 0, null, null, null))));
    }
}
