package org.kvmstudio.libvirt.hosts;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.kvmstudio.core.provisioning.ProvisioningException;
import org.kvmstudio.libvirt.domain.VirtType;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.HostStatus;
import org.libvirt.Connect;
import org.libvirt.LibvirtException;
import org.libvirt.NodeInfo;

/**
 * The connection to one hypervisor host: opened on first use, watched (libvirt's close callback,
 * keepalive), and re-opened with back-off when lost, up to a minute apart. A host that is down says
 * so with libvirt's reason; callers get a {@link ProvisioningException} carrying it.
 *
 * <p>libvirt connections are thread-safe: one per host serves every job.
 */
public final class HostConnection {

    private static final Duration FIRST_RETRY = Duration.ofSeconds(1);
    private static final Duration LONGEST_RETRY = Duration.ofMinutes(1);

    private final Host host;
    private final String uri;
    private final HostListener listener;
    private final ScheduledExecutorService scheduler;
    private final Executor callbacks;
    private Connect connect;
    private org.libvirt.event.LifecycleListener lifecycle;
    private VirtType virtType;
    private HostStatus status;
    /** How old the CPUs and memory a placement counts with may be (a host may gain or lose some). */
    private static final Duration CAPACITY_AGE = Duration.ofSeconds(30);
    /** The host's CPUs and memory as last read, and when ({@link System#nanoTime()}). */
    private NodeInfo node;
    private long nodeRead;
    private Duration nextRetry = FIRST_RETRY;
    private ScheduledFuture<?> reconnect;
    private boolean closed;

    /**
     * @param uri       the libvirt URI to open (for the embedded host, with its root)
     * @param callbacks where libvirt's callbacks hand their work, in order, off the event-loop thread
     */
    public HostConnection(Host host, String uri, HostListener listener, ScheduledExecutorService scheduler,
            Executor callbacks) {
        this.host = host;
        this.uri = uri;
        this.listener = listener;
        this.scheduler = scheduler;
        this.callbacks = callbacks;
        this.status = HostStatus.down(host.id(), "not connected yet", Instant.now());
    }

    public Host host() {
        return host;
    }

    /**
     * The live connection, opened now if needed. While the host is down and a reconnection is
     * scheduled, fails at once with the recorded reason rather than waiting for another timeout: the
     * scheduled attempt, with its back-off, is the one that reconnects.
     */
    public synchronized Connect connect() throws ProvisioningException {
        return connect(false);
    }

    private synchronized Connect connect(boolean scheduled) throws ProvisioningException {
        if (closed) {
            throw new ProvisioningException("the connection to host '" + host.id() + "' is closed");
        }
        if (connect != null) {
            try {
                if (connect.isAlive()) {
                    return connect;
                }
            } catch (LibvirtException e) {
                // fall through: the connection is gone
            }
            lost("the connection was lost");
        }
        if (!scheduled && reconnect != null && !reconnect.isDone()) {
            throw new ProvisioningException("host '" + host.id() + "' (" + host.uri() + ") is down: " + status.reason());
        }
        try {
            open();
            return connect;
        } catch (LibvirtException | RuntimeException e) {
            String reason = e instanceof LibvirtException le ? LibvirtErrors.describe(le) : e.getMessage();
            status = HostStatus.down(host.id(), reason, Instant.now());
            scheduleReconnect();
            throw new ProvisioningException("host '" + host.id() + "' (" + host.uri() + ") is down: " + reason, e);
        }
    }

    /** How guests run on this host, probed from its capabilities when it was last connected. */
    public synchronized VirtType virtType() throws ProvisioningException {
        connect();
        return virtType;
    }

    public synchronized HostStatus status() {
        return status;
    }

    /** Reads the host's capacity again (CPUs and memory too, which a host may gain or lose) and returns the status. */
    public HostStatus refresh() {
        return refresh(true);
    }

    /**
     * Reads again what changes as guests start, the free memory, for a placement: the CPUs and memory
     * read with it are at most {@link #CAPACITY_AGE} old (reading them took 3 ms of every request).
     */
    public HostStatus refreshFreeMemory() {
        return refresh(false);
    }

