package org.kvmstudio.libvirt.domain;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * QEMU's user-mode network (NAT inside the QEMU process, no bridge, no root on the host) with host ports
 * forwarded to the guest. libvirt 9.0 does not accept {@code <interface type='user'><backend type='passt'/>}
 * with {@code <portForward>}, so {@link DomainXmlWriter} passes this network to QEMU through libvirt's QEMU
 * namespace; see {@link QemuNetArgs} for the exact arguments and why they are safe.
 */
public record UserNetwork(NicModel adapterModel, List<PortForward> forwards) {

    /** Far more than an instance needs; bounds the QEMU command line. */
    static final int MAX_FORWARDS = 256;

    public UserNetwork {
        Checks.required(adapterModel, "The network adapter model");
        Checks.required(forwards, "The list of port forwards")
                .forEach(forward -> Checks.required(forward, "A port forward"));
        forwards = List.copyOf(forwards);
        if (forwards.size() > MAX_FORWARDS) {
            throw new InvalidDomainSpecException(forwards.size() + " ports are forwarded; at most " + MAX_FORWARDS
                    + " are accepted.");
        }
        Set<String> hostEnds = new HashSet<>();
        for (PortForward forward : forwards) {
            String hostEnd = forward.hostAddress().getHostAddress() + ":" + forward.hostPort();
            if (!hostEnds.add(hostEnd)) {
                throw new InvalidDomainSpecException("The host port " + hostEnd + " is forwarded twice.");
            }
        }
    }
}
