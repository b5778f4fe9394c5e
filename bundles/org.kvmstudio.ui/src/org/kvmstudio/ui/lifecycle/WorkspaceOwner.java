package org.kvmstudio.ui.lifecycle;

import java.io.IOException;
import java.nio.file.Path;

import org.eclipse.e4.core.contexts.IEclipseContext;
import org.eclipse.e4.core.services.events.IEventBroker;
import org.eclipse.e4.ui.workbench.UIEvents;
import org.eclipse.e4.ui.workbench.lifecycle.PostContextCreate;
import org.eclipse.jface.dialogs.MessageDialog;
import org.kvmstudio.cli.CommandServer;
import org.kvmstudio.cli.forward.OwnerChannel;
import org.kvmstudio.core.Studio;
import org.kvmstudio.core.StudioService;
import org.kvmstudio.workspace.Workspace;
import org.kvmstudio.workspace.WorkspaceLockedException;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The desktop application as the owner of its workspace, as {@code kvmstudio agent} is on a server:
 * it opens (and locks) the workspace, runs the controller that keeps its partitions converged, and
 * serves the commands of {@code kvmstudio} typed meanwhile. The studio is put in the application's
 * context for the views. A workspace another KVM Studio holds is said so, and the window opens
 * without one. (The e4 life-cycle handler, named by the product's {@code lifeCycleURI}.)
 */
public final class WorkspaceOwner {

    private Studio studio;
    private OwnerChannel channel;
    private StudioService service;

    @PostContextCreate
    void open(IEclipseContext context, IEventBroker events) {
        BundleContext bundles = FrameworkUtil.getBundle(WorkspaceOwner.class).getBundleContext();
        ServiceTracker<StudioService, StudioService> tracker = new ServiceTracker<>(bundles, StudioService.class, null);
        tracker.open();
        Path workspace = Workspace.defaultLocation();
        // libvirt's event loop is GLib's default main context, which SWT iterates on this thread already
        System.setProperty("kvmstudio.libvirt.dispatchedByGtk", "true");
        try {
            service = tracker.waitForService(30_000);
            if (service == null) {
                throw new IOException("the studio service did not start");
            }
            studio = service.open(workspace);
            studio.startController();
            channel = CommandServer.serve(studio, false);
            context.set(Studio.class, studio);
        } catch (WorkspaceLockedException e) {
            MessageDialog.openError(null, "Workspace in use", e.getMessage()
                    + "\n\nKVM Studio opens without it. Close the other KVM Studio (or kvmstudio agent), or start this one "
                    + "with KVMSTUDIO_WORKSPACE set to another folder.");
        } catch (IOException e) {
            MessageDialog.openError(null, "Cannot open the workspace", workspace + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            tracker.close();
        }
        events.subscribe(UIEvents.UILifeCycle.APP_SHUTDOWN_STARTED, event -> close());
    }

    /** Lets go of the workspace when the application ends: guests and exports keep running, the next owner adopts them. */
    private void close() {
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
