package org.kvmstudio.ui.handlers;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.swt.widgets.Shell;
import org.kvmstudio.core.Studio;
import org.kvmstudio.ui.parts.InstanceActions;

import jakarta.inject.Named;

/** Instance › Destroy: after a confirmation. */
public class DestroyHandler {

    @CanExecute
    boolean canExecute(@Optional Studio studio, @Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object selection) {
        return studio != null && !PartitionSelection.of(selection).isEmpty();
    }

    @Execute
    void execute(Studio studio, @Named(IServiceConstants.ACTIVE_SELECTION) Object selection,
            @Named(IServiceConstants.ACTIVE_SHELL) Shell shell, UISynchronize ui) {
        InstanceActions.destroy(studio, PartitionSelection.of(selection), shell, ui);
    }
}
