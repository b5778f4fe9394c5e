package org.kvmstudio.libvirt.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.libvirt.domain.DiskSource;
import org.kvmstudio.libvirt.domain.VolumeSource;
import org.kvmstudio.libvirt.hosts.HostConnection;
import org.kvmstudio.libvirt.hosts.LibvirtErrors;
import org.libvirt.Connect;
import org.libvirt.Error.ErrorNumber;
import org.libvirt.LibvirtException;
import org.libvirt.StoragePool;
import org.libvirt.StorageVol;
import org.libvirt.Stream;

/**
 * A libvirt directory storage pool on a host reached through a libvirt URI (no shell on it is
 * needed): {@code kvmstudio-<workspace mark>} under the host's {@code /var/lib/libvirt/images}.
 * Downloads are fetched here, checked, then streamed to the host.
 */
public final class PoolStorage implements Storage {

    private final HostConnection host;
    private final String poolName;
    private final String poolPath;
    private final Path staging;

    public PoolStorage(HostConnection host, String workspaceMark, Path staging) {
        this.host = host;
        this.poolName = "kvmstudio-" + workspaceMark;
        this.poolPath = "/var/lib/libvirt/images/" + poolName;
        this.staging = staging;
    }

    /** The pool, defined, built and started if it was not. */
    private synchronized StoragePool pool() throws ProvisioningException {
        Connect conn = host.connect();
        try {
            StoragePool pool;
            try {
                pool = conn.storagePoolLookupByName(poolName);
            } catch (LibvirtException e) {
                if (!LibvirtErrors.is(e, ErrorNumber.VIR_ERR_NO_STORAGE_POOL)) {
                    throw e;
                }
                pool = conn.storagePoolDefineXML(PoolXml.directoryPool(poolName, poolPath), 0);
                pool.build(0);
                pool.setAutostart(1);
            }
            if (pool.isActive() != 1) {
                pool.create(0);
            }
            return pool;
        } catch (LibvirtException e) {
            throw new ProvisioningException("cannot prepare storage pool " + poolName + " on host '" + host.host().id()
                    + "': " + LibvirtErrors.describe(e), e);
        }
    }

    /** What is done with a pool or volume handle; the handle is freed after (libvirt-java frees only in finalizers). */
    @FunctionalInterface
    private interface Use<H, T> {
        T apply(H handle) throws LibvirtException, ProvisioningException;
    }

    private <T> T withPool(Use<StoragePool, T> use) throws ProvisioningException, LibvirtException {
        StoragePool pool = pool();
        try {
            return use.apply(pool);
        } finally {
            pool.free();
        }
    }

    private <T> T withVolume(String name, Use<StorageVol, T> use) throws ProvisioningException, LibvirtException {
        StorageVol vol = volume(name);
        try {
            return use.apply(vol);
        } finally {
            vol.free();
        }
    }

    private StorageVol volume(String name) throws ProvisioningException {
        LocalStorage.checkName(name);
        try {
            return withPool(pool -> pool.storageVolLookupByName(name));
        } catch (LibvirtException e) {
            throw new ProvisioningException("volume " + name + " on host '" + host.host().id() + "': "
                    + LibvirtErrors.describe(e), e);
        }
    }

    @Override
    public boolean exists(String name) throws ProvisioningException {
        LocalStorage.checkName(name);
        try {
            return withPool(pool -> {
                refreshUnlessBusy(pool);
                return Arrays.asList(pool.listVolumes()).contains(name);
            });
        } catch (LibvirtException e) {
            throw failure("list the volumes", e);
        }
    }

    /**
     * Reads the pool's folder again (a volume removed by hand is then seen gone), unless libvirt refuses
     * because a volume is being made in it (another deployment's): libvirt's own list is then up to date
     * with what it makes, and parallel deployments on one host do not fail each other.
     */
    private void refreshUnlessBusy(StoragePool pool) throws LibvirtException {
        try {
            pool.refresh(0);
        } catch (LibvirtException e) {
            // libvirt stops a pool whose refresh really failed; one busy stays active
            boolean busy;
            try {
                busy = LibvirtErrors.is(e, ErrorNumber.VIR_ERR_INTERNAL_ERROR) && pool.isActive() == 1;
            } catch (LibvirtException also) {
                e.addSuppressed(also);
                busy = false;
            }
            if (!busy) {
                throw e;
            }
        }
    }

    @Override
    public long capacity(String name) throws ProvisioningException {
        try {
            return withVolume(name, vol -> vol.getInfo().capacity);
        } catch (LibvirtException e) {
            throw failure("read the size of " + name, e);
        }
    }

    @Override
    public void create(String name, String format, long bytes) throws ProvisioningException {
        LocalStorage.checkName(name);
        try {
            withPool(pool -> pool.storageVolCreateXML(PoolXml.volume(name, bytes, format), 0).free());
        } catch (LibvirtException e) {
            throw failure("create volume " + name, e);
        }
    }

    @Override
    public void grow(String name, long bytes) throws ProvisioningException {
        long now = capacity(name);
        Storage.checkGrowth(now, bytes);
        try {
            if (bytes > now) {
                withVolume(name, vol -> vol.resize(bytes, 0));
            }
        } catch (LibvirtException e) {
            throw failure("grow volume " + name, e);
        }
    }

