package org.kvmstudio.forms.internal;

import org.eclipse.core.databinding.UpdateValueStrategy;
import org.eclipse.core.databinding.conversion.IConverter;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.core.databinding.observable.value.WritableValue;
import org.kvmstudio.schema.Field;

/**
 * An editor whose one widget property (a text, a selection) is bound to the field's value with data
 * binding: the converters say how the widget shows a JSON value and what it gives back.
 */
abstract class BoundEditor extends FieldEditor {

    private WritableValue<Object> value;

    BoundEditor(Field field, String pointer, FormContext context) {
        super(field, pointer, context);
    }

    /** Binds {@code widget} to the field's value, reports its changes to the form, and decorates it. */
    protected <T> void bind(IObservableValue<T> widget, IConverter<T, Object> fromWidget, IConverter<Object, T> toWidget) {
        value = new WritableValue<>(context.realm(), null, Object.class);
        context.bindings().bindValue(widget, value, UpdateValueStrategy.create(fromWidget), UpdateValueStrategy.create(toWidget));
        value.addValueChangeListener(e -> context.changed());
        decorate(widget);
    }

    protected Object value() {
        return value.getValue();
    }

    @Override
    public Object read() {
        return value.getValue();
    }

    @Override
    public void write(Object v) {
        value.setValue(v);
    }
}
