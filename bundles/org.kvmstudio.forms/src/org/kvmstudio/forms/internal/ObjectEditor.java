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

    /**
     * How many fields of the form's own object are made at once; the others are made just after the
     * first paint ({@link #createLater}). Under GTK a field costs about 2 ms to make and lay out, and
     * a request editor shows fewer than this many before one scrolls.
     */
    static final int FIRST_SCREEN = 9;

    private final boolean inline;
    private final boolean keepsOthers;
    private final Set<String> omitted;
    private final List<FieldEditor> fields = new ArrayList<>();
    /** Fields not made yet, and the values written to them meanwhile (what {@link #read} gives for them). */
    private final List<Field> later = new ArrayList<>();
    private final Map<String, Object> laterValues = new LinkedHashMap<>();
    private Set<String> declared = Set.of();
    private Map<?, ?> lastWritten = Map.of();
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
        return showsField(name) || others != null;
    }

    private boolean showsField(String name) {
        return fields.stream().anyMatch(f -> f.field().name().equals(name)) || later.stream().anyMatch(f -> f.name().equals(name));
    }

    @Override
    public void create(Composite parent) {
        Composite into = parent;
        if (!inline) {
            into = section(parent);
        }
        section = into;
        declared = new LinkedHashSet<>();
        boolean deferring = inline && pointer.isEmpty() && keepsOthers; // the form's own object only
        for (Field property : field.properties()) {
            declared.add(property.name());
            if (omitted.contains(property.name())) {
                continue;
            }
            if (deferring && fields.size() >= FIRST_SCREEN) {
                later.add(property);
                continue;
            }
            fields.add(make(property));
        }
        if (later.isEmpty()) {
            createOthers();
        }
        if (!inline) {
            decorate(section);
        }
    }

    private FieldEditor make(Field property) {
        FieldEditor editor = Editors.create(property, pointer + "/" + Pointers.segment(property.name()), context);
        editor.create(section);
        return editor;
    }

    private void createOthers() {
        if (!field.patternProperties().isEmpty() || (!field.closed() && field.properties().isEmpty())) {
            others = new MapEditor(field, pointer, context, declared);
            others.create(section);
        }
    }

    /** Makes the fields left for after the first paint, showing what was written to them; whether there were any. */
    @Override
    public boolean createLater() {
        if (later.isEmpty()) {
            return false;
        }
        List<FieldEditor> made = new ArrayList<>();
        for (Field property : later) {
            made.add(make(property));
        }
        fields.addAll(made);
        later.clear();
        createOthers();
        context.writing(() -> {
            made.forEach(f -> f.write(laterValues.get(f.field().name())));
            if (others != null) {
                others.write(lastWritten);
                kept.clear(); // the table shows them now
            }
        });
        laterValues.clear();
        return true;
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
        for (Field f : later) {
            Object v = laterValues.get(f.name());
            if (v != null) {
                map.put(f.name(), v);
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
        lastWritten = map;
        for (FieldEditor f : fields) {
            f.write(map.get(f.field().name()));
        }
        laterValues.clear();
        for (Field f : later) {
            if (map.get(f.name()) != null) {
                laterValues.put(f.name(), map.get(f.name()));
            }
        }
        if (others != null) {
            others.write(map);
        }
        kept = new LinkedHashMap<>();
        if (others == null && keepsOthers) {
            map.forEach((k, value) -> {
                if (!showsField(String.valueOf(k))) {
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
