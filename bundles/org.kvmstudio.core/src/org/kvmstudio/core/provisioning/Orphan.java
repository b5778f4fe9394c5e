package org.kvmstudio.core.provisioning;

import java.util.Objects;

/**
 * Something on a host with this workspace's mark that no partition owns (its partition was forgotten,
 * or its file was set aside): reported, never deleted silently.
 *
 * @param kind        what it is ("domain")
 * @param hostId      where it is
 * @param name        its name on the host
 * @param instanceGuid the instance guid its mark names
 * @param releaseUri  the release its mark names
 * @param reference   the partition reference its mark names
 */
public record Orphan(String kind, String hostId, String name, String instanceGuid, String releaseUri, String reference,
        String softwareType) {

    public Orphan {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(hostId, "hostId");
        Objects.requireNonNull(name, "name");
    }
}
