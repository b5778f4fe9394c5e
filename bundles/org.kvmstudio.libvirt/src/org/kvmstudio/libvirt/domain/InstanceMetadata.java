package org.kvmstudio.libvirt.domain;

/**
 * What makes a libvirt domain one of ours, written into its {@code <metadata>}: the backend lists a host's
 * domains and keeps those carrying this element in {@link #NAMESPACE}, and the workspace id tells which
 * KVM Studio workspace owns them, so that two workspaces sharing a host never touch each other's domains.
 * <p>
 * All values are free text from the workspace (a reference is whatever the user typed); what XML cannot
 * carry is replaced by U+FFFD, so a value read back from libvirt equals the one written.
 */
public record InstanceMetadata(String workspaceId, String releaseUri, String softwareType, String reference,
        String instanceGuid) {

    /** Versioned: a later, incompatible layout gets a new namespace, and this version's reader ignores it. */
    public static final String NAMESPACE = "https://kvmstudio.org/xmlns/libvirt/instance/1";

    /** The prefix written; readers match the namespace, never the prefix. */
    public static final String PREFIX = "kvmstudio";

    /** Generous for a URI or a reference, and keeps a domain's XML small. */
    static final int MAX_LENGTH = 4096;

    public InstanceMetadata {
        workspaceId = text(workspaceId, "The workspace id");
        releaseUri = text(releaseUri, "The software release URI");
        softwareType = text(softwareType, "The software type");
        reference = text(reference, "The instance reference");
        instanceGuid = text(instanceGuid, "The instance guid");
    }

    private static String text(String value, String what) {
        return Checks.xmlText(Checks.maxLength(Checks.required(value, what), MAX_LENGTH, what));
    }
}
