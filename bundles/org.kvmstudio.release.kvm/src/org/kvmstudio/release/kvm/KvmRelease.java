package org.kvmstudio.release.kvm;

import org.kvmstudio.schema.LoadedRelease;
import org.kvmstudio.schema.ReleaseLoader;
import org.kvmstudio.schema.ReleaseProvider;
import org.kvmstudio.schema.SchemaLoadException;
import org.kvmstudio.schema.SchemaSource;

/**
 * The kvm software release: KVM virtual machines ({@code default}, {@code kvm+}), NBD disk-image
 * exports ({@code nbd}) and HTTPS frontends ({@code frontend}, shared as slaves). Its descriptor
 * and schemas live in this bundle's {@code release/} folder.
 */
public final class KvmRelease implements ReleaseProvider {

    /** The name requests use, as in the seed README's {@code request(software_release=kvm, ...)}. */
    public static final String URI = "kvm";

    public static final String DEFAULT = "default";
    public static final String KVM_PLUS = "kvm+";
    public static final String NBD = "nbd";
    public static final String FRONTEND = "frontend";

    @Override
    public String releaseUri() {
        return URI;
    }

    @Override
    public LoadedRelease load() throws SchemaLoadException {
        return new ReleaseLoader(source()).load(URI, ReleaseLoader.DESCRIPTOR);
    }

    public static SchemaSource source() {
        return SchemaSource.classpath(KvmRelease.class.getClassLoader(), "release");
    }
}
