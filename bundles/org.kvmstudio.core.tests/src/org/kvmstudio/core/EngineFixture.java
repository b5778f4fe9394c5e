package org.kvmstudio.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;

import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.schema.SchemaLoadException;
import org.kvmstudio.workspace.Workspace;

/** A request engine on a real workspace folder and the real kvm release. */
final class EngineFixture implements AutoCloseable {

    final Path dir;
    final ReleaseCatalog catalog = new ReleaseCatalog();
    final ProvisionerRegistry provisioners = new ProvisionerRegistry();
    Workspace workspace;
    RequestEngine engine;

    EngineFixture(Path dir) throws IOException, SchemaLoadException {
        this.dir = dir;
        catalog.add(new KvmRelease());
        open();
    }

    void open() throws IOException {
        workspace = Workspace.open(dir);
        engine = new RequestEngine(workspace, catalog, provisioners, Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC));
    }

    /** Closes and reopens the workspace, as a restart of the application would. */
    void restart() throws IOException {
        workspace.close();
        open();
    }

    @Override
    public void close() throws IOException {
        workspace.close();
    }
}