    @Override
    public void importVolume(String name, String source, String format, long bytes, IProgressMonitor monitor)
            throws ProvisioningException {
        SubMonitor.convert(monitor, "Converting the image on host " + host.host().id(), 1);
        try {
            long sourceSize = capacity(source);
            // libvirt converts on the host (qemu-img there) when the formats differ
            withVolume(source, from -> withPool(pool -> pool.storageVolCreateXMLFrom(
                    PoolXml.volume(name, Math.max(bytes, sourceSize), format), from, 0).free()));
        } catch (LibvirtException e) {
            throw failure("make volume " + name + " from " + source, e);
        }
    }

    @Override
    public void fetch(String name, String url, String md5, IProgressMonitor monitor) throws ProvisioningException {
        if (exists(name)) {
            return;
        }
        SubMonitor sub = SubMonitor.convert(monitor, 2);
        Path local;
        try {
            Files.createDirectories(staging);
            local = staging.resolve(host.host().id() + "-" + name);
        } catch (IOException e) {
            throw new ProvisioningException("cannot prepare " + staging + ": " + e.getMessage(), e);
        }
        try {
            Download.fetch(url, md5, local, sub.split(1));
            upload(name, local, sub.split(1));
        } finally {
            try {
                Files.deleteIfExists(local);
            } catch (IOException ignored) {
                // staging is cleaned again by the next fetch of the same volume
            }
        }
    }

    /** Streams a local file into a new raw volume; a failed transfer deletes the volume. */
    private void upload(String name, Path file, IProgressMonitor monitor) throws ProvisioningException {
        try {
            long size = Files.size(file);
            create(name, "raw", size);
            StorageVol vol = volume(name);
            Stream stream = host.connect().streamNew(0);
            try (InputStream in = Files.newInputStream(file)) {
                vol.upload(stream, 0, size, 0);
                byte[] buffer = new byte[1 << 18];
                for (int n = in.read(buffer); n > 0; n = in.read(buffer)) {
                    if (monitor.isCanceled()) {
                        stream.abort();
                        throw new OperationCanceledException();
                    }
                    byte[] chunk = n == buffer.length ? buffer : Arrays.copyOf(buffer, n);
                    for (int sent = 0; sent < n;) {
                        sent += stream.send(sent == 0 ? chunk : Arrays.copyOfRange(chunk, sent, n));
                    }
                }
                stream.finish();
            } finally {
                stream.free();
                vol.free();
            }
        } catch (IOException | LibvirtException | RuntimeException e) {
            delete(name, false);
            if (e instanceof OperationCanceledException cancelled) {
                throw cancelled;
            }
            throw new ProvisioningException("cannot upload " + name + " to host '" + host.host().id() + "': "
                    + (e instanceof LibvirtException le ? LibvirtErrors.describe(le) : e.getMessage()), e);
        }
    }

    @Override
    public void checkFits(long bytes) throws ProvisioningException {
        try {
            long capacity = withPool(pool -> pool.getInfo().capacity);
            if (bytes > capacity) {
                throw new ProvisioningException("a disk of " + bytes / (1L << 30) + " GB cannot fit in pool " + poolName
                        + " on host '" + host.host().id() + "', which holds " + capacity / (1L << 30) + " GB in all");
            }
        } catch (LibvirtException e) {
            throw failure("read the size of the pool", e);
        }
    }

    @Override
    public void delete(String name, boolean wipe) throws ProvisioningException {
        if (!exists(name)) {
            return;
        }
        try {
            withVolume(name, vol -> {
                if (wipe) {
                    vol.wipe();
                }
                vol.delete(0);
                return null;
            });
        } catch (LibvirtException e) {
            throw failure("delete volume " + name, e);
        }
    }

    @Override
    public List<String> list(String prefix) throws ProvisioningException {
        try {
            return withPool(pool -> {
                refreshUnlessBusy(pool);
                return Arrays.stream(pool.listVolumes()).filter(n -> n.startsWith(prefix)).sorted().toList();
            });
        } catch (LibvirtException e) {
            throw failure("list the volumes", e);
        }
    }

    @Override
    public DiskSource source(String name) throws ProvisioningException {
        LocalStorage.checkName(name);
        return new VolumeSource(poolName, name);
    }

    @Override
    public String hostPath(String name) throws ProvisioningException {
        try {
            return withVolume(name, StorageVol::getPath);
        } catch (LibvirtException e) {
            throw failure("find volume " + name, e);
        }
    }

    @Override
    public String logPath(String name) throws ProvisioningException {
        LocalStorage.checkName(name);
        try {
            withPool(pool -> null); // made if missing: QEMU writes the log there
        } catch (LibvirtException e) {
            throw failure("prepare the pool", e);
        }
        return poolPath + "/" + name;
    }

    private ProvisioningException failure(String what, LibvirtException e) {
        return new ProvisioningException("cannot " + what + " in pool " + poolName + " on host '" + host.host().id()
                + "': " + LibvirtErrors.describe(e), e);
    }
}
