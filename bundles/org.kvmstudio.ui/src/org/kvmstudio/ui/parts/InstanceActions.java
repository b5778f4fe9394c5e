package org.kvmstudio.ui.parts;

import java.util.List;

import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.e4.ui.workbench.modeling.EPartService;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.Shell;
import org.kvmstudio.core.Studio;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;
import org.kvmstudio.ui.jobs.StudioJob;

/**
 * What can be done to selected partitions, from the Instances view's buttons and from the
 * window's menu, toolbar and keys alike: requests of another state as Jobs, destroy after a
 * confirmation, the console.
 */
public final class InstanceActions {

    private InstanceActions() {
    }

    /** Requests {@code state} for each partition (its parameters unchanged). */
    public static void setState(Studio studio, List<Partition> chosen, RequestedState state, Shell shell, UISynchronize ui) {
        if (chosen.isEmpty() || studio == null) {
            return;
        }
        StudioJob.schedule((state == RequestedState.STARTED ? "Starting " : "Stopping ") + names(chosen), shell, ui, monitor -> {
            monitor.beginTask("Requesting", chosen.size());
            for (Partition p : chosen) {
                if (monitor.isCanceled()) {
                    return;
                }
                studio.engine().request(p.request().withState(state));
                monitor.worked(1);
            }
        });
    }

    /** Destroys each partition once the user confirms. */
    public static void destroy(Studio studio, List<Partition> chosen, Shell shell, UISynchronize ui) {
        if (chosen.isEmpty() || studio == null || !MessageDialog.openConfirm(shell, "Destroy",
                "Destroy " + names(chosen) + "? Their virtual machines are undefined and their disks and files deleted.")) {
            return;
        }
        StudioJob.schedule("Destroying " + names(chosen), shell, ui, monitor -> {
            for (Partition p : chosen) {
                studio.engine().destroy(p.id());
            }
        });
    }

    /** Shows the first partition's screen in the Console view (made first, so that it hears of it). */
    public static void console(List<Partition> chosen, EPartService parts, IEventBroker events) {
        chosen.stream().findFirst().ifPresent(p -> {
            if (parts != null) {
                parts.showPart(ConsolePart.ID, EPartService.PartState.VISIBLE);
            }
            events.post(ConsolePart.SHOW_TOPIC, p);
        });
    }

    static String names(List<Partition> partitions) {
        return partitions.size() == 1 ? "'" + partitions.get(0).reference() + "'" : partitions.size() + " instances";
    }
}
