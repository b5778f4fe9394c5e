package org.kvmstudio.frontend.server;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.eclipse.jetty.io.Connection;
import org.eclipse.jetty.io.EndPoint;
import org.eclipse.jetty.io.SocketChannelEndPoint;

/**
 * Closes a network connection at once when its client address already holds {@code max}: one
 * client, however slow or greedy, cannot take all of a frontend's connections from the others.
 */
final class PerClientLimit implements Connection.Listener {

    private final int max;
    private final Map<InetAddress, Integer> open = new ConcurrentHashMap<>();
    /** Whose each counted connection is: a closed channel no longer tells its remote address. */
    private final Map<Connection, InetAddress> clients = new ConcurrentHashMap<>();

    PerClientLimit(int max) {
        this.max = max;
    }

    @Override
    public void onOpened(Connection connection) {
        client(connection).ifPresent(address -> {
            clients.put(connection, address);
            if (open.merge(address, 1, Integer::sum) > max) {
                connection.getEndPoint().close(); // counted out again by onClosed
            }
        });
    }

    @Override
    public void onClosed(Connection connection) {
        InetAddress address = clients.remove(connection);
        if (address != null) {
            open.computeIfPresent(address, (a, n) -> n == 1 ? null : n - 1);
        }
    }

    /** The client of a network connection; empty for the connections TLS and websockets stack on it. */
    private static Optional<InetAddress> client(Connection connection) {
        EndPoint endPoint = connection.getEndPoint();
        if (endPoint instanceof SocketChannelEndPoint && endPoint.getRemoteSocketAddress() instanceof InetSocketAddress address) {
            return Optional.of(address.getAddress());
        }
        return Optional.empty();
    }
}
