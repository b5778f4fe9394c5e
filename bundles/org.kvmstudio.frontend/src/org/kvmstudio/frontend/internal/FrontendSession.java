package org.kvmstudio.frontend.internal;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.kvmstudio.core.provisioning.BackendSession;
import org.kvmstudio.core.provisioning.BackendSite;
import org.kvmstudio.core.provisioning.Provisioner;
import org.kvmstudio.frontend.server.FrontendServer;
import org.kvmstudio.frontend.server.ServerSettings;
import org.kvmstudio.frontend.server.TlsIdentity;

/**
 * The frontends of one workspace: one running server per started master, kept by master id. They
 * live as long as the workspace's owner; when it starts again, the controller's first look finds
 * them not running and deploys them again.
 */
public final class FrontendSession implements BackendSession {

    private final BackendSite site;
    private final FrontendProvisioner provisioner;
    private final Map<String, FrontendServer> servers = new ConcurrentHashMap<>();
    private boolean closed;

    public FrontendSession(BackendSite site) {
        this.site = site;
        this.provisioner = new FrontendProvisioner(this);
    }

    @Override
    public List<Provisioner> provisioners() {
        return List.of(provisioner);
    }

    BackendSite site() {
        return site;
    }

    /** The server of {@code masterId}, started (or restarted) to serve as {@code settings} and {@code identity} say. */
    synchronized FrontendServer serve(String masterId, ServerSettings settings, TlsIdentity identity) throws IOException {
        if (closed) {
            throw new IOException("the workspace is closing");
        }
        FrontendServer running = servers.get(masterId);
        if (running != null && running.serves(settings, identity)) {
            return running;
        }
        if (running != null) {
            servers.remove(masterId);
            running.close(); // frees its port before the new one binds it
        }
        FrontendServer started = FrontendServer.start(settings, identity);
        servers.put(masterId, started);
        return started;
    }

    Optional<FrontendServer> running(String masterId) {
        return Optional.ofNullable(servers.get(masterId)).filter(FrontendServer::isRunning);
    }

    synchronized void stop(String masterId) {
        FrontendServer running = servers.remove(masterId);
        if (running != null) {
            running.close();
        }
    }

    @Override
    public synchronized void close() {
        closed = true;
        servers.values().forEach(FrontendServer::close);
        servers.clear();
    }
}
