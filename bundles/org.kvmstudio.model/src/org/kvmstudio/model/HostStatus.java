package org.kvmstudio.model;

import java.time.Instant;
import java.util.Objects;

/**
 * What a backend knows of a host now: whether it answers, why not when it does not, its capacity and
 * the virtualisation it really offers ({@code kvm}, or only {@code qemu}: TCG emulation).
 *
 * @param reason         libvirt's words when the host is down; empty when up
 * @param virtualization {@code kvm} or {@code qemu}, as probed; empty while unknown
 */
public record HostStatus(String hostId, boolean up, String reason, int cpus, long memoryMiB, long freeMemoryMiB,
        String virtualization, Instant since) {

    public HostStatus {
        Objects.requireNonNull(hostId, "hostId");
        reason = reason == null ? "" : reason;
        virtualization = virtualization == null ? "" : virtualization;
        since = since == null ? Instant.EPOCH : since;
    }

    public static HostStatus down(String hostId, String reason, Instant since) {
        return new HostStatus(hostId, false, reason, 0, 0, 0, "", since);
    }
}
