package org.kvmstudio.ui.handlers;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.swt.widgets.Shell;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.ui.parts.InstanceActions;

import jakarta.inject.Named;

/** Instance › Start and Stop: the command's {@code state} parameter says which. */
public class RequestStateHandler {

    public static final String STATE_PARAMETER = "org.kvmstudio.ui.commandparameter.state";

    @CanExecute
    boolean canExecute(@Optional Studio studio, @Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object selection) {
        return studio != null && !PartitionSelection.of(selection).isEmpty();
    }

    @Execute
    void execute(Studio studio, @Named(IServiceConstants.ACTIVE_SELECTION) Object selection, @Named(STATE_PARAMETER) String state,
            @Named(IServiceConstants.ACTIVE_SHELL) Shell shell, UISynchronize ui) {
        InstanceActions.setState(studio, PartitionSelection.of(selection), RequestedState.parse(state), shell, ui);
    }
}
