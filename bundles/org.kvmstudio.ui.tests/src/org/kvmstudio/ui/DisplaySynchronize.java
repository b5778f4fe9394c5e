package org.kvmstudio.ui;

import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.widgets.Display;

/** The UISynchronize an e4 application puts in its context, for a test's display. */
public final class DisplaySynchronize extends UISynchronize {

    private final Display display;

    public DisplaySynchronize(Display display) {
        this.display = display;
    }

    @Override
    public void syncExec(Runnable r) {
        display.syncExec(r);
    }

    @Override
    public void asyncExec(Runnable r) {
        display.asyncExec(r);
    }

    @Override
    protected boolean isUIThread(Thread thread) {
        return display.getThread() == thread;
    }

    @Override
    protected void showBusyWhile(Runnable r) {
        r.run();
    }

    @Override
    protected boolean dispatchEvents() {
        return display.readAndDispatch();
    }
}
