package org.kvmstudio.libvirt;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.sshd.common.session.Session;
import org.apache.sshd.common.util.net.SshdSocketAddress;
import org.apache.sshd.server.SshServer;
import org.apache.sshd.server.config.keys.AuthorizedKeysAuthenticator;
import org.apache.sshd.server.forward.AcceptAllForwardingFilter;
import org.apache.sshd.server.forward.TcpForwardingFilter;
import org.apache.sshd.server.keyprovider.SimpleGeneratorHostKeyProvider;
import org.apache.sshd.server.shell.ProcessShellFactory;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.kvmstudio.libvirt.hosts.SshRoute;
import org.kvmstudio.libvirt.kvm.KvmProvisioner;
import org.kvmstudio.model.Host;
import org.kvmstudio.model.Partition;
import org.kvmstudio.model.RequestedState;

/**
 * A host reached over {@code qemu+ssh://}, as hypervisors usually are: a libvirtd of its own
 * (releng/scripts/libvirtd-host.sh) behind a real SSH server on 127.0.0.2 (Apache MINA SSHD, with key
 * authentication and TCP forwarding), reached by libvirt with the system's ssh. The console of a guest
 * there listens on that host's loopback; KVM Studio carries it to a port of this machine over SSH.
 */
class SshHostTest {

    static LibvirtFixture fx;
    static SshServer sshd;
    /** The websocket ports the SSH server was asked to reach (ssh -W): what proves a console went over SSH. */
    static final List<Integer> forwarded = new java.util.concurrent.CopyOnWriteArrayList<>();
    /** Whether the SSH server forwards TCP (an sshd with AllowTcpForwarding no refuses), and the ports it refused. */
    static volatile boolean forwarding = true;
    static final List<Integer> refused = new java.util.concurrent.CopyOnWriteArrayList<>();
    static Path keys;
    static String uri;

    @BeforeAll
    static void setUp() throws Exception {
        fx = LibvirtFixture.get();
        TwoHostsTest.host("start", "hostc", "16613", "6360");
        keys = Files.createTempDirectory(Path.of("/tmp"), "kst-ssh-");
        Process keygen = new ProcessBuilder("ssh-keygen", "-q", "-t", "ecdsa", "-b", "256", "-N", "", "-f",
                keys.resolve("id").toString()).redirectErrorStream(true).start();
        assertTrue(keygen.waitFor(30, TimeUnit.SECONDS) && keygen.exitValue() == 0, new String(keygen.getInputStream().readAllBytes()));
        // the ssh libvirt runs keeps what it learns of host keys in this test's folder, not in ~/.ssh
        Path ssh = keys.resolve("ssh");
        Files.writeString(ssh, "#!/bin/sh\nexec ssh -o UserKnownHostsFile=" + keys.resolve("known_hosts")
                + " -o GlobalKnownHostsFile=/dev/null \"$@\"\n");
        Files.setPosixFilePermissions(ssh, PosixFilePermissions.fromString("rwx------"));

        sshd = SshServer.setUpDefaultServer();
        sshd.setHost("127.0.0.2");
        sshd.setPort(0);
        SimpleGeneratorHostKeyProvider hostKey = new SimpleGeneratorHostKeyProvider(keys.resolve("host-key"));
        hostKey.setAlgorithm("EC");
        sshd.setKeyPairProvider(hostKey);
        sshd.setPublickeyAuthenticator(new AuthorizedKeysAuthenticator(keys.resolve("id.pub")));
        sshd.setForwardingFilter(new AcceptAllForwardingFilter() {
            @Override
            public boolean canConnect(TcpForwardingFilter.Type type, SshdSocketAddress address, Session session) {
                if (!forwarding) {
                    refused.add(address.getPort());
                    return false;
                }
                forwarded.add(address.getPort());
                return super.canConnect(type, address, session);
            }
        });
        // libvirt's netcat proxy runs "sh -c '... nc -U <socket>'" on the host
        sshd.setCommandFactory((channel, command) -> new ProcessShellFactory(command, List.of("/bin/sh", "-c", command))
                .createShell(channel));
        sshd.start();

        Path socket = TwoHostsTest.HOSTS.resolve("hostc").resolve("run").resolve("libvirt-sock");
        uri = new URI("qemu+ssh", "root", "127.0.0.2", sshd.getPort(), "/system", "socket=" + socket + "&proxy=netcat&keyfile="
                + keys.resolve("id") + "&no_verify=1&command=" + ssh, null).toASCIIString();
        fx.studio.hosts().add(new Host("hostc", "Host C, over SSH", uri));
    }

