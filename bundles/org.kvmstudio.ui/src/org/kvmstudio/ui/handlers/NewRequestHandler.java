package org.kvmstudio.ui.handlers;

import org.eclipse.e4.core.di.annotations.Execute;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.kvmstudio.ui.parts.RequestPart;

/** Instance › New Request: the request editor, with a fresh virtual machine request of the kvm release. */
public class NewRequestHandler {

    @Execute
    void execute(EPartService parts, IEventBroker events) {
        parts.showPart(RequestPart.ID, EPartService.PartState.ACTIVATE);
        events.post(RequestPart.NEW_TOPIC, new String[] {"kvm", "default"});
    }
}
