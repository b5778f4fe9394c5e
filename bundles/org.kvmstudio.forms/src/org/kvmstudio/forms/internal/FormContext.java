package org.kvmstudio.forms.internal;

import java.util.List;
import java.util.Map;

import org.eclipse.core.databinding.DataBindingContext;
import org.eclipse.core.databinding.observable.value.WritableValue;
import org.kvmstudio.model.ParameterProblem;

/**
 * What every field editor of one form shares: the binding context, the problems the schema found
 * (by the pointer of the editor they are shown at), and the form to tell of a change.
 */
public final class FormContext {

    /** Told when a value changed in a widget, and when the form's layout must be redone. */
    public interface Listener {
        void valueChanged();

        void layoutChanged();
    }

    private final org.kvmstudio.schema.ParameterSchema schema;
    private final DataBindingContext bindings;
    private final WritableValue<Map<String, List<ParameterProblem>>> problemsByEditor;
    private final Listener listener;
    private int writing;

    public FormContext(org.kvmstudio.schema.ParameterSchema schema, DataBindingContext bindings, Listener listener) {
        this.schema = schema;
        this.bindings = bindings;
        this.listener = listener;
        this.problemsByEditor = new WritableValue<>(bindings.getValidationRealm(), Map.of(), Map.class);
    }

    /** The schema the form was generated from. */
    public org.kvmstudio.schema.ParameterSchema schema() {
        return schema;
    }

    /** The realm of the form's widgets, in which every value of the form lives. */
    public org.eclipse.core.databinding.observable.Realm realm() {
        return bindings.getValidationRealm();
    }

    public DataBindingContext bindings() {
        return bindings;
    }

    /** Problems by the pointer of the editor that shows them; set by the form after each validation. */
    public WritableValue<Map<String, List<ParameterProblem>>> problemsByEditor() {
        return problemsByEditor;
    }

    /** A value changed in a widget; ignored while the form itself writes values into widgets. */
    public void changed() {
        if (writing == 0) {
            listener.valueChanged();
        }
    }

    public void relayout() {
        listener.layoutChanged();
    }

    /** Runs {@code write} without reporting the changes it makes as the user's. */
    public void writing(Runnable write) {
        writing++;
        try {
            write.run();
        } finally {
            writing--;
        }
    }
}
