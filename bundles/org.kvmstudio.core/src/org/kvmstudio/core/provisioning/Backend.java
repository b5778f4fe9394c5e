package org.kvmstudio.core.provisioning;

import java.io.IOException;

/**
 * A family of provisioners that need the workspace they work for: the libvirt backend (its embedded
 * hypervisor lives in the workspace, its hosts are stored there), the frontend (its servers run in
 * the workspace's owner). Offered as an OSGi service; each open studio opens a session of it.
 */
public interface Backend {

    /** Starts working for the workspace {@code site} describes; the session ends when the studio closes. */
    BackendSession open(BackendSite site) throws IOException;
}
