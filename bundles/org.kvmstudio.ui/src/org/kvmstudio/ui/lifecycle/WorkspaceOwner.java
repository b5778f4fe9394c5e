package org.kvmstudio.ui.lifecycle;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.lifecycle.PostContextCreate;
import org.eclipse.jface.dialogs.MessageDialog;
import org.eclipse.swt.widgets.DirectoryDialog;
import org.eclipse.swt.widgets.Display;
import org.eclipse.swt.widgets.Shell;
import org.kvmstudio.cli.CommandServer;
import org.kvmstudio.cli.forward.OwnerChannel;
import org.kvmstudio.core.Studio;
import org.kvmstudio.core.StudioService;
import org.kvmstudio.ui.preferences.UiPreferences;
import org.kvmstudio.workspace.WorkspaceLockedException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The desktop application as the owner of its workspace, as {@code kvmstudio agent} is on a server:
 * it opens (and locks) the workspace, runs the controller that keeps its partitions converged, and
 * serves the commands of {@code kvmstudio} typed meanwhile. The studio is put in the application's
 * context for the views. A workspace another KVM Studio holds is said so, with the choice of
 * another folder or of no workspace. (The e4 life-cycle handler, named by the product's {@code lifeCycleURI}.)
 */
public final class WorkspaceOwner {

    /** Context key of a sentence on the workspace while there is no studio: being opened, or why there is none. */
    public static final String WORKSPACE_STATUS = "org.kvmstudio.ui.workspaceStatus";

    private volatile Studio studio;
    private volatile OwnerChannel channel;
    private StudioService service;
    private Thread opening;

    @PostContextCreate
    void open(IEclipseContext context, IEventBroker events) {
        BundleContext bundles = FrameworkUtil.getBundle(WorkspaceOwner.class).getBundleContext();
        ServiceTracker<StudioService, StudioService> tracker = new ServiceTracker<>(bundles, StudioService.class, null);
        tracker.open();
        // libvirt's event loop is GLib's default main context, which SWT iterates on the UI thread already
        System.setProperty("kvmstudio.libvirt.dispatchedByGtk", "true");
        try {
            service = tracker.waitForService(30_000);
            if (service == null) {
                MessageDialog.openError(null, "Cannot open the workspace", "The studio service did not start.");
            } else {
                Display display = Display.getCurrent();
                Path workspace = UiPreferences.workspace();
                context.set(WORKSPACE_STATUS, "opening the workspace…");
                // once the window is up: on two cores, opening libvirt meanwhile would slow the window down
                events.subscribe(UIEvents.UILifeCycle.APP_STARTUP_COMPLETE, event -> {
                    if (opening == null) {
                        openInBackground(workspace, context, display);
                    }
                });
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tracker.close();
        }
        events.subscribe(UIEvents.UILifeCycle.APP_SHUTDOWN_STARTED, event -> close());
    }

    /**
     * Opens the workspace off the UI thread, so that the window shows at once; the views get the
     * studio when it is open (e4 injects it into them then). A workspace in use asks for another.
     */
    private void openInBackground(Path workspace, IEclipseContext context, Display display) {
        context.set(WORKSPACE_STATUS, "opening the workspace…");
        opening = new Thread(() -> {
            try {
                Studio opened = service.open(workspace);
                opened.startController();
                studio = opened;
                channel = CommandServer.serve(opened, false);
                display.asyncExec(() -> context.set(Studio.class, opened));
            } catch (WorkspaceLockedException e) {
                display.asyncExec(() -> {
                    context.set(WORKSPACE_STATUS, "no workspace (in use)");
                    Path other = another(workspace, e.getMessage());
                    if (other != null) {
                        openInBackground(other, context, display);
                    }
                });
            } catch (IOException | RuntimeException e) {
                display.asyncExec(() -> {
                    context.set(WORKSPACE_STATUS, "no workspace (see the error)");
                    MessageDialog.openError(null, "Cannot open the workspace", workspace + ": " + e.getMessage());
                });
            }
        }, "kvmstudio-open-workspace");
        opening.start();
    }

    /**
     * Another KVM Studio (or {@code kvmstudio agent}) owns {@code workspace}: the user picks another
     * folder, or opens the window without a workspace ({@code null}).
     */
    private static Path another(Path workspace, String why) {
        MessageDialog ask = new MessageDialog(null, "Workspace in use", null, why + "\n\nOnly one KVM Studio at a time owns a workspace. "
                + "Choose another folder, or open KVM Studio without a workspace (close the other one first to use this one).",
                MessageDialog.WARNING, 0, "Choose Another Workspace…", "Open Without a Workspace");
        if (ask.open() != 0) {
            return null;
        }
        Shell owner = new Shell(); // no window exists yet
        try {
            DirectoryDialog choose = new DirectoryDialog(owner);
            choose.setText("Another workspace");
            choose.setMessage("A folder for KVM Studio's partitions, hosts and templates (an empty one starts a new workspace)");
            choose.setFilterPath(workspace.getParent() == null ? null : workspace.getParent().toString());
            String chosen = choose.open();
            return chosen == null ? null : Path.of(chosen);
        } finally {
            owner.dispose();
        }
    }

    /** Lets go of the workspace when the application ends: guests and exports keep running, the next owner adopts them. */
    private void close() {
        Thread stillOpening = opening;
        if (stillOpening != null) {
            try {
                stillOpening.join(60_000); // a workspace half open is closed once open, not left locked
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (studio != null) {
            try {
                service.close(studio);
            } catch (IOException e) {
                System.getLogger(WorkspaceOwner.class.getName()).log(System.Logger.Level.WARNING,
                        "closing the workspace: " + e.getMessage(), e);
            }
            studio = null;
        }
    }
}
