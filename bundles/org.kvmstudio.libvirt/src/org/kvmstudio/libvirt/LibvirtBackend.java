package org.kvmstudio.libvirt;

import org.kvmstudio.core.provisioning.Backend;
import org.kvmstudio.core.provisioning.BackendSession;
import org.kvmstudio.core.provisioning.BackendSite;

/**
 * KVM Studio's libvirt backend, offered as an OSGi service ({@code OSGI-INF/org.kvmstudio.libvirt.LibvirtBackend.xml}):
 * virtual machines as libvirt domains on the workspace's hosts (the embedded {@code qemu:///embed}
 * by default), NBD exports served by {@code qemu-nbd}.
 */
public final class LibvirtBackend implements Backend {

    @Override
    public BackendSession open(BackendSite site) throws java.io.IOException {
        return new LibvirtSession(site);
    }

    @Override
    public String toString() {
        return "libvirt backend";
    }
}
