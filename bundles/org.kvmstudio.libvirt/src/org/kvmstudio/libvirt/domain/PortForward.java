package org.kvmstudio.libvirt.domain;

import java.net.Inet4Address;

/**
 * A TCP port of the host forwarded to a port of the guest. IPv4 only: QEMU 7.2's {@code hostfwd} refuses IPv6
 * host addresses ("Bad host address").
 */
public record PortForward(Inet4Address hostAddress, int hostPort, int guestPort) {

    public PortForward {
        Checks.required(hostAddress, "The forwarded host address");
        Checks.port(hostPort, "The forwarded host port");
        Checks.port(guestPort, "The guest port");
    }
}
