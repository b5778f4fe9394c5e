package org.kvmstudio.ui.handlers;

import org.eclipse.e4.core.di.annotations.CanExecute;
import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.di.annotations.Optional;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.services.IServiceConstants;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.kvmstudio.ui.parts.InstanceActions;

import jakarta.inject.Named;

/** Instance › Console: the selected virtual machine's screen. */
public class ConsoleHandler {

    @CanExecute
    boolean canExecute(@Optional @Named(IServiceConstants.ACTIVE_SELECTION) Object selection) {
        return PartitionSelection.of(selection).size() == 1;
    }

    @Execute
    void execute(@Named(IServiceConstants.ACTIVE_SELECTION) Object selection, EPartService parts, IEventBroker events) {
        InstanceActions.console(PartitionSelection.of(selection), parts, events);
    }
}
