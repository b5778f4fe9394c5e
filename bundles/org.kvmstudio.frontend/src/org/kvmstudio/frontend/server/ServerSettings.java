package org.kvmstudio.frontend.server;

import java.net.IDN;
import java.util.Locale;
import java.util.Objects;
import java.util.OptionalInt;

/**
 * How a frontend's server listens: the domain it answers for (any other Host is refused), its HTTPS
 * port, the plain HTTP port that redirects to it (if any), and the limits that keep one client from
 * starving the others.
 *
 * @param maxConnections          network connections open at once, all clients together
 * @param maxConnectionsPerClient network connections open at once from one client address
 * @param maxConsoles             websockets open at once to one entry
 * @param maxConsolesPerClient    websockets open at once to one entry from one client address
 * @param maxRequestsPerSecondPerClient requests one client (an IPv4 address, an IPv6 /64) may send per
 *                                second once it has sent a burst of {@value #BURST_SECONDS} seconds' worth (a
 *                                console page loads about sixty files, and may be reloaded); a client that goes
 *                                on faster is refused until it pauses; 0 for no limit
 */
public record ServerSettings(String domain, int port, OptionalInt redirectPort, int maxConnections, int maxConnectionsPerClient,
        int maxConsoles, int maxConsolesPerClient, int maxRequestsPerSecondPerClient) {

    public static final int DEFAULT_MAX_CONNECTIONS = 512;
    public static final int DEFAULT_MAX_CONNECTIONS_PER_CLIENT = 64;
    public static final int DEFAULT_MAX_CONSOLES = 16;
    public static final int DEFAULT_MAX_CONSOLES_PER_CLIENT = 4;
    public static final int DEFAULT_MAX_REQUESTS_PER_SECOND_PER_CLIENT = 50;
    /** How many seconds' worth of requests a client may send at once before its rate counts. */
    public static final int BURST_SECONDS = 12;

    public ServerSettings {
        domain = asciiDomain(domain);
        checkPort(port);
        redirectPort.ifPresent(ServerSettings::checkPort);
        if (redirectPort.isPresent() && redirectPort.getAsInt() == port && port != 0) {
            throw new IllegalArgumentException("the HTTP redirection port cannot be the HTTPS port " + port);
        }
        if (maxConnections < 1 || maxConnectionsPerClient < 1 || maxConsoles < 1 || maxConsolesPerClient < 1
                || maxRequestsPerSecondPerClient < 0) {
            throw new IllegalArgumentException("limits must be positive");
        }
    }

    public ServerSettings(String domain, int port, OptionalInt redirectPort) {
        this(domain, port, redirectPort, DEFAULT_MAX_CONNECTIONS, DEFAULT_MAX_CONNECTIONS_PER_CLIENT, DEFAULT_MAX_CONSOLES,
                DEFAULT_MAX_CONSOLES_PER_CLIENT, DEFAULT_MAX_REQUESTS_PER_SECOND_PER_CLIENT);
    }

    /** These settings with another request rate per client ({@code 0}: none). */
    public ServerSettings withMaxRequestsPerSecondPerClient(int rate) {
        return new ServerSettings(domain, port, redirectPort, maxConnections, maxConnectionsPerClient, maxConsoles,
                maxConsolesPerClient, rate);
    }

    /** The domain as it appears in Host headers and certificates: IDNA ASCII, lower case. */
    public static String asciiDomain(String domain) {
        Objects.requireNonNull(domain, "domain");
        String ascii = IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES).toLowerCase(Locale.ROOT);
        if (ascii.isEmpty() || ascii.endsWith(".")) {
            throw new IllegalArgumentException("not a domain name: " + domain);
        }
        return ascii;
    }

    private static void checkPort(int port) {
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("not a TCP port: " + port);
        }
    }
}
