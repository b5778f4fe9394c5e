package org.kvmstudio.core.provisioning;

import java.nio.file.Path;
import java.util.List;

import org.kvmstudio.core.RequestEngine;
import org.kvmstudio.model.Host;

/** The workspace a {@link BackendSession} works for. */
public interface BackendSite {

    Path workspaceDirectory();

    /** The workspace's identifier, to mark what is created on hosts as this workspace's. */
    String workspaceId();

    /** The hosts stored in the workspace. */
    List<Host> hosts();

    /** Stores a host the backend offers by default (the embedded one, in a new workspace). */
    void saveHost(Host host) throws java.io.IOException;

    /**
     * The workspace's engine: its partitions, and {@link RequestEngine#observed} for what the backend
     * sees happen outside deployments.
     */
    RequestEngine engine();

    /**
     * Whether a controller keeps this workspace converged: the owner is the GUI or {@code kvmstudio
     * agent}, not a command that exits when done (what must outlive it, an upload endpoint, needs one).
     */
    boolean converging();

    /** Tells the owner's controller to run a pass soon (a host came back, a report arrived). */
    void wakeUp();
}
