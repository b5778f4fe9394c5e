package org.kvmstudio.libvirt.storage;

import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.libvirt.domain.DiskSource;

/**
 * A host's storage pool for KVM Studio's volumes: disks, downloaded images, NBD exports. Volume
 * names are made by KVM Studio from instance guids ({@code SOFTINST-3-disk}), never from references
 * or parameters, so they are safe as file names.
 */
public interface Storage {

    /** Whether volume {@code name} exists. */
    boolean exists(String name) throws ProvisioningException;

    /** The volume's virtual size in bytes. */
    long capacity(String name) throws ProvisioningException;

    /** Creates an empty thin volume of {@code bytes} in {@code format}. */
    void create(String name, String format, long bytes) throws ProvisioningException;

    /** Grows a volume to {@code bytes}; refuses to shrink one, which would lose data. */
    void grow(String name, long bytes) throws ProvisioningException;

    /** Refuses, in the one sentence every pool says it in, to make a volume of {@code now} bytes smaller. */
    static void checkGrowth(long now, long bytes) throws ProvisioningException {
        if (bytes < now) {
            long gb = 1L << 30;
            throw new ProvisioningException("the disk is " + now / gb + " GB and cannot shrink to " + bytes / gb
                    + " GB without losing data; request a disk-size of at least " + (now + gb - 1) / gb);
        }
    }

    /**
     * Makes volume {@code name} from volume {@code source} (a verified download): converted to
     * {@code format}, then grown to {@code bytes} when that is bigger.
     */
    void importVolume(String name, String source, String format, long bytes, IProgressMonitor monitor)
            throws ProvisioningException;

    /**
     * Downloads {@code url} into volume {@code name} once, checking its MD5; a wrong checksum or a
     * failed transfer leaves no volume.
     */
    void fetch(String name, String url, String md5, IProgressMonitor monitor) throws ProvisioningException;

    /** Refuses, in plain words, a volume of {@code bytes} that this pool could never hold. */
    void checkFits(long bytes) throws ProvisioningException;

    /** The volume's path on its host, as QEMU opens it. */
    String hostPath(String name) throws ProvisioningException;

    /** Deletes the volume, overwriting its content first when {@code wipe}; nothing when it does not exist. */
    void delete(String name, boolean wipe) throws ProvisioningException;

    /** The names of the volumes that start with {@code prefix}. */
    List<String> list(String prefix) throws ProvisioningException;

    /** How the domain XML names the volume. */
    DiskSource source(String name) throws ProvisioningException;

    /** A path on the host where QEMU may write a log file (the guest's serial console). */
    String logPath(String name) throws ProvisioningException;
}
