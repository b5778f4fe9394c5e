package org.kvmstudio.frontend.server;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CloseStatus;
import org.eclipse.jetty.websocket.core.Configuration;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.FrameHandler;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.client.CoreClientUpgradeRequest;
import org.eclipse.jetty.websocket.core.client.WebSocketCoreClient;

/**
 * One console connection: the browser's websocket (accepted by the frontend) paired with a websocket
 * to the VM's VNC server. Data frames go across as they come, with at most {@link #MAX_IN_FLIGHT} per
 * direction read from one side and not yet written to the other: a slow reader slows its writer down
 * instead of filling the frontend's memory. A close on either side closes the other; so does removing
 * the entry ({@link #close()}).
 */
final class ConsoleRelay {

    /** How long a side may take to answer a close before its connection is cut. */
    static final Duration CLOSE_TIMEOUT = Duration.ofSeconds(5);
    /** How long a VNC server may take to accept the websocket. */
    static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(10);
    /** VNC frames are framebuffer updates: large, but bounded. */
    static final long MAX_FRAME = 4L * 1024 * 1024;
    /** A console left open and idle this long is closed. */
    static final Duration CONSOLE_IDLE = Duration.ofHours(1);
    /** Reads and writes in pieces of this size: Jetty's 4 KiB default costs a third of the throughput. */
    static final int BUFFER = 64 * 1024;
    /**
     * Frames read from one side before the oldest of them is written to the other: a few overlap a
     * read with a write; more would only buffer.
     */
    static final int MAX_IN_FLIGHT = 4;

    /** The settings of both sides of a console. */
    static void configure(Configuration configuration) {
        configuration.setIdleTimeout(CONSOLE_IDLE);
        configuration.setMaxFrameSize(MAX_FRAME);
        configuration.setInputBufferSize(BUFFER);
        configuration.setOutputBufferSize(BUFFER);
    }

    private final WebSocketCoreClient client;
    private final URI backend;
    private final Consumer<ConsoleRelay> onClosed;
    private final InetAddress browserAddress;
    private final Side browser = new Side("browser");
    private final Side vnc = new Side("VNC server");
    private final AtomicBoolean closed = new AtomicBoolean();
    /** Set by {@link #close()}: a side that opens afterwards is closed at once. */
    private final AtomicBoolean closing = new AtomicBoolean();

    /**
     * @param browserAddress the address the browser connects from
     * @param onClosed       told once, when both sides are done (or the browser's never opened)
     */
    ConsoleRelay(WebSocketCoreClient client, URI backend, InetAddress browserAddress, Consumer<ConsoleRelay> onClosed) {
        this.client = client;
        this.browserAddress = browserAddress;
        this.backend = backend;
        this.onClosed = onClosed;
        browser.peer = vnc;
        vnc.peer = browser;
    }

    /** Where each side stands, for a person reading why a console is still counted. */
    @Override
    public String toString() {
        return "console to " + backend + ": browser " + browser.state() + ", VNC server " + vnc.state()
                + (closing.get() ? ", closing" : "") + (closed.get() ? ", closed" : "");
    }

    /** The address the browser connects from. */
    InetAddress client() {
        return browserAddress;
    }

    /** The side that faces the browser, for the frontend's upgrade. */
    FrameHandler browserSide() {
        return browser;
    }

    /** Closes both sides: the entry was removed or the frontend stops. */
    void close() {
        closing.set(true);
        browser.closeWith(CloseStatus.SHUTDOWN, "the console entry was removed");
        vnc.closeWith(CloseStatus.NORMAL, "");
    }

