package org.kvmstudio.libvirt.kvm;

import java.io.IOException;
import java.net.BindException;
import java.util.Optional;
import java.util.OptionalInt;

import org.kvmstudio.core.provisioning.ProvisioningContext;
import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.libvirt.hosts.ConsoleTunnels;
import org.kvmstudio.libvirt.hosts.FreePorts;
import org.kvmstudio.libvirt.hosts.SshRoute;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.Status;

/**
 * Where this machine reaches a running guest's console, a VNC websocket that listens on its host's
 * loopback: there itself on this machine; on a {@code qemu+ssh://} host, at a port of this machine
 * that a {@link ConsoleTunnels tunnel} carries there over SSH (the same port on every run, claimed
 * like any port of a partition); on another remote host, nowhere, and the guest's status says so.
 */
final class GuestConsole implements AutoCloseable {

    /** The purpose of the tunnel's claimed port. */
    static final String TUNNEL_PORT = "console-tunnel";
    /** Below libvirt's VNC and websocket ranges of the embedded host (25900 up), above the usual services. */
    static final int FIRST_TUNNEL_PORT = 24900;

    /**
     * @param port        where the console is reached from this machine, while the guest runs
     * @param direct      whether that is the guest's own websocket (its VNC display is then here too)
     * @param unreachable why a running guest's console cannot be reached from here, else empty
     */
    record Reach(OptionalInt port, boolean direct, String unreachable) {
        static final Reach NONE = new Reach(OptionalInt.empty(), false, "");
    }

    private final ConsoleTunnels tunnels = new ConsoleTunnels();

    /**
     * How the console of the guest of {@code context}'s partition is reached now that it is
     * {@code phase}, its websocket on {@code websocket} of {@code host}'s loopback; a tunnel is opened,
     * moved or closed to match.
     */
    Reach reach(ProvisioningContext context, Host host, Status.Phase phase, OptionalInt websocket) throws ProvisioningException {
        String id = context.partition().id();
        if (phase != Status.Phase.STARTED || websocket.isEmpty()) {
            tunnels.close(id);
            return Reach.NONE;
        }
        if (host.onThisMachine()) {
            return new Reach(websocket, true, "");
        }
        Optional<SshRoute> route = SshRoute.of(host.uri());
        if (route.isEmpty()) {
            return new Reach(OptionalInt.empty(), false, "running; its console listens on host " + host.id()
                    + "'s loopback (websocket port " + websocket.getAsInt() + "), which neither a frontend nor a window"
                    + " on this machine reaches: only the consoles of qemu+ssh:// hosts are carried here");
        }
        return new Reach(OptionalInt.of(tunnel(context, route.get(), websocket.getAsInt())), false, "");
    }

    /** The tunnel's port on this machine, listening for {@code remotePort}: the claimed one, or another if a program took it. */
    private int tunnel(ProvisioningContext context, SshRoute route, int remotePort) throws ProvisioningException {
        String id = context.partition().id();
        try {
            for (int attempt = 1;; attempt++) {
                int port = context.claimPort(TUNNEL_PORT, FIRST_TUNNEL_PORT,
                        candidate -> tunnels.holds(id, candidate) || FreePorts.free("127.0.0.1", candidate));
                try {
                    tunnels.ensure(id, route, port, remotePort);
                    return port;
                } catch (BindException taken) {
                    if (attempt == 2) {
                        throw taken;
                    }
                    context.releasePort(TUNNEL_PORT); // taken by another program since it was claimed
                }
            }
        } catch (IOException e) {
            throw new ProvisioningException("cannot open the tunnel to the console on host " + route.destination()
                    + ": " + e.getMessage(), e);
        }
    }

    /** Closes partition {@code id}'s tunnel, if it has one (its guest stopped, or is destroyed). */
    void forget(String id) {
        tunnels.close(id);
    }

    @Override
    public void close() {
        tunnels.close();
    }
}