    @AfterAll
    static void tearDown() throws Exception {
        for (Partition p : fx.studio.engine().partitions()) {
            if ("hostc".equals(p.hostId()) && p.isRoot()) {
                fx.studio.engine().destroy(p.id());
            }
        }
        LibvirtFixture.waitFor("the partitions on host C to be destroyed", Duration.ofSeconds(60), () -> {
            fx.studio.engine().process(new org.eclipse.core.runtime.NullProgressMonitor());
            return fx.studio.engine().partitions().stream().noneMatch(p -> "hostc".equals(p.hostId()));
        });
        if (fx.studio.hosts().host("hostc").isPresent()) {
            fx.studio.hosts().remove("hostc");
        }
        TwoHostsTest.host("stop", "hostc");
        sshd.stop(true);
        try (var files = Files.walk(keys)) {
            files.sorted(java.util.Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
        }
    }

    /** The ssh processes this JVM started to carry consoles (with -W, or through netcat on the host). */
    static long carriers() {
        return ProcessHandle.current().descendants()
                .filter(h -> h.info().commandLine().map(c -> c.contains(" -W 127.0.0.1:") || c.contains("$ARG 127.0.0.1 "))
                        .orElse(false)).count();
    }

    /** Opens a websocket to a QEMU VNC websocket at {@code port} of this machine and returns what it says first. */
    static String consoleGreeting(int port) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            OutputStream out = s.getOutputStream();
            out.write(("GET / HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                    + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                    + "Sec-WebSocket-Protocol: binary\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = s.getInputStream();
            StringBuilder said = new StringBuilder();
            // the upgrade, then VNC's banner in the first binary frame
            for (int b; !said.toString().contains("RFB 003.") && (b = in.read()) >= 0;) {
                said.append((char) b);
            }
            return said.toString();
        }
    }

    @Test
    void theConsoleOfAGuestOnAnSshHostIsCarriedToAPortOfThisMachine() throws Exception {
        String ref = fx.reference("over-ssh");
        Partition p = fx.deploy(LibvirtFixture.smallVmOn(ref, "hostc"), Duration.ofSeconds(120));
        assertTrue(p.isReady(), p.status().message());
        assertEquals("hostc", p.hostId());
        String backend = p.connectionParameters().get("backend-url").map(Object::toString).orElseThrow(() ->
                new AssertionError("no console published: " + p.connectionParameters() + " / " + p.status().message()));
        int port = URI.create(backend).getPort();
        assertTrue(port >= 24900 && port < 25900, "a port of this machine's tunnel range: " + backend);
        assertTrue(p.connectionParameters().get("vnc-port").isEmpty(), "the VNC display itself is not carried");
        Partition entry = fx.studio.engine().partitions().stream()
                .filter(e -> e.shared() && e.instanceTree().equals(p.instanceTree())).findFirst().orElseThrow();
        assertEquals(Map.of("host", "127.0.0.1", "port", (long) port, "https", false), entry.parameters().asMap(),
                "the frontends of this machine are given the tunnel's port");
        int before = forwarded.size();
        String greeting = consoleGreeting(port);
        assertTrue(greeting.startsWith("HTTP/1.1 101") && greeting.contains("RFB 003."), greeting);
        assertEquals(before + 1, forwarded.size(), "the console went through the SSH server");
        LibvirtFixture.waitFor("the ssh of a closed console to end", Duration.ofSeconds(15), () -> carriers() == 0);

        // the owner goes away and comes back: the tunnel comes back on the same port once the host is looked at
        KvmProvisioner kvm = (KvmProvisioner) fx.session.provisioners().get(0);
        kvm.closeCarriedConsoles();
        assertThrows(ConnectException.class, () -> consoleGreeting(port));
        fx.studio.engine().observe(p.id());
        assertTrue(consoleGreeting(port).contains("RFB 003."), "carried again after the owner's start");

        // while the owner is away, another program takes the port: the guest is deployed again, to another port
        kvm.closeCarriedConsoles();
        int moved;
        try (java.net.ServerSocket squatter = new java.net.ServerSocket()) {
            squatter.bind(new InetSocketAddress("127.0.0.1", port));
            // the look finds it not ready (a controller of another test may already be deploying it again)
            fx.studio.engine().observe(p.id());
            Partition again = fx.converge(ref, Duration.ofSeconds(60));
            assertTrue(again.isReady(), again.status().message());
            moved = URI.create(again.connectionParameters().get("backend-url").orElseThrow().toString()).getPort();
            assertTrue(moved != port, "published anew: " + again.connectionParameters());
            assertTrue(consoleGreeting(moved).contains("RFB 003."), "carried on the new port");
        }

        // stopped, the guest's console is closed here too: libvirt may give its websocket to another guest
        fx.studio.engine().request(LibvirtFixture.smallVmOn(ref, "hostc").withState(RequestedState.STOPPED));
        Partition stopped = fx.converge(ref, Duration.ofSeconds(90));
        assertTrue(stopped.isReady(), stopped.status().message());
        assertTrue(stopped.connectionParameters().get("backend-url").isEmpty(), stopped.connectionParameters().toString());
        assertThrows(ConnectException.class, () -> consoleGreeting(moved));
        fx.studio.engine().observe(stopped.id());
        assertThrows(ConnectException.class, () -> consoleGreeting(moved), "a look at a stopped guest opens nothing");
        assertEquals(0, carriers(), "no ssh is left");
    }

    @Test
    void aHostThatRefusesToForwardIsReachedThroughNetcatOnItFromTheFirstConsoleOn() throws Exception {
        try (java.net.ServerSocket backend = new java.net.ServerSocket()) {
            backend.bind(new InetSocketAddress("127.0.0.1", 0));
            // as a console's server: the client speaks first, then the server answers
            Thread.ofPlatform().daemon().start(() -> {
                while (!backend.isClosed()) {
                    try {
                        Socket s = backend.accept();
                        Thread.ofPlatform().daemon().start(() -> {
                            try (s) {
                                String line = new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(),
                                        StandardCharsets.US_ASCII)).readLine();
                                s.getOutputStream().write(("RFB 003.008 heard " + line + "\n").getBytes(StandardCharsets.US_ASCII));
                                s.getInputStream().transferTo(OutputStream.nullOutputStream());
                            } catch (IOException gone) {
                                // the carrier ended
                            }
                        });
                    } catch (IOException closed) {
                        return;
                    }
                }
            });
            int before = refused.size();
            forwarding = false;
            org.kvmstudio.libvirt.hosts.ConsoleTunnel tunnel = org.kvmstudio.libvirt.hosts.ConsoleTunnel.open(
                    SshRoute.of(uri).orElseThrow(), 0, backend.getLocalPort());
            try {
                assertEquals("RFB 003.008 heard hello", talk(tunnel.localPort(), "hello"),
                        "refused with -W, the connection went on through netcat with what its client had sent");
                assertEquals(List.of(backend.getLocalPort()), refused.subList(before, refused.size()));
                assertEquals("RFB 003.008 heard again", talk(tunnel.localPort(), "again"));
                assertEquals(before + 1, refused.size(), "the next console goes through netcat at once");
            } finally {
                tunnel.close();
            }
            // a client that has said all it had and left before the refusal is not carried another way
            org.kvmstudio.libvirt.hosts.ConsoleTunnel fresh = org.kvmstudio.libvirt.hosts.ConsoleTunnel.open(
                    SshRoute.of(uri).orElseThrow(), 0, backend.getLocalPort());
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", fresh.localPort()), 5000);
                s.setSoTimeout(20_000);
                s.getOutputStream().write("bye\n".getBytes(StandardCharsets.US_ASCII));
                s.shutdownOutput();
                assertEquals(-1, s.getInputStream().read(), "closed, not left open through netcat");
                assertEquals(before + 2, refused.size());
            } finally {
                fresh.close();
                forwarding = true;
            }
            LibvirtFixture.waitFor("the ssh of the closed consoles to end", Duration.ofSeconds(20), () -> carriers() == 0);
        }
    }

    /** Says {@code line} to a port of this machine and returns the first line heard back. */
    private static String talk(int port, String line) throws IOException {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 5000);
            s.setSoTimeout(20_000);
            s.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
            return new java.io.BufferedReader(new java.io.InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
        }
    }

    @Test
    void anSshRouteIsLibvirtsOwnAndNoPartOfTheUriBecomesAnOptionOfSsh() {
        SshRoute route = SshRoute.of("qemu+ssh://admin@hv1.example.com:2222/system?keyfile=/k/id%20x&no_verify=1&command=/opt/ssh")
                .orElseThrow();
        assertEquals(List.of("/opt/ssh", "-T", "-e", "none", "-o", "BatchMode=yes", "-o", "LogLevel=INFO", "-o", "ConnectTimeout=15", "-o",
                "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3", "-p", "2222", "-l", "admin", "-i", "/k/id x", "-o",
                "StrictHostKeyChecking=no", "-W", "127.0.0.1:5700", "--", "hv1.example.com"), route.connectTo(5700));
        assertEquals(List.of("/opt/ssh", "-T", "-e", "none", "-o", "BatchMode=yes", "-o", "LogLevel=INFO", "-o", "ConnectTimeout=15", "-o",
                "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3", "-p", "2222", "-l", "admin", "-i", "/k/id x", "-o",
                "StrictHostKeyChecking=no", "--", "hv1.example.com", "sh -c 'if '\\''nc'\\'' -q 2>&1 | grep '\\''requires an argument'\\'' >/dev/null 2>&1; then ARG=-q0; else ARG=; fi; exec '\\''nc'\\'' $ARG 127.0.0.1 5700'"),
                route.connectThroughNetcat(5700));
        assertTrue(SshRoute.of("qemu+ssh://hv1/system?netcat=/opt/bin/nc.openbsd").orElseThrow().connectThroughNetcat(5700)
                .get(16).contains("exec '\\''/opt/bin/nc.openbsd'\\'' $ARG 127.0.0.1 5700"));
        // the host's login shell (POSIX or not) reads the netcat the URI names as it is: nothing else is taken
        assertFalse(SshRoute.of("qemu+ssh://hv1/system?netcat=/opt/my%20nc'%3B%20rm%20-rf%20~'").isPresent(), "a netcat a shell would split");
        assertFalse(SshRoute.of("qemu+ssh://hv1/system?netcat=nc%5C'").isPresent(), "a netcat with a quote");
        assertFalse(SshRoute.of("qemu+ssh://hv1/system?netcat=-e").isPresent(), "a netcat that is an option");
        assertFalse(SshRoute.of("qemu+ssh://hv1/system?netcat=").isPresent(), "no netcat at all");
        assertEquals("::1", SshRoute.of("qemu+ssh://[::1]/system").orElseThrow().destination());
        assertFalse(SshRoute.of("qemu+tcp://hv1/system").isPresent(), "not ssh");
        assertFalse(SshRoute.of("qemu+ssh://-oProxyCommand=x/system").isPresent(), "a host that would be an option");
        assertFalse(SshRoute.of("qemu+ssh://-x@hv1/system").isPresent(), "a user that would be an option");
        assertFalse(SshRoute.of("qemu+ssh://hv1/system?keyfile=-oProxyCommand=x").isPresent(), "a key file that would be an option");
        assertFalse(SshRoute.of("qemu+ssh://hv1/system?command=-x").isPresent(), "a command that would be an option");
        assertFalse(SshRoute.of("qemu+ssh://hv1/system?keyfile=%zz").isPresent(), "a bad escape");
        // as libvirt reads its parameters: any case, ';' between pairs, the last one given, no_verify a number
        SshRoute read = SshRoute.of("qemu+ssh://hv1/system?KeyFile=/a;Command=/opt/x&command=/opt/bastion-ssh&no_verify=2")
                .orElseThrow();
        assertEquals(java.util.Optional.of("/a"), read.keyFile());
        assertEquals("/opt/bastion-ssh", read.command());
        assertTrue(read.noVerify());
        assertFalse(SshRoute.of("qemu+ssh://hv1/system?no_verify=yes").isPresent(), "libvirt refuses that");
        assertEquals(java.util.Optional.of("ops@corp"), SshRoute.of("qemu+ssh://ops%40corp@hv1/system").orElseThrow().user());
    }
}
