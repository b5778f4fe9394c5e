package org.kvmstudio.core;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import org.kvmstudio.core.provisioning.Provisioner;

import org.kvmstudio.release.kvm.KvmRelease;
import org.kvmstudio.schema.SchemaLoadException;

/** A studio on a real workspace folder with the real kvm release, on a clock the test moves. */
final class EngineFixture implements AutoCloseable {

    /** Stands still until the test moves it, so that times in statuses are exact and back-off is under control. */
    static final class TestClock extends Clock {
        private Instant now = Instant.parse("2026-11-26T12:00:00Z");

        @Override
        public ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(ZoneId zone) {
            return this;
        }

        @Override
        public synchronized Instant instant() {
            return now;
        }

        synchronized void advance(Duration d) {
            now = now.plus(d);
        }
    }

    final Path dir;
    final TestClock clock = new TestClock();
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
        studio = Studio.open(dir, clock);
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
