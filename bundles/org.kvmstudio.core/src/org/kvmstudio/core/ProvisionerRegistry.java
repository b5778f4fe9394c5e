package org.kvmstudio.core;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;

import org.kvmstudio.core.provisioning.Provisioner;

/** The provisioners installed, found by release and software type. */
public final class ProvisionerRegistry {

    private final List<Provisioner> provisioners = new CopyOnWriteArrayList<>();

    public void add(Provisioner provisioner) {
        provisioners.add(provisioner);
    }

    public void remove(Provisioner provisioner) {
        provisioners.remove(provisioner);
    }

    public Optional<Provisioner> find(String releaseUri, String softwareType) {
        return provisioners.stream()
                .filter(p -> p.releaseUri().equals(releaseUri) && p.softwareTypes().contains(softwareType))
                .findFirst();
    }
}
