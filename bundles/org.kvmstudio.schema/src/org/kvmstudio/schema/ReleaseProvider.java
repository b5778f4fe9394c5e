package org.kvmstudio.schema;

/**
 * A software release installed in the application, offered as an OSGi service by the bundle that
 * carries its descriptor and schemas.
 */
public interface ReleaseProvider {

    /** The URI requests name the release by (SlapOS's {@code software_release}). */
    String releaseUri();

    /** Reads the release's descriptor and schemas. */
    LoadedRelease load() throws SchemaLoadException;
}
