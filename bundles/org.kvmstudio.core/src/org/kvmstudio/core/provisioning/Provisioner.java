package org.kvmstudio.core.provisioning;

import java.util.Set;

import org.eclipse.core.runtime.IProgressMonitor;

/**
 * Deploys the partitions of some software types of one release: a libvirt domain for a KVM, an
 * NBD export, a frontend. Provisioners are offered by the backend bundles; until one exists for a
 * type, requests of it stay "not ready" and say so.
 *
 * <p>{@link #deploy} brings a partition to its requested state and must be idempotent and
 * restartable: the engine calls it again after a crash, a cancellation or a failure, and for every
 * change of the request. It must leave nothing half-created when it fails.
 */
public interface Provisioner {

    String releaseUri();

    /** The software types this provisioner deploys (never the shared forms: masters deploy their slaves). */
    Set<String> softwareTypes();

    /**
     * Brings {@link ProvisioningContext#partition()} to its requested state, deploying its slaves
     * when it is a master.
     *
     * @throws ProvisioningException with a sentence for the user when it cannot
     * @throws org.eclipse.core.runtime.OperationCanceledException when {@code monitor} was cancelled
     */
    Deployment deploy(ProvisioningContext context, IProgressMonitor monitor) throws ProvisioningException;
}
