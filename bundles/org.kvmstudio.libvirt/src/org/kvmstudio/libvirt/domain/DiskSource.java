package org.kvmstudio.libvirt.domain;

/** Where a disk's content lives: a file on the host, a volume of a libvirt storage pool, or an NBD export. */
public sealed interface DiskSource permits FileSource, VolumeSource, NbdSource {
}
