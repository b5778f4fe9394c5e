package org.kvmstudio.forms.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;

import org.eclipse.core.databinding.observable.list.WritableList;
import org.eclipse.jface.databinding.viewers.ObservableListContentProvider;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.viewers.CellEditor;
import org.eclipse.jface.viewers.ColumnLabelProvider;
import org.eclipse.jface.viewers.EditingSupport;
import org.eclipse.jface.viewers.TableViewer;
import org.eclipse.jface.viewers.TableViewerColumn;
import org.eclipse.jface.viewers.TextCellEditor;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.kvmstudio.schema.Field;
import org.kvmstudio.schema.FieldType;

/**
 * Named entries of an object whose names are free ({@code patternProperties}, or an open object):
 * a table of name and value. A value whose schema is an object or a list is written as JSON.
 */
final class MapEditor extends FieldEditor {

    /** One row: the value as typed, and the value it was given until the user edits it (read back as it was). */
    static final class Entry {
        String name;
        String value;
        Object given;
        boolean edited;

        Entry(String name, String value, Object given, boolean edited) {
            this.name = name;
            this.value = value;
            this.given = given;
            this.edited = edited;
        }
    }

    private final Set<String> declared;
    private TableViewer viewer;
    private WritableList<Entry> entries;
    private String problem;

    /** @param declared names the object's own fields show, which this table leaves to them */
    MapEditor(Field field, String pointer, FormContext context, Set<String> declared) {
        super(field, pointer, context);
        this.declared = declared;
    }

    @Override
    public void create(Composite parent) {
        Composite box = tallInput(parent, 2);
        entries = new WritableList<>(context.realm(), new ArrayList<>(), Entry.class);
        viewer = new TableViewer(box, SWT.BORDER | SWT.FULL_SELECTION | SWT.MULTI);
        viewer.getTable().setHeaderVisible(true);
        viewer.getTable().setLinesVisible(true);
        viewer.getTable().setToolTipText(tooltip());
        column("Name", 140, e -> e.name, (e, v) -> e.name = v);
        column("Value", 260, e -> secret(e.name) ? "\u2022\u2022\u2022\u2022\u2022\u2022\u2022\u2022" : e.value, (e, v) -> {
            e.value = v;
            e.edited = true;
        });
        viewer.setContentProvider(new ObservableListContentProvider<>());
        viewer.setInput(entries);
        GridDataFactory.fillDefaults().grab(true, false).hint(300, viewer.getTable().getItemHeight() * 4).span(1, 2)
                .applyTo(viewer.getControl());
        Button add = new Button(box, SWT.PUSH);
        add.setText("Add");
        add.addListener(SWT.Selection, e -> entries.add(new Entry(freshName(), initialValue(), null, true)));
        Button remove = new Button(box, SWT.PUSH);
        remove.setText("Remove");
        remove.addListener(SWT.Selection, e -> entries.removeAll(viewer.getStructuredSelection().toList()));
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(add);
        GridDataFactory.fillDefaults().align(SWT.FILL, SWT.BEGINNING).applyTo(remove);
        add.setEnabled(!field.readOnly());
        remove.setEnabled(!field.readOnly());
        entries.addListChangeListener(e -> context.changed());
        decorate(viewer.getControl());
    }

    private void column(String title, int width, Function<Entry, String> get, BiConsumer<Entry, String> set) {
        TableViewerColumn c = new TableViewerColumn(viewer, SWT.NONE);
        c.getColumn().setText(title);
        c.getColumn().setWidth(width);
        c.setLabelProvider(ColumnLabelProvider.createTextProvider(e -> get.apply((Entry) e)));
        TextCellEditor cells = new TextCellEditor(viewer.getTable()); // one per column, not one per edit
        c.setEditingSupport(new EditingSupport(viewer) {
            @Override
            protected CellEditor getCellEditor(Object element) {
                return cells;
            }

            @Override
            protected boolean canEdit(Object element) {
                return !field.readOnly();
            }

            @Override
            protected Object getValue(Object element) {
                Entry e = (Entry) element;
                return title.equals("Value") ? e.value : get.apply(e); // a masked value is edited as it is
            }

            @Override
            protected void setValue(Object element, Object value) {
                set.accept((Entry) element, String.valueOf(value));
                viewer.update(element, null);
                context.changed();
            }
        });
    }

    private String freshName() {
        for (int i = 1;; i++) {
            String name = "name" + i;
            if (entries.stream().noneMatch(e -> e.name.equals(name)) && !declared.contains(name)) {
                return name;
            }
        }
    }

    /** A new entry starts from what its schema says of values: the default, or an empty object. */
    private String initialValue() {
        Field values = field.patternProperties().values().stream().findFirst().orElse(null);
        if (values == null) {
            return "";
        }
        return values.defaultValue().map(MapEditor::asText).orElse(values.type() == FieldType.OBJECT ? "{}" : "");
    }

    private static String asText(Object v) {
        return v instanceof Map<?, ?> || v instanceof List<?> ? Values.json(v) : Values.text(v);
    }

    /** Whether the entry {@code name}'s value is a secret (by its schema, or by its name): masked in the table. */
    private boolean secret(String name) {
        String at = pointer + "/" + Pointers.segment(name);
        return context.schema().secret(at);
    }

    /** The schema of the entry {@code name}: that of the first pattern it matches, if any. */
    private Field valueField(String name) {
        return context.schema().fieldAt(pointer + "/" + Pointers.segment(name)).orElse(null);
    }

    /** The entries as a map (undeclared names only), or {@code null} when there are none. */
    @Override
    public Object read() {
        problem = null;
        Map<String, Object> map = new LinkedHashMap<>();
        for (Entry e : entries) {
            if (!e.edited) { // as it was given: no round trip through text changes its type
                map.put(e.name, e.given);
                continue;
            }
            Field f = valueField(e.name);
            FieldType type = f == null ? FieldType.ANY : f.type();
            Object v;
            if (type == FieldType.STRING || type == FieldType.INTEGER || type == FieldType.NUMBER || type == FieldType.BOOLEAN) {
                v = Values.parse(e.value, type);
            } else {
                try {
                    v = e.value.isBlank() ? null : Values.parseJson(e.value);
                } catch (IllegalArgumentException bad) {
                    if (f == null) {
                        v = e.value; // a free entry: plain text is a text
                    } else {
                        problem = e.name + " " + bad.getMessage();
                        continue;
                    }
                }
            }
            if (map.containsKey(e.name)) {
                problem = e.name + " is given twice";
            }
            map.put(e.name, v == null ? "" : v);
        }
        return map.isEmpty() ? null : map;
    }

    @Override
    public String localProblem() {
        return problem;
    }

    @Override
    public void write(Object v) {
        entries.clear();
        if (v instanceof Map<?, ?> map) {
            map.forEach((k, value) -> {
                if (!declared.contains(String.valueOf(k))) {
                    entries.add(new Entry(String.valueOf(k), asText(value), value, false));
                }
            });
        }
    }

    @Override
    public Control control() {
        return viewer.getControl();
    }
}
