package org.kvmstudio.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kvmstudio.core.provisioning.Backend;
import org.kvmstudio.schema.ReleaseProvider;
import org.kvmstudio.schema.SchemaLoadException;

/**
 * Opens studios with every release and backend installed, and keeps them up to date as bundles
 * come and go. An OSGi Declarative Services component ({@code OSGI-INF/org.kvmstudio.core.StudioService.xml});
 * the GUI, {@code kvmstudio agent} and the command line each open the workspace they are given.
 */
public final class StudioService {

    private final List<ReleaseProvider> releases = new CopyOnWriteArrayList<>();
    private final List<Backend> backends = new CopyOnWriteArrayList<>();
    private final List<Studio> open = new CopyOnWriteArrayList<>();

    /**
     * Opens (and locks) the workspace in {@code directory} with what is installed.
     *
     * @throws org.kvmstudio.workspace.WorkspaceLockedException when another KVM Studio has it open
     */
    public Studio open(Path directory) throws IOException {
        Studio studio = Studio.open(directory, Clock.systemUTC());
        open.add(studio); // first: a backend bound meanwhile is added to it too (addBackend is idempotent)
        try {
            releases.forEach(provider -> addRelease(studio, provider));
            for (Backend backend : backends) {
                studio.addBackend(backend);
            }
        } catch (IOException | RuntimeException e) {
            open.remove(studio);
            try {
                studio.close();
            } catch (IOException close) {
                e.addSuppressed(close);
            }
            throw e;
        }
        return studio;
    }

    /** Lets go of {@code studio}'s workspace. */
    public void close(Studio studio) throws IOException {
        open.remove(studio);
        studio.close();
    }

    /** The releases installed, for views that list them without a workspace. */
    public List<ReleaseProvider> releaseProviders() {
        return List.copyOf(releases);
    }

    // Declarative Services

    void addRelease(ReleaseProvider provider) {
        releases.add(provider);
        open.forEach(studio -> addRelease(studio, provider));
    }

    void removeRelease(ReleaseProvider provider) {
        releases.remove(provider);
        open.forEach(studio -> studio.releases().remove(provider.releaseUri()));
    }

    void addBackend(Backend backend) {
        backends.add(backend);
        for (Studio studio : open) {
            try {
                studio.addBackend(backend);
            } catch (IOException e) {
                log("backend " + backend + " cannot work for " + studio.workspaceDirectory() + ": " + e.getMessage(), e);
            }
        }
    }

    void removeBackend(Backend backend) {
        backends.remove(backend);
        open.forEach(studio -> studio.removeBackend(backend));
    }

    void deactivate() throws IOException {
        for (Studio studio : new ArrayList<>(open)) {
            close(studio);
        }
    }

    private static void addRelease(Studio studio, ReleaseProvider provider) {
        try {
            studio.releases().add(provider);
        } catch (SchemaLoadException e) {
            // one broken release must not take the others down: its requests say it is unknown
            log("release " + provider.releaseUri() + " cannot be loaded: " + e.getMessage(), e);
        }
    }

    private static void log(String message, Throwable e) {
        System.getLogger(StudioService.class.getName()).log(System.Logger.Level.ERROR, message, e);
    }
}
