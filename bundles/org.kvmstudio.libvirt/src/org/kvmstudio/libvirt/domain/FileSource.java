package org.kvmstudio.libvirt.domain;

/** An image file on the hypervisor host: {@code <disk type='file'><source file='...'/>}. */
public record FileSource(String path) implements DiskSource {

    public FileSource {
        path = Checks.absolutePath(path, "The disk image path");
    }
}