    private void connectVnc(Callback browserOpened) {
        if (closing.get()) {
            browserOpened.failed(new IOException("the console entry was removed"));
            return;
        }
        CoreClientUpgradeRequest upgrade = CoreClientUpgradeRequest.from(client, backend, vnc);
        String subProtocol = browser.session.getNegotiatedSubProtocol();
        if (subProtocol != null && !subProtocol.isEmpty()) {
            upgrade.setSubProtocols(subProtocol); // what the browser and the frontend agreed on ("binary")
        }
        upgrade.timeout(CONNECT_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
        Configuration.ConfigurationCustomizer settings = new Configuration.ConfigurationCustomizer();
        configure(settings);
        upgrade.setConfiguration(settings);
        try {
            client.connect(upgrade).whenComplete((session, failure) -> {
                if (failure != null) {
                    browserOpened.failed(new IOException("the console's VNC server does not answer", failure));
                    return;
                }
                if (closing.get()) { // removed while the VNC server answered
                    session.close(CloseStatus.NORMAL, "", Callback.NOOP);
                    browserOpened.failed(new IOException("the console entry was removed"));
                    return;
                }
                browserOpened.succeeded();
                browser.session.demand();
                vnc.session.demand();
                if (closing.get()) { // removed meanwhile, when closing found a side not open yet
                    close();
                }
            });
        } catch (IOException | RuntimeException e) {
            browserOpened.failed(e);
        }
    }

    private final class Side implements FrameHandler {
        private final String name;
        private Side peer;
        private volatile CoreSession session;
        private final AtomicBoolean done = new AtomicBoolean();
        /** Frames read from this side and not yet written to the other. */
        private final AtomicInteger inFlight = new AtomicInteger();

        Side(String name) {
            this.name = name;
        }

        @Override
        public void onOpen(CoreSession opened, Callback callback) {
            session = opened;
            if (this == browser) {
                connectVnc(callback); // the browser's side is open once the VNC server's is
            } else {
                callback.succeeded();
            }
        }

        @Override
        public void onFrame(Frame frame, Callback callback) {
            switch (frame.getOpCode()) {
                case OpCode.TEXT, OpCode.BINARY, OpCode.CONTINUATION -> {
                    CoreSession out = peer.session;
                    int pending = inFlight.incrementAndGet();
                    // a fresh frame: masking is each side's own business; its payload is Jetty's until the callback
                    out.sendFrame(new Frame(frame.getOpCode(), frame.isFin(), frame.getPayload()), Callback.from(() -> {
                        callback.succeeded();
                        if (inFlight.getAndDecrement() == MAX_IN_FLIGHT) {
                            session.demand(); // the read this side held back, now that a write is done
                        }
                    }, failure -> {
                        callback.failed(failure);
                        peer.closeWith(CloseStatus.SERVER_ERROR, "");
                    }), false);
                    if (pending < MAX_IN_FLIGHT && out.isOutputOpen()) { // no more reads once the other side failed
                        session.demand();
                    }
                }
                case OpCode.CLOSE -> {
                    CloseStatus status = CloseStatus.getCloseStatus(frame);
                    callback.succeeded(); // Jetty answers the close itself
                    peer.closeWith(status.getCode(), status.getReason());
                }
                default -> { // ping and pong are each hop's own; Jetty answers pings
                    callback.succeeded();
                    session.demand();
                }
            }
        }

        @Override
        public void onError(Throwable cause, Callback callback) {
            callback.succeeded();
            peer.closeWith(this == vnc ? CloseStatus.BAD_GATEWAY : CloseStatus.NORMAL, this == vnc ? "the VNC server failed" : "");
        }

        @Override
        public void onClosed(CloseStatus status, Callback callback) {
            done.set(true);
            callback.succeeded();
            peer.closeWith(status.getCode(), status.getReason());
            if ((peer.done.get() || peer.session == null) && closed.compareAndSet(false, true)) {
                onClosed.accept(ConsoleRelay.this);
            }
        }

        void closeWith(int code, String reason) {
            CoreSession s = session;
            if (s == null || done.get()) {
                return; // not open yet (closing stops it opening) or already closed
            }
            if (s.isOutputOpen()) {
                int sendable = CloseStatus.isTransmittableStatusCode(code) ? code : CloseStatus.NORMAL;
                s.close(sendable, reason == null ? "" : reason, Callback.NOOP);
            }
            // the answer may never be read (this side holds its reads back while its writes are stuck) or
            // never come: the connection is cut after a while, so that the relay always ends and is counted out
            client.getHttpClient().getScheduler().schedule(() -> {
                if (!done.get()) {
                    s.abort();
                }
            }, CLOSE_TIMEOUT);
        }

        String state() {
            CoreSession s = session;
            return s == null ? "not open" : (done.get() ? "done" : s.isOutputOpen() ? "open" : "closing") + ", " + inFlight.get() + " in flight";
        }

        @Override
        public String toString() {
            return name + " side of the console relay to " + backend;
        }
    }
}
