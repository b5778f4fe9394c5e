package org.kvmstudio.forms.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.kvmstudio.schema.Field;

/**
 * An object's named fields: a titled section, or the form itself for the root. Names its fields do
 * not declare go to a name/value table when the schema allows them, and are otherwise kept as they
 * were given (so nothing is lost; the schema says they are not allowed).
 */
final class ObjectEditor extends FieldEditor {

    private final boolean inline;
    private final boolean keepsOthers;
    private final Set<String> omitted;
    private final List<FieldEditor> fields = new ArrayList<>();
    private MapEditor others;
    private Composite section;
    private Map<String, Object> kept = new LinkedHashMap<>();
    private Object foreign;
    /** Written as {@code {}}: read back so, not as "not given" (the two may differ to a software type). */
    private boolean givenEmpty;

    /** @param inline lay the fields out in the parent (the root, a variant's shared part) instead of a section */
    ObjectEditor(Field field, String pointer, FormContext context, boolean inline) {
        this(field, pointer, context, inline, true, Set.of());
    }

    /**
     * @param keepsOthers whether names no field shows are kept here; a variant's parts leave them to the variant editor
     * @param omitted     names another editor of the same object shows (a variant's, the shared fields): one input per name
     */
    ObjectEditor(Field field, String pointer, FormContext context, boolean inline, boolean keepsOthers, Set<String> omitted) {
        super(field, pointer, context);
        this.inline = inline;
        this.keepsOthers = keepsOthers;
        this.omitted = Set.copyOf(omitted);
    }

    /** Whether one of this object's fields (or its table of entries) shows {@code name}. */
    boolean shows(String name) {
        return fields.stream().anyMatch(f -> f.field().name().equals(name)) || others != null;
    }

    @Override
    public void create(Composite parent) {
        Composite into = parent;
        if (!inline) {
            into = section(parent);
        }
        section = into;
        Set<String> declared = new LinkedHashSet<>();
        for (Field property : field.properties()) {
            declared.add(property.name());
            if (omitted.contains(property.name())) {
                continue;
            }
            FieldEditor editor = Editors.create(property, pointer + "/" + Pointers.segment(property.name()), context);
            editor.create(into);
            fields.add(editor);
        }
        if (!field.patternProperties().isEmpty() || (!field.closed() && field.properties().isEmpty())) {
            others = new MapEditor(field, pointer, context, declared);
            others.create(into);
        }
        if (!inline) {
            decorate(section);
        }
    }

    @Override
    public List<FieldEditor> children() {
        List<FieldEditor> all = new ArrayList<>(fields);
        if (others != null) {
            all.add(others);
        }
        return all;
    }

    @Override
    public Object read() {
        Map<String, Object> map = new LinkedHashMap<>();
        for (FieldEditor f : fields) {
            Object v = f.read();
            if (v != null) {
                map.put(f.field().name(), v);
            }
        }
        if (others != null && others.read() instanceof Map<?, ?> entries) {
            entries.forEach((k, v) -> map.put((String) k, v));
        }
        kept.forEach(map::putIfAbsent);
        if (foreign != null && map.isEmpty()) {
            return foreign; // a value that is no object, as it was given, until a field of the section is filled in
        }
        return map.isEmpty() && !inline && !givenEmpty ? null : map;
    }

    @Override
    public void write(Object v) {
        foreign = v == null || v instanceof Map<?, ?> ? null : v;
        givenEmpty = v instanceof Map<?, ?> given && given.isEmpty();
        Map<?, ?> map = v instanceof Map<?, ?> m ? m : Map.of();
        for (FieldEditor f : fields) {
            f.write(map.get(f.field().name()));
        }
        if (others != null) {
            others.write(map);
        }
        kept = new LinkedHashMap<>();
        if (others == null && keepsOthers) {
            map.forEach((k, value) -> {
                if (fields.stream().noneMatch(f -> f.field().name().equals(k))) {
                    kept.put(String.valueOf(k), value);
                }
            });
        }
    }

    @Override
    public Control control() {
        return fields.isEmpty() ? (others == null ? section : others.control()) : fields.get(0).control();
    }
}
