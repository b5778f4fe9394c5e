package org.kvmstudio.ui.jobs;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.IStatus;
import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.jface.dialogs.ErrorDialog;
import org.eclipse.swt.widgets.Shell;

/**
 * Work on the workspace (a request, a destroy, a template import) as an Eclipse Job: off the UI
 * thread, cancellable, and a failure shown in a dialog with its details, not only logged.
 */
public final class StudioJob {

    private static final String PLUGIN = "org.kvmstudio.ui";

    /** What a job does; it may throw, and should check {@code monitor} between steps. */
    public interface Work {
        void run(IProgressMonitor monitor) throws Exception;
    }

    private StudioJob() {
    }

    public static Job schedule(String name, Shell shell, UISynchronize ui, Work work) {
        Job job = Job.create(name, monitor -> {
            try {
                work.run(monitor);
                return monitor.isCanceled() ? Status.CANCEL_STATUS : Status.OK_STATUS;
            } catch (Exception e) {
                IStatus status = new Status(IStatus.ERROR, PLUGIN, e.getMessage() == null ? e.toString() : e.getMessage(), e);
                ui.asyncExec(() -> {
                    if (shell != null && !shell.isDisposed()) {
                        ErrorDialog.openError(shell, name, name + " failed.", status);
                    }
                });
                return Status.warning(name + " failed: " + status.getMessage()); // shown: not logged again as an error
            }
        });
        job.setUser(true);
        job.schedule();
        return job;
    }
}
