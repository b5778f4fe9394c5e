package org.kvmstudio.core.provisioning;

import java.io.IOException;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.function.IntPredicate;

import org.kvmstudio.model.InstanceRequest;
import org.kvmstudio.model.Parameters;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.Slave;
import org.kvmstudio.workspace.PartitionState;

/** What a provisioner is given to place, deploy or observe one partition. */
public interface ProvisioningContext {

    /** The partition, at the revision being deployed. */
    Partition partition();

    /** The partition's parameters completed with its software type's defaults, nested ones included. */
    Parameters effectiveParameters();

    /** For a master: the slaves attached to it, including those to drop ({@code destroyed}), with their defaults. */
    List<Slave> slaves();

    /**
     * The other partitions placed on hosts, to place this one beside them: those whose placement is
     * still being written included, so that partitions placed one after the other all count each other.
     */
    List<Partition> placed();

    /** The host the partition is placed on; empty until {@link Provisioner#place} chose one. */
    Optional<String> hostId();

    /** The identifier of the workspace, to mark what is created on hosts as this workspace's. */
    String workspaceId();

    /**
     * The partition's private state: a directory and small values kept between runs, out of the
     * partition's public file (a domain UUID, ports, a VNC password). Gone once the partition is destroyed.
     */
    PartitionState state();

    /**
     * A TCP port for {@code purpose} ("vnc", "nbd"), the same one on every run: the one recorded in
     * the partition's state, else {@code preferred} or the next one above it that no other partition
     * on the same host claims and that {@code free} accepts (a bind test, for a port on this machine).
     */
    int claimPort(String purpose, int preferred, IntPredicate free) throws IOException;

    /**
     * A TCP port of this machine for {@code purpose}, whatever host the partition is placed on (a
     * tunnel to that host): as {@link #claimPort}, but no other partition of the workspace, on any
     * host, claims it.
     */
    int claimLocalPort(String purpose, int preferred, IntPredicate free) throws IOException;

    /**
     * The port claimed for {@code purpose}, if any, without claiming one: what the partition published
     * stays right only while it keeps that port.
     */
    OptionalInt claimedPort(String purpose) throws IOException;

    /** Gives up the port claimed for {@code purpose}: another program took it while this partition did not use it. */
    void releasePort(String purpose) throws IOException;

    /**
     * Requests an instance on behalf of this partition (a KVM asking for its frontend slave): it
     * joins this partition's instance tree. Idempotent, like every request.
     */
    Partition request(InstanceRequest request);
}
