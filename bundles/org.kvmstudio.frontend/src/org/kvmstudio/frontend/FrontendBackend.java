package org.kvmstudio.frontend;

import org.kvmstudio.core.provisioning.Backend;
import org.kvmstudio.core.provisioning.BackendSession;
import org.kvmstudio.core.provisioning.BackendSite;
import org.kvmstudio.frontend.internal.FrontendSession;

/**
 * KVM Studio's frontend, offered as an OSGi service ({@code OSGI-INF/org.kvmstudio.frontend.FrontendBackend.xml}):
 * the {@code frontend} masters of the kvm release as HTTPS servers inside the workspace's owner, each
 * serving its shared entries' VM consoles.
 */
public final class FrontendBackend implements Backend {

    @Override
    public BackendSession open(BackendSite site) {
        return new FrontendSession(site);
    }

    @Override
    public String toString() {
        return "frontend backend";
    }
}
