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
 * that a {@link ConsoleTunnels tunnel} carries there over SSH (claimed for the partition, so that no
 * other partition of the workspace, on any host, takes it); on another remote host, nowhere, and the
 * guest's status says so. Only a deployment claims or moves that port, as only it publishes the
 * address; looking at a guest keeps its tunnel open on the port it has.
 */
final class GuestConsole implements AutoCloseable {

    /** The purpose of the tunnel's claimed port. */
    static final String TUNNEL_PORT = "console-tunnel";
    /** Below libvirt's VNC and websocket ranges of the embedded host (25900 up), above the usual services. */
    static final int FIRST_TUNNEL_PORT = 24900;

    /**
     * @param port        where the console is reached from this machine, while the guest runs
     * @param direct      whether that is the guest's own websocket (its VNC display is then here too)
     * @param unreachable why a running guest's console is not reached from here, else empty
     */
    record Reach(OptionalInt port, boolean direct, String unreachable) {
        static final Reach NONE = new Reach(OptionalInt.empty(), false, "");
    }

    private final ConsoleTunnels tunnels = new ConsoleTunnels();

    /** The console's address as a guest publishes it ({@code backend-url}): a websocket on this machine's loopback. */
    static String backendUrl(int port) {
        return "ws://127.0.0.1:" + port + "/";
    }

    /** The SSH route to {@code host}'s loopback when its consoles are carried here; empty when they are not. */
    static Optional<SshRoute> carried(Host host) {
        return host.onThisMachine() ? Optional.empty() : SshRoute.of(host.uri());
    }

    /**
     * For a deployment: how the console of the guest of {@code context}'s partition is reached now
     * that it is {@code phase}, its websocket on {@code websocket} of {@code host}'s loopback; a
     * tunnel is opened, moved or closed to match. A tunnel that cannot be opened costs the console,
     * never the guest.
     */
    Reach reach(ProvisioningContext context, Host host, Status.Phase phase, OptionalInt websocket) {
        String id = context.partition().id();
        if (phase != Status.Phase.STARTED || websocket.isEmpty()) {
            tunnels.close(id);
            return Reach.NONE;
        }
        if (host.onThisMachine()) {
            tunnels.close(id); // its host may have been another machine before
            return new Reach(websocket, true, "");
        }
        Optional<SshRoute> route = carried(host);
        if (route.isEmpty()) {
            tunnels.close(id);
            return new Reach(OptionalInt.empty(), false, "running; its console listens on host " + host.id()
                    + "'s loopback (websocket port " + websocket.getAsInt() + "), which neither a frontend nor a window"
                    + " on this machine reaches: " + (SshRoute.isSsh(host.uri())
                            ? "KVM Studio cannot read the ssh part of the host's URI"
                            : "only the consoles of qemu+ssh:// hosts are carried here"));
        }
        try {
            return new Reach(OptionalInt.of(tunnel(context, route.get(), websocket.getAsInt())), false, "");
        } catch (ProvisioningException e) {
            tunnels.close(id);
            return new Reach(OptionalInt.empty(), false, "running; its console is not carried here from host "
                    + host.id() + ": " + e.getMessage());
        }
    }

    /**
     * For a look at a running guest whose console is {@link #carried} over {@code route} (an owner that
     * started, a host that came back, the periodic check): keeps its tunnel open on the port it has,
     * pointed at its websocket. Claims nothing.
     *
     * @param published the console address it published ({@code backend-url}), if any
     * @return why the guest must be deployed again for its console to be right (a port taken by another
     *         program, an address that names another port), else empty
     */
    Optional<String> keep(ProvisioningContext context, Host host, SshRoute route, int websocket, Optional<String> published) {
        try {
            OptionalInt claimed = context.claimedPort(TUNNEL_PORT);
            if (claimed.isEmpty() || !published.equals(Optional.of(backendUrl(claimed.getAsInt())))) {
                return Optional.of("its console is to be carried to another port of this machine");
            }
            try {
                tunnels.ensure(context.partition().id(), route, claimed.getAsInt(), websocket);
            } catch (BindException taken) {
                return Optional.of("port " + claimed.getAsInt() + " of this machine, its console's, is taken by another program");
            }
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of("its console cannot be carried here from host " + host.id() + ": " + e.getMessage());
        }
    }

    /** The tunnel's port on this machine, listening for {@code remotePort}: the claimed one, or another if a program took it. */
    private int tunnel(ProvisioningContext context, SshRoute route, int remotePort) throws ProvisioningException {
        String id = context.partition().id();
        try {
            for (int attempt = 1;; attempt++) {
                int port = context.claimLocalPort(TUNNEL_PORT, FIRST_TUNNEL_PORT,
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
            throw new ProvisioningException("cannot open the tunnel to its console: " + e.getMessage(), e);
        }
    }

    /** Closes partition {@code id}'s tunnel, if it has one (its guest stopped, or is destroyed). */
    void forget(String id) {
        tunnels.close(id);
    }

    /** Closes the consoles carried now; the next look at each guest carries it again. */
    void closeCarried() {
        tunnels.closeAll();
    }

    @Override
    public void close() {
        tunnels.close();
    }
}
