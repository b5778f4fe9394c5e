package org.kvmstudio.libvirt.hosts;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/** The bind test of a port this machine would listen on (an NBD export, an upload endpoint, a console tunnel). */
public final class FreePorts {

    private FreePorts() {
    }

    /** Whether nothing listens on {@code address:port} now. */
    public static boolean free(String address, int port) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(InetAddress.getByName(address), port));
            return true;
        } catch (IOException taken) {
            return false;
        }
    }
}
