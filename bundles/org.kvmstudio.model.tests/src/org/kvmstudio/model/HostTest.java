package org.kvmstudio.model;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which hosts run their guests on this machine: what a frontend here can reach at their loopback. */
class HostTest {

    @Test
    void localUrisAreOnThisMachineAndRemoteOnesAreNot() {
        for (String local : new String[] {"qemu:///embed", "qemu:///embed?root=/tmp/ws/libvirt", "qemu:///system",
            "qemu+unix:///system", "qemu+ssh://localhost/system", "qemu+tcp://127.0.0.1/system"}) {
            assertTrue(new Host("h", null, local).onThisMachine(), local);
        }
        for (String remote : new String[] {"qemu+ssh://root@hv1.example.com/system", "qemu+tcp://10.0.0.2/system",
            "qemu+tls://[2001:db8::1]/system"}) {
            assertFalse(new Host("h", null, remote).onThisMachine(), remote);
        }
    }
}
