package org.kvmstudio.frontend.server;

import java.net.InetAddress;
import java.net.URI;
import java.util.concurrent.atomic.AtomicInteger;

import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.server.WebSocketNegotiator;
import org.eclipse.jetty.websocket.core.server.WebSocketUpgradeHandler;

/**
 * A websocket server on loopback that answers like a VNC websocket at the handshake (subprotocol
 * {@code binary}) and sends back every data frame prefixed with its name: enough to tell which backend
 * a relayed console reached. The real VNC server (QEMU's) is used by the end-to-end tests.
 */
final class EchoVncServer implements AutoCloseable {

    private final Server server = new Server();
    private final ServerConnector connector = new ServerConnector(server);
    final AtomicInteger connections = new AtomicInteger();
    final AtomicInteger open = new AtomicInteger();

    EchoVncServer(String name) throws Exception {
        connector.setHost(InetAddress.getLoopbackAddress().getHostAddress());
        server.addConnector(connector);
        WebSocketNegotiator negotiator = (request, response, callback) -> {
            if (request.hasSubProtocol("binary")) {
                response.setAcceptedSubProtocol("binary");
            }
            connections.incrementAndGet();
            return new Echo(name);
        };
        server.setHandler(new WebSocketUpgradeHandler(h -> h.addMapping("/", negotiator)));
        server.start();
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + connector.getLocalPort() + "/");
    }

    int port() {
        return connector.getLocalPort();
    }

    @Override
    public void close() throws Exception {
        server.stop();
    }

    private final class Echo implements FrameHandler {
        private final byte[] prefix;
        private CoreSession session;

        Echo(String name) {
            this.prefix = (name + ":").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        }

        @Override
        public void onOpen(CoreSession s, Callback callback) {
            session = s;
            open.incrementAndGet();
            callback.succeeded();
            s.demand();
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            if (frame.isDataFrame()) {
                // each message comes back whole, with the prefix before its first fragment
                boolean first = frame.getOpCode() != OpCode.CONTINUATION;
                java.nio.ByteBuffer payload = frame.getPayload().slice();
                java.nio.ByteBuffer out = java.nio.ByteBuffer.allocate((first ? prefix.length : 0) + payload.remaining());
                if (first) {
                    out.put(prefix);
                }
                out.put(payload).flip();
                session.sendFrame(new Frame(first ? OpCode.BINARY : OpCode.CONTINUATION, frame.isFin(), out), Callback.from(() -> {
                    callback.succeeded();
                    session.demand();
                }, callback::failed), false);
            } else {
                callback.succeeded();
                session.demand();
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
        }

        @Override
        public void onClosed(CloseStatus closeStatus, Callback callback) {
            open.decrementAndGet();
            callback.succeeded();
        }
    }
}
