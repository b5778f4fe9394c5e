package org.kvmstudio.core.provisioning;

import java.util.List;

import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Slave;

/** What a provisioner is given to deploy one partition. */
public interface ProvisioningContext {

    /** The partition to deploy, at the revision being deployed. */
    Partition partition();

    /** The partition's parameters completed with its software type's defaults. */
    Parameters effectiveParameters();

    /** For a master: the slaves attached to it, including those to drop ({@code destroyed}). */
    List<Slave> slaves();

    /**
     * Requests an instance on behalf of this partition (a KVM asking for its frontend slave): it
     * joins this partition's instance tree. Idempotent, like every request.
     */
    Partition request(InstanceRequest request);
}
