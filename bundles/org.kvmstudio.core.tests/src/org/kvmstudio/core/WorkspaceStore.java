package org.kvmstudio.core;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.kvmstudio.model.Partition;
import org.kvmstudio.workspace.PartitionState;
import org.kvmstudio.workspace.PartitionStore;
import org.kvmstudio.workspace.Workspace;

/** A real workspace as the engine's store, for tests that make some of its writes fail (a crash, a full disk). */
class WorkspaceStore implements PartitionStore {

    protected final Workspace workspace;

    WorkspaceStore(Workspace workspace) {
        this.workspace = workspace;
    }

    @Override
    public Path directory() {
        return workspace.directory();
    }

    @Override
    public String id() {
        return workspace.id();
    }

    @Override
    public List<Partition> partitions() {
        return workspace.partitions();
    }

    @Override
    public Optional<Partition> partition(String id) {
        return workspace.partition(id);
    }

    @Override
    public void save(Partition partition) throws IOException {
        workspace.save(partition);
    }

    @Override
    public void deletePartition(String id) throws IOException {
        workspace.deletePartition(id);
    }

    @Override
    public String nextInstanceGuid() throws IOException {
        return workspace.nextInstanceGuid();
    }

    @Override
    public PartitionState state(String id) {
        return workspace.state(id);
    }
}
