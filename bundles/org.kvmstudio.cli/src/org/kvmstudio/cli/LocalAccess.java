package org.kvmstudio.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;

import org.kvmstudio.cli.forward.OwnerChannel;
import org.kvmstudio.core.Studio;
import org.kvmstudio.core.StudioService;

/**
 * A command run where no owner was found: it opens the workspace and owns it for its own duration,
 * serving the commands others forward meanwhile. QEMU and qemu-nbd keep running when it exits; the
 * next owner adopts them. {@code kvmstudio agent} makes it the long-lived owner.
 */
final class LocalAccess implements StudioAccess, AutoCloseable {

    private final StudioService service;
    private Studio studio;
    private OwnerChannel channel;
    private boolean agent;

    LocalAccess(StudioService service) {
        this.service = service;
    }

    @Override
    public synchronized Studio studio(Path workspace) throws IOException {
        if (studio == null) {
            studio = service.open(workspace);
            channel = CommandServer.serve(studio, true);
        }
        return studio;
    }

    @Override
    public synchronized boolean temporaryOwner() {
        return !agent;
    }

    @Override
    public void becomeAgent(Path workspace, java.io.PrintStream err) throws IOException, InterruptedException {
        Studio owned;
        synchronized (this) {
            owned = studio(workspace);
            agent = true;
            channel.close();
            channel = CommandServer.serve(owned, false);
        }
        CountDownLatch stopped = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            close();
            stopped.countDown();
        }, "kvmstudio agent shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        owned.startController();
        err.println("kvmstudio agent: owning " + owned.workspaceDirectory() + "; stop with Ctrl-C or SIGTERM");
        stopped.await();
    }

    @Override
    public synchronized void close() {
        if (channel != null) {
            channel.close();
            channel = null;
        }
        if (studio != null) {
            try {
                service.close(studio);
            } catch (IOException e) {
                System.err.println("kvmstudio: closing the workspace: " + e.getMessage());
            }
            studio = null;
        }
    }
}
