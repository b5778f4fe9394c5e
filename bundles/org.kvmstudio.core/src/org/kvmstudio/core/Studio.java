package org.kvmstudio.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;

import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.schema.ReleaseProvider;
import org.kvmstudio.schema.SchemaLoadException;
import org.kvmstudio.workspace.LoadProblem;
import org.kvmstudio.workspace.Workspace;

/**
 * KVM Studio at work on one workspace: the releases and provisioners installed, the request engine
 * and the templates. Inside the application it is an OSGi Declarative Services component: the GUI
 * and the command line share the one that opens the default workspace when first asked for, and
 * releases and provisioners join as their bundles offer them. Outside OSGi, {@link #open} one.
 */
public final class Studio implements AutoCloseable {

    private final ReleaseCatalog releases = new ReleaseCatalog();
    private final ProvisionerRegistry provisioners = new ProvisionerRegistry();
    private Workspace workspace;
    private RequestEngine engine;
    private TemplateService templates;

    /** For Declarative Services, which then calls {@link #activate()}. */
    public Studio() {
    }

    /**
     * Opens (and locks) the workspace in {@code directory}.
     *
     * @throws org.kvmstudio.workspace.WorkspaceLockedException when another KVM Studio has it open
     */
    public static Studio open(Path directory, Clock clock) throws IOException {
        Studio studio = new Studio();
        studio.openWorkspace(directory, clock);
        return studio;
    }

    private synchronized void openWorkspace(Path directory, Clock clock) throws IOException {
        workspace = Workspace.open(directory);
        engine = new RequestEngine(workspace, releases, provisioners, clock);
        templates = new TemplateService(workspace, releases, engine);
    }

    public synchronized RequestEngine engine() {
        return engine;
    }

    public synchronized TemplateService templates() {
        return templates;
    }

    public ReleaseCatalog releases() {
        return releases;
    }

    public ProvisionerRegistry provisioners() {
        return provisioners;
    }

    public synchronized Path workspaceDirectory() {
        return workspace.directory();
    }

    /** Files of the workspace that could not be read when it was opened, kept aside in {@code corrupt/}. */
    public synchronized List<LoadProblem> loadProblems() {
        return workspace.loadProblems();
    }

    @Override
    public synchronized void close() throws IOException {
        if (workspace != null) {
            workspace.close();
        }
    }

    // Declarative Services (OSGI-INF/org.kvmstudio.core.Studio.xml)

    void activate() throws IOException {
        openWorkspace(Workspace.defaultLocation(), Clock.systemUTC());
    }

    void deactivate() throws IOException {
        close();
    }

    void addRelease(ReleaseProvider provider) {
        try {
            releases.add(provider);
        } catch (SchemaLoadException e) {
            // one broken release must not take the others down: its requests say it is unknown
            System.getLogger(Studio.class.getName()).log(System.Logger.Level.ERROR,
                    "release " + provider.releaseUri() + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    void removeRelease(ReleaseProvider provider) {
        releases.remove(provider.releaseUri());
    }

    void addProvisioner(Provisioner provisioner) {
        provisioners.add(provisioner);
    }

    void removeProvisioner(Provisioner provisioner) {
        provisioners.remove(provisioner);
    }
}
