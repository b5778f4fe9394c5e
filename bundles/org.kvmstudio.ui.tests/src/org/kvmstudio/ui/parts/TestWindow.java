package org.kvmstudio.ui.parts;

import org.eclipse.e4.core.contexts.ContextInjectionFactory;
import org.eclipse.e4.core.contexts.EclipseContextFactory;
import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.ui.di.UISynchronize;
import org.eclipse.swt.widgets.Composite;
import org.eclipse.swt.widgets.Display;
import org.kvmstudio.core.Studio;
import org.kvmstudio.ui.DisplaySynchronize;
import org.osgi.framework.FrameworkUtil;

/**
 * What an e4 window gives its parts, made for a test's Shell: the OSGi services (the event broker
 * among them), the display's UISynchronize, the studio; parts are then made by injection as the
 * workbench makes them.
 */
final class TestWindow {

    private final IEclipseContext context;
    private final java.util.List<IEclipseContext> parts = new java.util.ArrayList<>();

    TestWindow(Display display, Studio studio) {
        context = EclipseContextFactory.getServiceContext(FrameworkUtil.getBundle(TestWindow.class).getBundleContext())
                .createChild("test window");
        context.set(Display.class, display);
        context.set(UISynchronize.class, new DisplaySynchronize(display));
        context.set(Studio.class, studio);
        // as E4Application does: the context injected into DI's own suppliers (@UIEventTopic's needs UISynchronize)
        ContextInjectionFactory.setDefault(context);
    }

    IEclipseContext context() {
        return context;
    }

    /** A part of {@code type} made in {@code holder}, as the workbench makes it. */
    <T> T part(Class<T> type, Composite holder) {
        IEclipseContext child = context.createChild(type.getSimpleName());
        child.set(Composite.class, holder);
        parts.add(child);
        return ContextInjectionFactory.make(type, child);
    }

    /** Closes every part made, as the workbench does (their @PreDestroy runs). */
    void closeParts() {
        parts.forEach(IEclipseContext::dispose);
        parts.clear();
    }
}
