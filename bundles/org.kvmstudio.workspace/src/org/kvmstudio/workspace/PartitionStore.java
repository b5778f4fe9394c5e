package org.kvmstudio.workspace;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

import org.kvmstudio.model.Partition;

/**
 * Where the request engine keeps partitions and their private state. {@link Workspace} is the one
 * implementation; the interface is the seam tests use to make a write fail half way, as a crash would.
 */
public interface PartitionStore {

    /** The workspace directory, as a real path. */
    Path directory();

    /** A stable identifier of this workspace, written into what it creates on hosts to tell it from others. */
    String id();

    /** All partitions, by instance number. */
    List<Partition> partitions();

    Optional<Partition> partition(String id);

    /** Writes {@code partition} durably, replacing the one with the same id. */
    void save(Partition partition) throws IOException;

    /** Removes the partition's file and its private state. */
    void deletePartition(String id) throws IOException;

    /** A new instance guid, never handed out before. */
    String nextInstanceGuid() throws IOException;

    /** The private state of partition {@code id}: what a provisioner keeps out of the partition's public file. */
    PartitionState state(String id);
}
