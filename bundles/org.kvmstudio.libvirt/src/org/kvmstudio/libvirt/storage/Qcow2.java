package org.kvmstudio.libvirt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Empty qcow2 images, written as {@code qemu-img create -f qcow2} lays them out (version 3, 64 KiB
 * clusters, 16-bit refcounts, no backing file; QEMU's {@code docs/interop/qcow2.txt}): the header in
 * cluster 0, the refcount table in cluster 1, its one refcount block in cluster 2 and the L1 table,
 * all zero, in cluster 3. A new VM's disk is then a millisecond's work instead of a qemu-img process
 * (20 ms alone, hundreds of milliseconds when ten VMs are requested at once on two cores). Images whose
 * L1 table would not fit in one cluster (over 4 TiB) are left to qemu-img.
 */
final class Qcow2 {

    private static final int CLUSTER_BITS = 16;
    private static final int CLUSTER = 1 << CLUSTER_BITS;
    /** What one L1 entry maps: an L2 table of CLUSTER / 8 entries, each a cluster. */
    private static final long BYTES_PER_L1_ENTRY = (long) CLUSTER * (CLUSTER / 8);
    private static final int HEADER_LENGTH = 112;
    private static final long REFCOUNT_TABLE = CLUSTER;
    private static final long REFCOUNT_BLOCK = 2L * CLUSTER;
    private static final long L1_TABLE = 3L * CLUSTER;
    /** What an L1 table of one cluster maps: 4 TiB, the kvm schema's largest disk. */
    private static final long LARGEST = (CLUSTER / 8) * BYTES_PER_L1_ENTRY;

    private Qcow2() {
    }

    /** Whether {@link #create} can make an image of {@code bytes}: more than none, whole sectors, one L1 cluster. */
    static boolean canCreate(long bytes) {
        return bytes > 0 && bytes <= LARGEST && bytes % 512 == 0;
    }

    /** Writes a new, empty image of virtual size {@code bytes} to {@code file}, which must not exist. */
    static void create(Path file, long bytes) throws IOException {
        if (!canCreate(bytes)) {
            throw new IllegalArgumentException("no qcow2 image of " + bytes + " bytes is written here");
        }
        int l1Entries = (int) l1Entries(bytes);
        ByteBuffer header = ByteBuffer.allocate(HEADER_LENGTH + 8); // big-endian, as qcow2 is
        header.putInt(0x514649fb); // "QFI\xfb"
        header.putInt(3); // version
        header.putLong(0); // backing file offset: none
        header.putInt(0); // backing file name length
        header.putInt(CLUSTER_BITS);
        header.putLong(bytes); // virtual size
        header.putInt(0); // no encryption
        header.putInt(l1Entries);
        header.putLong(L1_TABLE);
        header.putLong(REFCOUNT_TABLE);
        header.putInt(1); // refcount table clusters
        header.putInt(0); // snapshots
        header.putLong(0); // snapshots offset
        header.putLong(0); // incompatible features
        header.putLong(0); // compatible features
        header.putLong(0); // autoclear features
        header.putInt(4); // refcount order: 16-bit refcounts
        header.putInt(HEADER_LENGTH);
        header.put((byte) 0); // compression type: zlib; then padding to 8 bytes, and the end of header extensions
        header.flip().limit(HEADER_LENGTH + 8);
        ByteBuffer refcountTable = ByteBuffer.allocate(8).putLong(0, REFCOUNT_BLOCK);
        ByteBuffer refcountBlock = ByteBuffer.allocate(8);
        for (int cluster = 0; cluster < 4; cluster++) { // header, refcount table, refcount block, L1 table: one reference each
            refcountBlock.putShort(cluster * 2, (short) 1);
        }
        try (FileChannel out = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            writeAt(out, header, 0);
            writeAt(out, refcountTable, REFCOUNT_TABLE);
            writeAt(out, refcountBlock, REFCOUNT_BLOCK);
            writeAt(out, ByteBuffer.allocate(l1Entries * 8), L1_TABLE); // all unallocated; the file ends with it
            out.force(true); // as qemu-img's close does: a crash must not leave a disk without its header
        }
    }

    private static long l1Entries(long bytes) {
        return (bytes + BYTES_PER_L1_ENTRY - 1) / BYTES_PER_L1_ENTRY;
    }

    private static void writeAt(FileChannel out, ByteBuffer content, long position) throws IOException {
        for (long at = position; content.hasRemaining();) {
            at += out.write(content, at);
        }
    }
}
