package org.kvmstudio.ui.parts;

import java.util.function.Function;

import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.swt.SWT;

/** A text column of a table viewer whose rows are of one type. */
final class Columns {

    private Columns() {
    }

    @SuppressWarnings("unchecked")
    static <T> TableViewerColumn add(TableViewer viewer, String title, int width, Function<T, String> text) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> text.apply((T) e)));
        return c;
    }
}
