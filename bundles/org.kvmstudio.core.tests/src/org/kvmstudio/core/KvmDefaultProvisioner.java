package org.kvmstudio.core;

import java.util.Set;

import org.kvmstudio.core.provisioning.Provisioner;

/** A test provisioner of the kvm release's {@code default} type: each test says how it deploys. */
abstract class KvmDefaultProvisioner implements Provisioner {

    @Override
    public String releaseUri() {
        return "kvm";
    }

    @Override
    public Set<String> softwareTypes() {
        return Set.of("default");
    }
}
