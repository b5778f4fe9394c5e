package org.kvmstudio.libvirt.domain;

/**
 * A volume of a libvirt storage pool: {@code <disk type='volume'><source pool='...' volume='...'/>}. Names
 * follow libvirt's schema: no {@code /} in either, and a volume is never {@code .} or {@code ..}, so a name
 * cannot step out of its pool's directory.
 */
public record VolumeSource(String pool, String volume) implements DiskSource {

    private static final int MAX_NAME = 255;

    public VolumeSource {
        pool = name(pool, "The storage pool name");
        volume = name(volume, "The storage volume name");
        if (volume.equals(".") || volume.equals("..")) {
            throw new InvalidDomainSpecException("The storage volume name '" + volume + "' is not a volume.");
        }
    }

    private static String name(String name, String what) {
        Checks.printable(Checks.maxLength(Checks.required(name, what), MAX_NAME, what), what);
        if (name.isEmpty() || name.indexOf('/') >= 0) {
            throw new InvalidDomainSpecException(what + " '" + name + "' must be non-empty and contain no '/'.");
        }
        return name;
    }
}
