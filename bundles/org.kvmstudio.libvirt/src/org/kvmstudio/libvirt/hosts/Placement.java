package org.kvmstudio.libvirt.hosts;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.model.HostStatus;

/**
 * Chooses the host of a new virtual machine: among the hosts that answer, those with room for its
 * memory and vCPUs next to what is already placed there, the one it fits best (least room left), so
 * that big machines still find a host later. Memory may be overcommitted by a host-wide factor (idle
 * guests use far less than they are given; TCG guests here use about a quarter), vCPUs up to eight a core.
 */
public final class Placement {

    /** What the guests already placed on a host ask for. */
    public record Placed(long memoryMiB, int vcpus) {
    }

    static final int VCPUS_PER_CORE = 8;

    private final double memoryOvercommit;

    public Placement(double memoryOvercommit) {
        this.memoryOvercommit = memoryOvercommit;
    }

    /**
     * @param statuses the hosts, as they are now
     * @param placed   what is placed on each host already (by host id)
     * @throws ProvisioningException saying, host by host, why none fits
     */
    public String choose(long memoryMiB, int vcpus, List<HostStatus> statuses, Map<String, Placed> placed)
            throws ProvisioningException {
        List<String> why = new ArrayList<>();
        Optional<HostStatus> best = Optional.empty();
        long bestRoom = Long.MAX_VALUE;
        for (HostStatus h : statuses.stream().sorted(Comparator.comparing(HostStatus::hostId)).toList()) {
            if (!h.up()) {
                why.add(h.hostId() + " is down (" + h.reason() + ")");
                continue;
            }
            Placed there = placed.getOrDefault(h.hostId(), new Placed(0, 0));
            long memoryRoom = (long) (h.memoryMiB() * memoryOvercommit) - there.memoryMiB();
            long vcpuRoom = (long) h.cpus() * VCPUS_PER_CORE - there.vcpus();
            if (vcpus > h.cpus()) {
                why.add(h.hostId() + " has " + h.cpus() + " CPUs, fewer than the " + vcpus + " asked");
            } else if (memoryRoom < memoryMiB) {
                why.add(h.hostId() + " has room for " + Math.max(0, memoryRoom) + " MiB");
            } else if (vcpuRoom < vcpus) {
                why.add(h.hostId() + " has room for " + Math.max(0, vcpuRoom) + " vCPUs");
            } else if (memoryRoom - memoryMiB < bestRoom) {
                bestRoom = memoryRoom - memoryMiB;
                best = Optional.of(h);
            }
        }
        if (best.isPresent()) {
            return best.get().hostId();
        }
        throw new ProvisioningException("no host has room for " + memoryMiB + " MiB of RAM and " + vcpus + " vCPU"
                + (vcpus == 1 ? "" : "s") + (why.isEmpty() ? ": there are no hosts; add one with kvmstudio hosts add"
                        : ": " + String.join("; ", why)));
    }
}
