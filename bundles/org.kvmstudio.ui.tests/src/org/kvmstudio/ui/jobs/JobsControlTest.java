package org.kvmstudio.ui.jobs;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.eclipse.core.runtime.Status;
import org.eclipse.core.runtime.jobs.Job;
import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.layout.FillLayout;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.junit.jupiter.api.Test;
import org.kvmstudio.testing.swt.Gui;
import org.kvmstudio.ui.DisplaySynchronize;

/** The status line shows a user job's counted progress as its monitor reports it, and Cancel cancels it. */
class JobsControlTest {

    @Test
    void aJobsProgressShowsAndCancelStopsIt() throws Exception {
        Display display = Gui.display();
        IEclipseContext context = EclipseContextFactory.create("jobs");
        context.set(UISynchronize.class, new DisplaySynchronize(display));
        Shell shell = Gui.shell("jobs", 700, 80);
        shell.setLayout(new FillLayout());
        context.set(Composite.class, shell);
        JobsControl control = ContextInjectionFactory.make(JobsControl.class, context);
        shell.open();
        CountDownLatch halfway = new CountDownLatch(1);
        AtomicBoolean cancelled = new AtomicBoolean();
        Job job = Job.create("Requesting 'x'", monitor -> {
            monitor.beginTask("Requesting", 4);
            monitor.worked(2);
            halfway.countDown();
            for (int i = 0; i < 500 && !monitor.isCanceled(); i++) {
                java.util.concurrent.locks.LockSupport.parkNanos(10_000_000L); // the job waits to be cancelled
            }
            cancelled.set(monitor.isCanceled());
            return Status.OK_STATUS;
        });
        job.setUser(true);
        try {
            job.schedule();
            assertTrue(halfway.await(10, TimeUnit.SECONDS));
            Gui.waitUntil("the counted progress shows half the work", () -> control.countedBar().isVisible()
                    && control.countedBar().getMaximum() == 4 && control.countedBar().getSelection() == 2);
            Gui.click(control.cancelButton());
            Gui.waitUntil("the job ends", 10_000, () -> job.getResult() != null);
            assertTrue(cancelled.get(), "Cancel reached the job's monitor");
            Gui.waitUntil("the status line is empty again", () -> !control.cancelButton().isVisible());
        } finally {
            context.dispose();
            shell.dispose();
        }
    }
}
