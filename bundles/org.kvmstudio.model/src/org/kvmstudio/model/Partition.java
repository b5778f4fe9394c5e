package org.kvmstudio.model;

import java.util.Objects;
import java.util.Optional;

/**
 * A requested instance as the workspace knows it. As in SlapOS, a shared request is a partition
 * too from the requester's side (it has a reference, a state and connection parameters), but it
 * owns no resources: it is a {@link Slave} hosted by its {@link #masterId() master}.
 *
 * <p>{@code revision} grows each time the request changes; {@code appliedRevision} is the
 * revision the provisioner last deployed. The instance is ready when both match and the status
 * is the requested state.
 *
 * @param id             the instance guid ({@code SOFTINST-n}), stable for the partition's life
 * @param instanceTree   the reference of the root request this instance belongs to
 * @param parentId       the instance that requested this one, or {@code null} for a root request
 * @param masterId       for a shared instance, the master hosting it, or {@code null} while none
 * @param hostId         the host the partition is placed on, or {@code null} until placed
 */
public record Partition(String id, String reference, String releaseUri, String softwareType, boolean shared,
        Parameters parameters, RequestedState requestedState, Filter filter, Status status,
        Parameters connectionParameters, String hostId, String masterId, String parentId, String instanceTree,
        long revision, long appliedRevision) {

    public Partition {
        Objects.requireNonNull(id, "id");
        InstanceRequest.checkReference(reference);
        Objects.requireNonNull(releaseUri, "releaseUri");
        Objects.requireNonNull(softwareType, "softwareType");
        parameters = parameters == null ? Parameters.EMPTY : parameters;
        Objects.requireNonNull(requestedState, "requestedState");
        filter = filter == null ? Filter.NONE : filter;
        Objects.requireNonNull(status, "status");
        connectionParameters = connectionParameters == null ? Parameters.EMPTY : connectionParameters;
        Objects.requireNonNull(instanceTree, "instanceTree");
    }

    /** Deployed as requested, at the latest revision of the request. */
    public boolean isReady() {
        return appliedRevision == revision && status.phase() == Status.phaseOf(requestedState);
    }

    public boolean isRoot() {
        return parentId == null;
    }

    public Optional<String> master() {
        return Optional.ofNullable(masterId);
    }

    public Optional<String> host() {
        return Optional.ofNullable(hostId);
    }

    public Optional<String> parent() {
        return Optional.ofNullable(parentId);
    }

    /** The request this partition currently answers. */
    public InstanceRequest request() {
        return new InstanceRequest(releaseUri, reference, softwareType, parameters, shared, requestedState, filter);
    }

    /** This partition changed to answer {@code request}: a new revision, not ready until deployed. */
    public Partition withRequest(InstanceRequest request, Status notReady) {
        return new Partition(id, reference, releaseUri, softwareType, shared, request.parameters(), request.state(),
                request.filter(), notReady, connectionParameters, hostId, masterId, parentId, instanceTree,
                revision + 1, appliedRevision);
    }

    /** The same request, its parameters written otherwise (secret values in place of their mask, or the reverse): no new revision. */
    public Partition withParameters(Parameters written) {
        return new Partition(id, reference, releaseUri, softwareType, shared, written, requestedState, filter, status,
                connectionParameters, hostId, masterId, parentId, instanceTree, revision, appliedRevision);
    }

    public Partition withStatus(Status s) {
        return new Partition(id, reference, releaseUri, softwareType, shared, parameters, requestedState, filter, s,
                connectionParameters, hostId, masterId, parentId, instanceTree, revision, appliedRevision);
    }

    /** The provisioner deployed {@code revision} of this partition and published {@code published}. */
    public Partition deployed(long deployedRevision, Status s, Parameters published) {
        return new Partition(id, reference, releaseUri, softwareType, shared, parameters, requestedState, filter, s,
                published, hostId, masterId, parentId, instanceTree, revision, deployedRevision);
    }

    public Partition withMaster(String master) {
        return new Partition(id, reference, releaseUri, softwareType, shared, parameters, requestedState, filter,
                status, connectionParameters, hostId, master, parentId, instanceTree, revision, appliedRevision);
    }

    public Partition withHost(String host) {
        return new Partition(id, reference, releaseUri, softwareType, shared, parameters, requestedState, filter,
                status, connectionParameters, host, masterId, parentId, instanceTree, revision, appliedRevision);
    }
}
