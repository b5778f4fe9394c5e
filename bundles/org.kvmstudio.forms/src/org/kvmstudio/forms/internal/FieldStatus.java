package org.kvmstudio.forms.internal;

import java.util.List;

import org.eclipse.core.databinding.ValidationStatusProvider;
import org.eclipse.core.databinding.observable.IObservable;
import org.eclipse.core.databinding.observable.Observables;
import org.eclipse.core.databinding.observable.list.IObservableList;
import org.eclipse.core.databinding.observable.value.ComputedValue;
import org.eclipse.core.databinding.observable.value.IObservableValue;
import org.eclipse.core.databinding.validation.ValidationStatus;
import org.eclipse.core.runtime.IStatus;
import org.kvmstudio.model.ParameterProblem;

/**
 * The schema's verdict on one field, as data binding's validation status of the field's widget, so
 * that {@code ControlDecorationSupport} decorates it and the form's aggregate status counts it.
 */
final class FieldStatus extends ValidationStatusProvider {

    private final IObservableValue<IStatus> status;
    private final IObservableList<IObservable> targets;
    private final IObservableList<IObservable> models;

    FieldStatus(FormContext context, String pointer, String title, IObservable target) {
        status = new ComputedValue<>(target.getRealm(), IStatus.class) {
            @Override
            protected IStatus calculate() {
                List<ParameterProblem> problems = context.problemsByEditor().getValue().get(pointer);
                return problems == null || problems.isEmpty() ? ValidationStatus.ok()
                        : ValidationStatus.error(ProblemText.at(title, pointer, problems));
            }
        };
        targets = Observables.staticObservableList(target.getRealm(), List.of(target));
        models = Observables.staticObservableList(target.getRealm(), List.of());
    }

    @Override
    public IObservableValue<IStatus> getValidationStatus() {
        return status;
    }

    @Override
    public IObservableList<IObservable> getTargets() {
        return targets;
    }

    @Override
    public IObservableList<IObservable> getModels() {
        return models;
    }
}
