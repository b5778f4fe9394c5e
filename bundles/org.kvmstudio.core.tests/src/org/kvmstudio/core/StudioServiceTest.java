package org.kvmstudio.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.eclipse.core.runtime.NullProgressMonitor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.kvmstudio.core.provisioning.Backend;
import org.kvmstudio.core.provisioning.BackendSession;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.InvalidRequestException;
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

/** Studios as the application gets them: from a Declarative Services component, with what is installed. */
class StudioServiceTest {

    @TempDir
    Path dir;
    private final List<ServiceRegistration<?>> registered = new ArrayList<>();

    @AfterEach
    void tearDown() {
        registered.forEach(ServiceRegistration::unregister);
    }

    @Test
    void theServiceOpensWorkspacesWithTheInstalledReleasesAndBackendsAndTheirSessionsEndWithThem() throws Exception {
        Bundle core = FrameworkUtil.getBundle(Studio.class);
        core.start(Bundle.START_TRANSIENT);
        FrameworkUtil.getBundle(org.kvmstudio.release.kvm.KvmRelease.class).start(Bundle.START_TRANSIENT);
        BundleContext context = core.getBundleContext();
        registered.add(context.registerService(ReleaseProvider.class, new ReleaseProvider() {
            @Override
            public String releaseUri() {
                return "broken";
            }

            @Override
            public LoadedRelease load() throws SchemaLoadException {
                throw new SchemaLoadException("software.cfg.json: not valid JSON");
            }
        }, null));
        List<String> sessionEvents = new ArrayList<>();
        ScriptedProvisioner provisioner = new ScriptedProvisioner();
        registered.add(context.registerService(Backend.class, site -> {
            sessionEvents.add("opened " + site.workspaceDirectory().getFileName());
            return new BackendSession() {
                @Override
                public List<Provisioner> provisioners() {
                    return List.of(provisioner);
                }

                @Override
                public void close() {
                    sessionEvents.add("closed");
                }
            };
        }, null));

        ServiceTracker<StudioService, StudioService> tracker = new ServiceTracker<>(context, StudioService.class, null);
        tracker.open();
        try {
            StudioService service = tracker.waitForService(10_000);
            assertNotNull(service, "Declarative Services offers the studio service");
            Studio studio = service.open(dir.resolve("ws"));
            assertEquals(dir.resolve("ws").toRealPath(), studio.workspaceDirectory());
            assertEquals("kvm", studio.releases().release("kvm").release().uri(), "the kvm release joined the catalog");
            assertThrows(InvalidRequestException.class, () -> studio.releases().release("broken"),
                    "a release that cannot be loaded is left out, the others stay");
            assertEquals(List.of("opened ws"), sessionEvents, "the backend works for the workspace opened");
            studio.engine().request(InstanceRequest.of("kvm", "vm").withParameters(Parameters.of(Map.of("ram-size", 2048))));
            studio.engine().process(new NullProgressMonitor());
            assertTrue(studio.engine().instance("vm").orElseThrow().isReady(), "deployed by the backend's provisioner");
            try (var files = Files.list(dir.resolve("ws").resolve("partitions"))) {
                assertEquals(1, files.count());
            }
            assertThrows(WorkspaceLockedException.class, () -> Workspace.open(dir.resolve("ws")), "the studio holds the workspace");
            service.close(studio);
            assertEquals(List.of("opened ws", "closed"), sessionEvents);
            try (Workspace reopened = Workspace.open(dir.resolve("ws"))) {
                assertEquals("vm", reopened.partitions().get(0).reference());
            }
            assertFalse(provisioner.calls.isEmpty());
        } finally {
            tracker.close();
        }
    }
}
