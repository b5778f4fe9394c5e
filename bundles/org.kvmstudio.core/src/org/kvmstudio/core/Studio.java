package org.kvmstudio.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.kvmstudio.core.provisioning.Backend;
import org.kvmstudio.core.provisioning.BackendSession;
import org.kvmstudio.core.provisioning.BackendSite;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.model.Host;
import org.kvmstudio.workspace.LoadProblem;
import org.kvmstudio.workspace.Workspace;

/**
 * KVM Studio at work on one workspace: the releases and backends installed, the request engine, the
 * templates and the hosts. The GUI, the agent and the command line get one from {@link StudioService},
 * which adds releases and backends as their bundles come; outside OSGi, {@link #open} one.
 */
public final class Studio implements AutoCloseable {

    private final ReleaseCatalog releases = new ReleaseCatalog();
    private final ProvisionerRegistry provisioners = new ProvisionerRegistry();
    private final Map<Backend, BackendSession> sessions = new LinkedHashMap<>();
    private final Workspace workspace;
    private final RequestEngine engine;
    private final TemplateService templates;
    private final HostService hosts;
    private Controller controller;
    private volatile boolean closed;

    private Studio(Workspace workspace, Clock clock) {
        this.workspace = workspace;
        this.engine = new RequestEngine(workspace, releases, provisioners, clock);
        this.templates = new TemplateService(workspace, releases, engine);
        this.hosts = new HostService(workspace, engine, this::sessions);
    }

    /**
     * Opens (and locks) the workspace in {@code directory}.
     *
     * @throws org.kvmstudio.workspace.WorkspaceLockedException when another KVM Studio has it open
     */
    public static Studio open(Path directory, Clock clock) throws IOException {
        return new Studio(Workspace.open(directory), clock);
    }

    public RequestEngine engine() {
        return engine;
    }

    public TemplateService templates() {
        return templates;
    }

    public HostService hosts() {
        return hosts;
    }

    public ReleaseCatalog releases() {
        return releases;
    }

    public ProvisionerRegistry provisioners() {
        return provisioners;
    }

    public Path workspaceDirectory() {
        return workspace.directory();
    }

    /** Files of the workspace that could not be read when it was opened, kept aside in {@code corrupt/}. */
    public List<LoadProblem> loadProblems() {
        return workspace.loadProblems();
    }

    /** Starts {@code backend}'s work for this workspace and installs its provisioners. */
    public synchronized void addBackend(Backend backend) throws IOException {
        if (closed || sessions.containsKey(backend)) {
            return;
        }
        BackendSession session = backend.open(new Site());
        sessions.put(backend, session);
        session.provisioners().forEach(provisioners::add);
        if (controller != null) {
            controller.wakeUp();
        }
    }

    public synchronized void removeBackend(Backend backend) {
        BackendSession session = sessions.remove(backend);
        if (session != null) {
            session.provisioners().forEach(provisioners::remove);
            session.close();
        }
    }

    synchronized List<BackendSession> sessions() {
        return List.copyOf(sessions.values());
    }

    /**
     * Makes this studio the owner that keeps partitions converged: deploys what is pending now, on
     * every change, every 30 s and when a backend reports. Stopped by {@link #close()}.
     */
    public synchronized Controller startController() {
        if (controller == null) {
            controller = new Controller(engine, this::sessions);
            controller.start();
        }
        return controller;
    }

    @Override
    public void close() throws IOException {
        Controller running;
        List<BackendSession> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            running = controller;
            open = new ArrayList<>(sessions.values());
            sessions.clear();
        }
        if (running != null) {
            running.stop();
        }
        for (BackendSession session : open) {
            session.provisioners().forEach(provisioners::remove);
            session.close();
        }
        workspace.close();
    }

    /** What a backend sees of this studio's workspace. */
    private final class Site implements BackendSite {
        @Override
        public Path workspaceDirectory() {
            return workspace.directory();
        }

        @Override
        public String workspaceId() {
            return workspace.id();
        }

        @Override
        public List<Host> hosts() {
            return workspace.hosts();
        }

        @Override
        public void saveHost(Host host) throws IOException {
            workspace.save(host);
        }

        @Override
        public RequestEngine engine() {
            return engine;
        }

        @Override
        public boolean converging() {
            synchronized (Studio.this) {
                return controller != null;
            }
        }

        @Override
        public void wakeUp() {
            Controller c;
            synchronized (Studio.this) {
                c = controller;
            }
            if (c != null) {
                c.wakeUp();
            }
        }
    }
}
