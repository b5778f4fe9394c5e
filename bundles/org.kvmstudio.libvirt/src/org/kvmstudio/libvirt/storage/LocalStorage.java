package org.kvmstudio.libvirt.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.SubMonitor;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.libvirt.domain.DiskSource;
import org.kvmstudio.libvirt.domain.FileSource;

/**
 * A directory on this machine used as a storage pool, for the embedded host: libvirt's storage
 * driver cannot be embedded ("Driver does not support embedded mode"), so volumes are files made
 * with {@code qemu-img} (a new qcow2 disk: written directly, {@link Qcow2}), in
 * {@code <workspace>/pools/<host>/} (owner only).
 */
public final class LocalStorage implements Storage {

    /** Volume names: made by KVM Studio, checked anyway before they become paths. */
    static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

    private final Path directory;

    public LocalStorage(Path directory) {
        this.directory = directory;
    }

    public Path directory() throws ProvisioningException {
        try {
            if (!Files.isDirectory(directory)) {
                Files.createDirectories(directory.getParent());
                try {
                    Files.createDirectory(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
                } catch (java.nio.file.FileAlreadyExistsException made) {
                    // by a deployment beside this one, at the first use of the folder
                    if (!Files.isDirectory(directory)) {
                        throw made;
                    }
                }
            }
            return directory;
        } catch (IOException e) {
            throw new ProvisioningException("cannot create the storage folder " + directory + ": " + e.getMessage(), e);
        }
    }

    Path file(String name) throws ProvisioningException {
        return directory().resolve(checkName(name));
    }

    /** {@code name}, if it is a volume name KVM Studio makes; names become paths on hosts. */
    static String checkName(String name) {
        if (name == null || !NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a volume name: " + name);
        }
        return name;
    }

    @Override
    public boolean exists(String name) throws ProvisioningException {
        return Files.isRegularFile(file(name));
    }

    @Override
    public long capacity(String name) throws ProvisioningException {
        return QemuImg.virtualSize(file(name));
    }

    @Override
    public void create(String name, String format, long bytes) throws ProvisioningException {
        Path target = file(name);
        Path partial = file(name + ".part");
        deleteQuietly(partial);
        if ("qcow2".equals(format) && Qcow2.canCreate(bytes)) {
            try {
                Qcow2.create(partial, bytes);
            } catch (IOException e) {
                deleteQuietly(partial);
                throw new ProvisioningException("cannot create volume " + name + ": " + e.getMessage(), e);
            }
        } else {
            QemuImg.create(partial, format, bytes);
        }
        move(partial, target);
    }

    @Override
    public void grow(String name, long bytes) throws ProvisioningException {
        Path f = file(name);
        long now = QemuImg.virtualSize(f);
        Storage.checkGrowth(now, bytes);
        if (bytes > now) {
            QemuImg.resize(f, QemuImg.format(f), bytes);
        }
    }

    @Override
    public void importVolume(String name, String source, String format, long bytes, IProgressMonitor monitor)
            throws ProvisioningException {
        SubMonitor.convert(monitor, "Converting the image to " + format, 1);
        Path image = file(source);
        Path partial = file(name + ".part");
        deleteQuietly(partial);
        try {
            QemuImg.checkStandalone(image);
            QemuImg.convert(image, QemuImg.format(image), partial, format);
            if (QemuImg.virtualSize(partial) < bytes) {
                QemuImg.resize(partial, format, bytes);
            }
            move(partial, file(name));
        } finally {
            deleteQuietly(partial);
        }
    }

    @Override
    public void fetch(String name, String url, String md5, IProgressMonitor monitor) throws ProvisioningException {
        Download.fetch(url, md5, file(name), monitor);
        try {
            QemuImg.checkStandalone(file(name));
        } catch (ProvisioningException e) {
            delete(name, false);
            throw e;
        }
    }

    /** Refuses volume {@code name} if it refers to other files (see {@link QemuImg#checkStandalone}). */
    public void checkStandalone(String name) throws ProvisioningException {
        QemuImg.checkStandalone(file(name));
    }

    @Override
    public void checkFits(long bytes) throws ProvisioningException {
        try {
            long total = Files.getFileStore(directory()).getTotalSpace();
            if (bytes > total) {
                throw new ProvisioningException("a disk of " + bytes / (1L << 30) + " GB cannot fit in " + directory
                        + ", whose file system holds " + total / (1L << 30) + " GB in all");
            }
        } catch (IOException e) {
            throw new ProvisioningException("cannot tell how much " + directory + " holds: " + e.getMessage(), e);
        }
    }

    @Override
    public String hostPath(String name) throws ProvisioningException {
        return file(name).toString();
    }

    @Override
    public void delete(String name, boolean wipe) throws ProvisioningException {
        Path f = file(name);
        if (!Files.exists(f)) {
            return;
        }
        try {
            if (wipe) {
                overwrite(f);
            }
            Files.delete(f);
        } catch (IOException e) {
            throw new ProvisioningException("cannot delete volume " + name + ": " + e.getMessage(), e);
        }
    }

    /** Overwrites every byte the file holds with random data, and syncs, so that its content cannot be read back. */
    private static void overwrite(Path f) throws IOException {
        SecureRandom random = new SecureRandom();
        byte[] block = new byte[1 << 20];
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
            long size = ch.size();
            for (long at = 0; at < size; at += block.length) {
                random.nextBytes(block);
                ch.write(ByteBuffer.wrap(block, 0, (int) Math.min(block.length, size - at)), at);
            }
            ch.force(true);
        }
    }

    @Override
    public List<String> list(String prefix) throws ProvisioningException {
        try (Stream<Path> files = Files.list(directory())) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.startsWith(prefix)).sorted().toList();
        } catch (IOException e) {
            throw new ProvisioningException("cannot list " + directory + ": " + e.getMessage(), e);
        }
    }

    @Override
    public DiskSource source(String name) throws ProvisioningException {
        return new FileSource(file(name).toString());
    }

    @Override
    public String logPath(String name) throws ProvisioningException {
        return file(name).toString();
    }

    private static void move(Path from, Path to) throws ProvisioningException {
        try {
            Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new ProvisioningException("cannot move " + from.getFileName() + " into place: " + e.getMessage(), e);
        }
    }

    private static void deleteQuietly(Path f) {
        try {
            Files.deleteIfExists(f);
        } catch (IOException ignored) {
            // a leftover partial file is overwritten by the next attempt
        }
    }
}
