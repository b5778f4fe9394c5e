package org.kvmstudio.forms.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.jface.layout.GridLayoutFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.kvmstudio.schema.Field;

/**
 * {@code oneOf}/{@code anyOf}: a selector of the alternatives; the chosen one's fields appear below
 * the fields the alternatives share (the parent's own properties). Changing the choice swaps that
 * sub-form and keeps the shared values.
 */
final class VariantEditor extends FieldEditor {

    private final boolean inline;
    private Combo selector;
    private Composite chosenArea;
    private ObjectEditor shared;
    private FieldEditor chosen;
    private int chosenIndex = -1;
    /** Names of a written value that neither the shared fields nor the chosen variant show: kept, and reported by the schema. */
    private Map<String, Object> kept = new LinkedHashMap<>();

    VariantEditor(Field field, String pointer, FormContext context, boolean inline) {
        super(field, pointer, context);
        this.inline = inline;
    }

    @Override
    public void create(Composite parent) {
        Composite into = parent;
        if (!inline) {
            into = section(parent);
        }
        org.eclipse.swt.widgets.Label label = new org.eclipse.swt.widgets.Label(into, SWT.NONE);
        label.setText(field.exclusiveVariants() ? "One of" : "Any of");
        GridDataFactory.swtDefaults().indent(8, 0).applyTo(label);
        selector = new Combo(into, SWT.READ_ONLY | SWT.DROP_DOWN);
        selector.add("");
        for (int i = 0; i < field.variants().size(); i++) {
            selector.add(title(field.variants().get(i), i));
        }
        selector.setToolTipText(tooltip());
        GridDataFactory.swtDefaults().applyTo(selector);
        selector.addListener(SWT.Selection, e -> {
            // the shared values stay; the previous variant's own do not follow into another one
            Map<String, Object> carried = new LinkedHashMap<>();
            if (shared != null && shared.read() instanceof Map<?, ?> common) {
                common.forEach((k, v) -> carried.put((String) k, v));
            }
            kept.forEach(carried::putIfAbsent); // names no form shows are kept, as everywhere
            choose(selector.getSelectionIndex() - 1);
            if (chosenIndex >= 0) { // a constant of the chosen variant (its discriminator) has only one value: given
                field.variants().get(chosenIndex).properties().stream().filter(Field::hasConst)
                        .forEach(p -> carried.put(p.name(), p.constValue().orElse(null)));
            }
            context.writing(() -> write(carried.isEmpty() ? null : carried, false));
            context.relayout();
            context.changed();
        });
        if (!field.properties().isEmpty()) {
            shared = new ObjectEditor(field, pointer, context, true, false, java.util.Set.of());
            shared.create(into);
        }
        chosenArea = new Composite(into, SWT.NONE);
        GridLayoutFactory.fillDefaults().numColumns(2).applyTo(chosenArea);
        GridDataFactory.fillDefaults().grab(true, false).span(2, 1).applyTo(chosenArea);
        decorate(selector);
    }

    /** A variant's title, its description's first line, or its place. */
    private String title(Field variant, int i) {
        if (!variant.title().equals(variant.name()) && !variant.title().isBlank()) {
            return variant.title();
        }
        String d = variant.description().strip();
        if (!d.isEmpty()) {
            int nl = d.indexOf('\n');
            return nl > 0 ? d.substring(0, nl) : d;
        }
        return "Form " + (i + 1);
    }

    private void choose(int index) {
        if (index == chosenIndex) {
            return;
        }
        for (Control c : chosenArea.getChildren()) {
            c.dispose();
        }
        chosen = null;
        chosenIndex = index;
        if (index >= 0) {
            Field variant = field.variants().get(index);
            // a name the shared fields show (a discriminator the parent declares, a field a branch narrows) has one input: theirs
            java.util.Set<String> sharedNames = new java.util.HashSet<>();
            field.properties().forEach(p -> sharedNames.add(p.name()));
            chosen = variant.type() == org.kvmstudio.schema.FieldType.OBJECT || !variant.properties().isEmpty()
                    ? new ObjectEditor(variant, pointer, context, true, false, sharedNames) : Editors.create(variant, pointer, context);
            chosen.create(chosenArea);
        }
        selector.select(index + 1);
    }

    @Override
    public List<FieldEditor> children() {
        List<FieldEditor> all = new ArrayList<>();
        if (shared != null) {
            all.add(shared);
        }
        if (chosen != null) {
            all.add(chosen);
        }
        return all;
    }

    @Override
    public Object read() {
        Object mine = chosen == null ? null : chosen.read();
        Object common = shared == null ? null : shared.read();
        if (mine instanceof Map<?, ?> || mine == null) {
            Map<String, Object> map = new LinkedHashMap<>();
            if (common instanceof Map<?, ?> c) {
                c.forEach((k, v) -> map.put((String) k, v));
            }
            if (mine instanceof Map<?, ?> m) {
                m.forEach((k, v) -> map.put((String) k, v));
            }
            kept.forEach(map::putIfAbsent);
            return map.isEmpty() && !inline ? null : map;
        }
        return mine;
    }

    @Override
    public void write(Object v) {
        write(v, true);
    }

    private void write(Object v, boolean pick) {
        if (pick) {
            choose(v == null ? chosenIndex : VariantFit.best(field.variants(), v));
        }
        if (shared != null) {
            shared.write(v);
        }
        if (chosen != null) {
            chosen.write(v);
        }
        kept = new LinkedHashMap<>();
        if (v instanceof Map<?, ?> map) {
            map.forEach((k, value) -> {
                String name = String.valueOf(k);
                if (!(shared != null && shared.shows(name)) && !(chosen instanceof ObjectEditor o && o.shows(name))) {
                    kept.put(name, value);
                }
            });
        }
    }

    @Override
    public Control control() {
        return selector;
    }
}
