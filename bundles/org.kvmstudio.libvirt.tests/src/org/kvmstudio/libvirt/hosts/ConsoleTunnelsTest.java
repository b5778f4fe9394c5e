package org.kvmstudio.libvirt.hosts;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;

import org.junit.jupiter.api.Test;

/**
 * The tunnels' lifecycle as the owner sees it (what they carry, over a real ssh to a real libvirtd:
 * {@code SshHostTest}). Nothing here connects, so no ssh is run.
 */
class ConsoleTunnelsTest {

    private final SshRoute route = SshRoute.of("qemu+ssh://nobody@192.0.2.1/system").orElseThrow();

    @Test
    void aTunnelListensUntilClosedAndNoneOpensOnceTheOwnerStops() throws IOException {
        ConsoleTunnels tunnels = new ConsoleTunnels();
        int port = freePort();
        tunnels.ensure("SOFTINST-1", route, port, 5700);
        tunnels.closeAll(); // as a restart of the owner leaves them: the next look opens them again
        assertTrue(FreePorts.free("127.0.0.1", port), "free as soon as closed");
        tunnels.ensure("SOFTINST-1", route, port, 5700);
        assertTrue(tunnels.holds("SOFTINST-1", port));
        assertFalse(FreePorts.free("127.0.0.1", port), "the tunnel listens on the loopback");

        tunnels.close();
        assertFalse(tunnels.holds("SOFTINST-1", port));
        assertTrue(FreePorts.free("127.0.0.1", port), "closing the owner's tunnels frees their ports at once");

        // a deployment that was under way when the owner stopped
        IOException refused = assertThrows(IOException.class, () -> tunnels.ensure("SOFTINST-2", route, port, 5701));
        assertTrue(refused.getMessage().contains("stopping"), refused.getMessage());
        assertFalse(tunnels.holds("SOFTINST-2", port));
        assertTrue(FreePorts.free("127.0.0.1", port), "nothing listens that nobody would close");
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
