package org.kvmstudio.core.provisioning;

import java.util.Optional;
import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Deploys the partitions of some software types of one release: a libvirt domain for a KVM, an
 * NBD export, a frontend. Provisioners come from {@link Backend}s (or are added directly); until one
 * exists for a type, requests of it stay "not ready" and say so.
 *
 * <p>{@link #deploy} brings a partition to its requested state and must be idempotent and
 * restartable: the engine calls it again after a crash, a cancellation or a failure, for every
 * change of the request, and whenever {@link #observe} or a backend's report says the partition
 * drifted from it. It must leave nothing half-created when it fails.
 */
public interface Provisioner {

    String releaseUri();

    /** The software types this provisioner deploys (never the shared forms: masters deploy their slaves). */
    Set<String> softwareTypes();

    /**
     * Chooses the host of a partition not placed yet (no {@code computer_guid}). Called before its first
     * deployment; the engine stores the answer before deploying, so that the placement never changes.
     *
     * @return the host id, or empty when this type does not run on a hypervisor host
     * @throws ProvisioningException saying, in plain words, why no host can take it
     */
    default Optional<String> place(ProvisioningContext context) throws ProvisioningException {
        return Optional.empty();
    }

    /**
     * Brings {@link ProvisioningContext#partition()} to its requested state, deploying its slaves
     * when it is a master.
     *
     * @throws ProvisioningException with a sentence for the user when it cannot
     * @throws org.eclipse.core.runtime.OperationCanceledException when {@code monitor} was cancelled
     */
    Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) throws ProvisioningException;

    /**
     * What deploying the context's partition would define on its host (a KVM's domain XML, secrets
     * left out), worked out without creating or changing anything. Empty when there is nothing to show.
     */
    default Optional<String> preview(ProvisioningContext context) {
        return Optional.empty();
    }

    /**
     * What is defined on the host for the context's partition now (a KVM's domain XML as libvirt
     * has it, secrets left out), read without changing anything. Empty when nothing is defined.
     */
    default Optional<String> live(ProvisioningContext context) {
        return Optional.empty();
    }

    /**
     * What the host really has for a deployed partition, looked up now and quickly (the controller
     * asks every 30 s and after a host reconnects). Empty when it cannot tell.
     */
    default Optional<Observation> observe(ProvisioningContext context) {
        return Optional.empty();
    }
}
