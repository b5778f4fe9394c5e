package org.kvmstudio.forms.internal;

import java.util.ArrayList;
import java.util.List;

import org.eclipse.core.databinding.observable.list.WritableList;
import org.eclipse.jface.databinding.viewers.ObservableListContentProvider;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.viewers.LabelProvider;
import org.eclipse.jface.viewers.ListViewer;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.eclipse.swt.widgets.Text;
import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.FieldType;

/** An array of texts, numbers or booleans: an editable list (add, remove, move up and down). */
final class ListEditor extends FieldEditor {

    private ListViewer viewer;
    private Text entry;
    private WritableList<Object> items;
    /** A value that is not a list (from JSON), kept until the list is edited, for the schema to report. */
    private Object foreign;
    /** Written as {@code []}: read back so, not as "not given". */
    private boolean givenEmpty;

    ListEditor(Field field, String pointer, FormContext context) {
        super(field, pointer, context);
    }

    /** Whether {@code field} is an array this editor can show: items of one scalar type. */
    static boolean accepts(Field field) {
        return field.items().map(i -> i.variants().isEmpty() && switch (i.type()) {
            case STRING, INTEGER, NUMBER, BOOLEAN -> true;
            default -> false;
        }).orElse(false);
    }

    private FieldType itemType() {
        return field.items().map(Field::type).orElse(FieldType.STRING);
    }

    @Override
    public void create(Composite parent) {
        Composite box = tallInput(parent, 2);
        items = new WritableList<>(context.realm(), new ArrayList<>(), Object.class);
        viewer = new ListViewer(box, SWT.BORDER | SWT.MULTI | SWT.V_SCROLL);
        viewer.setContentProvider(new ObservableListContentProvider<>());
        viewer.setLabelProvider(LabelProvider.createTextProvider(Values::text));
        viewer.setInput(items);
        viewer.getList().setToolTipText(tooltip());
        GridDataFactory.fillDefaults().grab(true, false).hint(200, viewer.getList().getItemHeight() * 4).span(1, 3)
                .applyTo(viewer.getControl());
        button(box, "Remove", this::removeSelected);
        button(box, "Up", () -> move(-1));
        button(box, "Down", () -> move(1));
        entry = new Text(box, SWT.BORDER | SWT.SINGLE);
        entry.setMessage(field.defaultValue().map(d -> "add an item (default: " + Values.text(d) + ")").orElse("add an item"));
        GridDataFactory.fillDefaults().grab(true, false).applyTo(entry);
        entry.addListener(SWT.DefaultSelection, e -> add());
        button(box, "Add", this::add);
        items.addListChangeListener(e -> context.changed());
        decorate(viewer.getControl());
    }

    private void button(Composite box, String label, Runnable action) {
        Button b = new Button(box, SWT.PUSH);
        b.setText(label);
        b.setEnabled(!field.readOnly());
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(b);
        b.addListener(SWT.Selection, e -> action.run());
    }

    private void add() {
        Object v = Values.parse(entry.getText(), itemType());
        if (v != null) {
            foreign = null;
            items.add(v);
            entry.setText("");
        }
    }

    private void removeSelected() {
        int[] selected = viewer.getList().getSelectionIndices();
        for (int i = selected.length - 1; i >= 0; i--) {
            items.remove(selected[i]);
        }
    }

    private void move(int by) {
        int i = viewer.getList().getSelectionIndex();
        int j = i + by;
        if (i < 0 || j < 0 || j >= items.size()) {
            return;
        }
        items.move(i, j);
        viewer.getList().setSelection(j);
    }

    @Override
    public Object read() {
        if (foreign != null) {
            return foreign;
        }
        return items.isEmpty() && !givenEmpty ? null : new ArrayList<>(items);
    }

    @Override
    public void write(Object v) {
        foreign = v instanceof List<?> || v == null ? null : v;
        givenEmpty = v instanceof List<?> given && given.isEmpty();
        items.clear();
        if (v instanceof List<?> list) {
            items.addAll(list);
        }
    }

    @Override
    public Control control() {
        return viewer.getControl();
    }
}
