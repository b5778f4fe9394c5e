package org.kvmstudio.forms.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

import org.eclipse.core.databinding.conversion.IConverter;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.jface.databinding.swt.typed.WidgetProperties;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Combo;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.kvmstudio.schema.Field;

/**
 * An {@code enum} or {@code const}: a drop-down of the choices' titles, the first entry empty
 * ("not given"; it names the default when there is one). A value the schema does not list (from a
 * template, from the JSON tab) gets an entry of its own, so it is shown and reported, not lost.
 */
final class ChoiceEditor extends BoundEditor {

    private Combo combo;
    private final List<Field.Choice> choices = new ArrayList<>();

    ChoiceEditor(Field field, String pointer, FormContext context) {
        super(field, pointer, context);
        choices.addAll(field.choices());
        if (choices.isEmpty()) {
            field.constValue().ifPresent(c -> choices.add(new Field.Choice(c, Values.text(c))));
        }
    }

    @Override
    public void create(Composite parent) {
        label(parent);
        combo = new Combo(parent, SWT.READ_ONLY | SWT.DROP_DOWN);
        combo.add(field.defaultValue().map(d -> "(default: " + title(d) + ")").orElse(""));
        choices.forEach(c -> combo.add(c.title()));
        combo.setVisibleItemCount(Math.min(20, choices.size() + 1));
        combo.setToolTipText(tooltip());
        combo.setEnabled(!field.readOnly());
        GridDataFactory.swtDefaults().applyTo(combo);
        IObservableValue<Integer> selected = WidgetProperties.singleSelectionIndex().observe(combo);
        IConverter<Integer, Object> fromIndex = IConverter.create(Integer.class, Object.class,
                i -> i == null || i <= 0 || i > choices.size() ? null : choices.get(i - 1).value());
        IConverter<Object, Integer> toIndex = IConverter.create(Object.class, Integer.class, this::indexOf);
        bind(selected, fromIndex, toIndex);
    }

    private String title(Object v) {
        return choices.stream().filter(c -> Objects.equals(c.value(), v)).map(Field.Choice::title).findFirst()
                .orElse(Values.text(v));
    }

    private int indexOf(Object v) {
        if (v == null) {
            return 0;
        }
        for (int i = 0; i < choices.size(); i++) {
            if (JsonEquality.same(choices.get(i).value(), v)) {
                return i + 1;
            }
        }
        choices.add(new Field.Choice(v, Values.text(v) + " (not a choice)"));
        combo.add(choices.get(choices.size() - 1).title());
        return choices.size();
    }

    @Override
    public Control control() {
        return combo;
    }
}