    private HostStatus refresh(boolean capacityToo) {
        try {
            Connect c = connect();
            synchronized (this) {
                if (capacityToo || System.nanoTime() - nodeRead > CAPACITY_AGE.toNanos()) {
                    node = c.nodeInfo();
                    nodeRead = System.nanoTime();
                }
                status = describe(c, node);
                return status;
            }
        } catch (ProvisioningException | LibvirtException e) {
            return status();
        }
    }

    public synchronized void close() {
        closed = true;
        if (reconnect != null) {
            reconnect.cancel(false);
        }
        release();
        status = HostStatus.down(host.id(), "disconnected", Instant.now());
    }

    private void open() throws LibvirtException {
        LibvirtEventLoop.ensureRunning();
        Connect c = new Connect(uri);
        if (!host.embedded() && !uri.startsWith("qemu:///")) {
            try {
                c.setKeepAlive(5, 3); // a dead remote host is noticed in about 20 s rather than never
            } catch (LibvirtException unsupported) {
                // a driver without keepalives is checked with isAlive() on every use
            }
        }
        try {
            virtType = Capabilities.virtualization(c.getCapabilities());
            org.libvirt.event.LifecycleListener onLifecycle = (domain, event) -> {
                try {
                    String name = domain.getName();
                    String detail = String.valueOf(event.getDetail());
                    String type = String.valueOf(event.getType());
                    domain.free();
                    callbacks.execute(() -> listener.domainChanged(host.id(), name, type, detail));
                } catch (LibvirtException | java.util.concurrent.RejectedExecutionException gone) {
                    // the domain vanished before we could name it, or the session closed: nothing to report
                }
                return 0;
            };
            c.addLifecycleListener(onLifecycle);
            lifecycle = onLifecycle;
            try {
                c.registerCloseListener((closing, reason) -> callbacks.execute(() -> {
                    synchronized (HostConnection.this) {
                        if (connect == closing) {
                            lost("libvirt closed the connection (" + reason + ")");
                        }
                    }
                }));
            } catch (LibvirtException unsupported) {
                // drivers without close callbacks are checked with isAlive() on every use
            }
            NodeInfo read = c.nodeInfo();
            status = describe(c, read);
            node = read;
            nodeRead = System.nanoTime();
        } catch (LibvirtException | RuntimeException e) {
            try {
                c.close();
            } catch (LibvirtException ignored) {
                // already failing
            }
            throw e;
        }
        connect = c;
        nextRetry = FIRST_RETRY;
        callbacks.execute(() -> listener.hostUp(host.id()));
    }

    private HostStatus describe(Connect c, NodeInfo node) throws LibvirtException {
        return new HostStatus(host.id(), true, "", node.cpus, node.memory / 1024, c.getFreeMemory() / (1024 * 1024),
                virtType.libvirtName(), Instant.now());
    }

    /** Called with this lock held. */
    private void lost(String reason) {
        release();
        status = HostStatus.down(host.id(), reason, Instant.now());
        callbacks.execute(() -> listener.hostDown(host.id(), reason));
        scheduleReconnect();
    }

    private void release() {
        if (connect != null) {
            Connect c = connect;
            connect = null;
            try {
                // registered callbacks hold references on the connection: without this it is never closed
                if (lifecycle != null) {
                    c.removeLifecycleListener(lifecycle);
                }
                c.unregisterCloseListener();
            } catch (LibvirtException ignored) {
                // a broken connection has nothing left to call back
            }
            lifecycle = null;
            try {
                c.close();
            } catch (LibvirtException ignored) {
                // a connection already broken cannot be closed cleanly either
            }
        }
    }

    private void scheduleReconnect() {
        if (closed || (reconnect != null && !reconnect.isDone())) {
            return;
        }
        Duration delay = nextRetry;
        nextRetry = nextRetry.multipliedBy(2).compareTo(LONGEST_RETRY) > 0 ? LONGEST_RETRY : nextRetry.multipliedBy(2);
        reconnect = scheduler.schedule(() -> {
            synchronized (HostConnection.this) {
                reconnect = null; // this attempt is running: a failure schedules the next one
            }
            try {
                connect(true);
            } catch (ProvisioningException stillDown) {
                // connect(true) scheduled the next attempt and recorded why
            }
        }, delay.toMillis(), TimeUnit.MILLISECONDS);
    }
}
