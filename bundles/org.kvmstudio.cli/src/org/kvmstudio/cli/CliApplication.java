package org.kvmstudio.cli;

import java.util.List;

import org.eclipse.equinox.app.IApplication;
import org.eclipse.equinox.app.IApplicationContext;
import org.kvmstudio.cli.forward.ForwardingClient;
import org.kvmstudio.cli.forward.OwnerSocket;
import org.kvmstudio.core.StudioService;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.util.tracker.ServiceTracker;

/**
 * The {@code kvmstudio} command line as an Eclipse application of the product
 * ({@code -application org.kvmstudio.cli.application}). The start script only gets here when no
 * owner answered on the workspace's socket; one may have started since, so it is asked once more.
 */
public final class CliApplication implements IApplication {

    @Override
    public Object start(IApplicationContext context) throws Exception {
        String[] args = (String[]) context.getArguments().getOrDefault(IApplicationContext.APPLICATION_ARGS, new String[0]);
        context.applicationRunning();
        String cwd = System.getProperty("user.dir");
        List<String> arguments = List.of(args);
        BundleContext bundles = FrameworkUtil.getBundle(CliApplication.class).getBundleContext();
        ServiceTracker<StudioService, StudioService> tracker = new ServiceTracker<>(bundles, StudioService.class, null);
        tracker.open();
        try {
            StudioService service = tracker.waitForService(30_000);
            if (service == null) {
                System.err.println("kvmstudio: the studio service did not start (is org.apache.felix.scr running?)");
                return Cli.FAILED;
            }
            return run(service, arguments, cwd);
        } finally {
            tracker.close();
        }
    }

    /**
     * Forwards the command to the owner, or runs it here as the owner. While the owner is a short
     * command (or one holds the lock without listening yet), the command waits for it, up to a minute:
     * two commands started together both succeed, one after the other.
     */
    private static int run(StudioService service, List<String> arguments, String cwd) throws InterruptedException {
        long deadline = System.nanoTime() + BUSY_WAIT.toNanos();
        boolean said = false;
        while (true) {
            int forwarded = ForwardingClient.forward(OwnerSocket.of(OwnerSocket.workspace(arguments, cwd)), cwd, arguments);
            if (forwarded != ForwardingClient.NO_OWNER && forwarded != Cli.BUSY) {
                return forwarded;
            }
            if (forwarded == ForwardingClient.NO_OWNER) {
                try (LocalAccess access = new LocalAccess(service)) {
                    int code = Cli.run(arguments, cwd, System.out, System.err, access, true);
                    if (code != Cli.BUSY) {
                        return code;
                    }
                }
            }
            if (System.nanoTime() > deadline) {
                System.err.println("kvmstudio: the workspace stayed in use by another kvmstudio command for "
                        + BUSY_WAIT.toSeconds() + " s");
                return Cli.FAILED;
            }
            if (!said) {
                System.err.println("kvmstudio: waiting for another kvmstudio command to let go of the workspace");
                said = true;
            }
            Thread.sleep(250);
        }
    }

    private static final java.time.Duration BUSY_WAIT = java.time.Duration.ofSeconds(60);

    @Override
    public void stop() {
        // a command ends by itself; the agent ends on SIGTERM through its shutdown hook
    }

}
