package org.kvmstudio.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.kvmstudio.core.provisioning.Provisioner;

import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.schema.SchemaLoadException;

/** A studio on a real workspace folder with the real kvm release, at a fixed time. */
final class EngineFixture implements AutoCloseable {

    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-11-26T12:00:00Z"), ZoneOffset.UTC);

    final Path dir;
    private final List<Provisioner> installed = new ArrayList<>();
    Studio studio;
    RequestEngine engine;

    EngineFixture(Path dir) throws IOException, SchemaLoadException {
        this.dir = dir;
        open();
    }

    void install(Provisioner provisioner) {
        installed.add(provisioner);
        studio.provisioners().add(provisioner);
    }

    private void open() throws IOException, SchemaLoadException {
        studio = Studio.open(dir, CLOCK);
        studio.releases().add(new KvmRelease());
        engine = studio.engine();
    }

    /** Closes and reopens the workspace, as a restart of the application would, keeping the provisioners. */
    void restart() throws IOException, SchemaLoadException {
        studio.close();
        open();
        installed.forEach(studio.provisioners()::add);
    }

    @Override
    public void close() throws IOException {
        studio.close();
    }
}
