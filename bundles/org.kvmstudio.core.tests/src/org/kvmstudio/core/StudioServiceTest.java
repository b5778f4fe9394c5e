package org.kvmstudio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ReleaseProvider;
import org.kvmstudio.schema.SchemaLoadException;
import org.kvmstudio.workspace.Workspace;
import org.kvmstudio.workspace.WorkspaceLockedException;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;

/** The studio as the application gets it: a Declarative Services component on the default workspace. */
class StudioServiceTest {

    @TempDir
    Path dir;
    private ServiceRegistration<ReleaseProvider> broken;

    @AfterEach
    void tearDown() {
        System.clearProperty(Workspace.LOCATION_PROPERTY);
        if (broken != null) {
            broken.unregister();
        }
    }

    @Test
    void theStudioServiceOpensTheWorkspaceWithTheInstalledReleasesAndClosesItOnStop() throws Exception {
        System.setProperty(Workspace.LOCATION_PROPERTY, dir.toString());
        Bundle core = FrameworkUtil.getBundle(Studio.class);
        core.start(Bundle.START_TRANSIENT);
        FrameworkUtil.getBundle(org.kvmstudio.release.kvm.KvmRelease.class).start(Bundle.START_TRANSIENT);
        BundleContext context = core.getBundleContext();
        broken = context.registerService(ReleaseProvider.class, new ReleaseProvider() {
            @Override
            public String releaseUri() {
                return "broken";
            }

            @Override
            public LoadedRelease load() throws SchemaLoadException {
                throw new SchemaLoadException("software.cfg.json: not valid JSON");
            }
        }, null);

        ServiceTracker<Studio, Studio> tracker = new ServiceTracker<>(context, Studio.class, null);
        tracker.open();
        try {
            Studio studio = tracker.waitForService(10_000);
            assertNotNull(studio, "Declarative Services offers the studio");
            assertEquals(dir.toRealPath(), studio.workspaceDirectory());
            assertEquals("kvm", studio.releases().release("kvm").release().uri(), "the kvm release joined the catalog");
            assertThrows(IllegalArgumentException.class, () -> studio.releases().release("broken"),
                    "a release that cannot be loaded is left out, the others stay");
            studio.engine().request(InstanceRequest.of("kvm", "vm").withParameters(Parameters.of(Map.of("ram-size", 2048))));
            try (var files = Files.list(dir.resolve("partitions"))) {
                assertEquals(1, files.count());
            }
            assertThrows(WorkspaceLockedException.class, () -> Workspace.open(dir), "the studio holds the workspace");
        } finally {
            tracker.close();
        }
        // the application stops: DS deactivates the studio, which closes (and unlocks) the workspace
        core.stop(Bundle.STOP_TRANSIENT);
        try (Workspace reopened = Workspace.open(dir)) {
            assertEquals("vm", reopened.partitions().get(0).reference());
        } finally {
            core.start(Bundle.START_TRANSIENT);
        }
    }
}
