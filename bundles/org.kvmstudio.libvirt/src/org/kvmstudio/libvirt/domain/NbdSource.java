package org.kvmstudio.libvirt.domain;

import java.nio.charset.StandardCharsets;

/**
 * An export of an NBD server: {@code <disk type='network'><source protocol='nbd' name='...'><host name='...'
 * port='...'/></source>}. The host is a hostname, an IPv4 address or an IPv6 literal, written without
 * brackets as libvirt wants it ({@code [::1]} is accepted and stored as {@code ::1}). An empty export name
 * means the server's default export.
 */
public record NbdSource(String host, int port, String exportName) implements DiskSource {

    /** The NBD protocol's limit on export names, in bytes of UTF-8. */
    static final int MAX_EXPORT_NAME_BYTES = 4096;

    public NbdSource {
        Checks.required(host, "The NBD server host");
        if (host.length() > 2 && host.startsWith("[") && host.endsWith("]")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!Checks.isIpv4(host) && !Checks.isIpv6(host) && !Checks.isHostname(host)) {
            throw new InvalidDomainSpecException("The NBD server host " + Checks.quote(host)
                    + " is neither a hostname nor an IPv4 or IPv6 address.");
        }
        Checks.port(port, "The NBD server port");
        exportName = exportName == null ? "" : Checks.xmlLegal(exportName, "The NBD export name");
        int bytes = exportName.getBytes(StandardCharsets.UTF_8).length;
        if (bytes > MAX_EXPORT_NAME_BYTES) {
            throw new InvalidDomainSpecException("The NBD export name is " + bytes + " bytes long; NBD allows at most "
                    + MAX_EXPORT_NAME_BYTES + ".");
        }
    }
}
