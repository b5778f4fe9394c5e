package org.kvmstudio.libvirt.hosts;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/** The console tunnels of the partitions whose guests run on {@code qemu+ssh://} hosts: one per partition. */
public final class ConsoleTunnels implements AutoCloseable {

    private final Map<String, ConsoleTunnel> byPartition = new HashMap<>();
    /** Once closed (the owner stops), a deployment or a look still under way opens none: nobody would close it. */
    private boolean closed;

    /**
     * Makes {@code localPort} reach {@code remotePort} of the host's loopback for partition {@code id}:
     * its tunnel as it is, pointed at the websocket where it moved, or a new one.
     */
    public synchronized void ensure(String id, SshRoute route, int localPort, int remotePort) throws IOException {
        if (closed) {
            throw new IOException("KVM Studio is stopping: no console tunnel is opened any more");
        }
        ConsoleTunnel tunnel = byPartition.get(id);
        if (tunnel != null && tunnel.isOpen() && tunnel.localPort() == localPort && tunnel.route().equals(route)) {
            tunnel.retarget(remotePort);
            return;
        }
        close(id);
        byPartition.put(id, ConsoleTunnel.open(route, localPort, remotePort));
    }

    /** Whether partition {@code id}'s tunnel listens on {@code port}: a port it may claim again. */
    public synchronized boolean holds(String id, int port) {
        ConsoleTunnel tunnel = byPartition.get(id);
        return tunnel != null && tunnel.isOpen() && tunnel.localPort() == port;
    }

    /** Closes partition {@code id}'s tunnel, and the consoles it carries. */
    public synchronized void close(String id) {
        ConsoleTunnel tunnel = byPartition.remove(id);
        if (tunnel != null) {
            tunnel.close();
        }
    }

    /** Closes every tunnel, and the consoles they carry; the next look at each guest opens its tunnel again. */
    public synchronized void closeAll() {
        byPartition.values().forEach(ConsoleTunnel::close);
        byPartition.clear();
    }

    /** Closes every tunnel for good: the owner stops. */
    @Override
    public synchronized void close() {
        closed = true;
        closeAll();
    }
}
