package org.kvmstudio.forms.internal;

import org.eclipse.core.databinding.conversion.IConverter;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.jface.databinding.swt.typed.WidgetProperties;
import org.eclipse.jface.layout.GridDataFactory;
import org.eclipse.swt.SWT;
import org.eclipse.swt.widgets.Button;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Control;
import org.kvmstudio.schema.Field;

/**
 * A boolean: a check box showing the value, or the default while none is given. Ticking it back to
 * the default gives none again, so a default is never sent.
 */
final class CheckEditor extends BoundEditor {

    private Button check;

    CheckEditor(Field field, String pointer, FormContext context) {
        super(field, pointer, context);
    }

    private boolean byDefault() {
        return field.defaultValue().map(Boolean.TRUE::equals).orElse(false);
    }

    @Override
    public void create(Composite parent) {
        label(parent);
        check = new Button(parent, SWT.CHECK);
        check.setToolTipText(tooltip());
        check.setEnabled(!field.readOnly());
        GridDataFactory.swtDefaults().applyTo(check);
        IObservableValue<Boolean> ticked = WidgetProperties.buttonSelection().observe(check);
        // back to the default is "not given"; with no default, unticked is an explicit false (a required flag can be false)
        IConverter<Boolean, Object> fromTick = IConverter.create(Boolean.class, Object.class,
                b -> b != null && field.hasDefault() && b == byDefault() ? null : b);
        // a value that is not a boolean (from JSON) shows unticked; the schema reports it
        IConverter<Object, Boolean> toTick = IConverter.create(Object.class, Boolean.class,
                v -> v == null ? byDefault() : Boolean.TRUE.equals(v));
        bind(ticked, fromTick, toTick);
    }

    @Override
    public Control control() {
        return check;
    }
}
