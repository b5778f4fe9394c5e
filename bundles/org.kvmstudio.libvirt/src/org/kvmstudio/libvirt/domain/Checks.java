package org.kvmstudio.libvirt.domain;

import java.util.regex.Pattern;

/**
 * The checks the records share. XML 1.0 cannot carry every {@code String}: NUL, most other C0 controls, lone
 * surrogates and U+FFFE/U+FFFF have no representation at all, not even as character references, and a
 * serializer that met one would write XML libvirt refuses. So free text is cleaned here (those characters
 * become U+FFFD) and identifying text (paths, names) is refused, since a changed path would name another file.
 */
final class Checks {

    /** The IPv4 form libvirt's schema accepts: four decimal octets without leading zeros. */
    private static final Pattern IPV4 = Pattern.compile(
            "((25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])\\.){3}(25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9][0-9]|[0-9])");

    /** Only what can appear in an IPv6 literal; no zone ({@code %eth0}), which libvirt and QEMU do not take here. */
    private static final Pattern IPV6_CHARS = Pattern.compile("[0-9A-Fa-f:.]{2,45}");

    private static final Pattern HOSTNAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    + "(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*");

    /** Linux's PATH_MAX; also keeps a domain's XML far below the size {@link DomainXmlReader} accepts back. */
    static final int MAX_PATH = 4096;

    private Checks() {
    }

    static <T> T required(T value, String what) {
        if (value == null) {
            throw new InvalidDomainSpecException(what + " is missing.");
        }
        return value;
    }

    static String maxLength(String value, int max, String what) {
        if (value.length() > max) {
            throw new InvalidDomainSpecException(what + " is " + value.length() + " characters long; at most " + max
                    + " are accepted.");
        }
        return value;
    }

    static boolean isXmlChar(int c) {
        return c == 0x9 || c == 0xA || c == 0xD || (c >= 0x20 && c <= 0xD7FF) || (c >= 0xE000 && c <= 0xFFFD)
                || (c >= 0x10000 && c <= 0x10FFFF);
    }

    /** {@code text} with what XML 1.0 cannot carry replaced by U+FFFD, and line ends made {@code \n}. */
    static String xmlText(String text) {
        StringBuilder clean = new StringBuilder(text.length());
        for (int i = 0; i < text.length();) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (c == '\r') {
                // libvirt writes a CR back raw, and a parser reads a raw CR as LF: keep what survives a round trip
                clean.append('\n');
                if (i < text.length() && text.charAt(i) == '\n') {
                    i++;
                }
            } else {
                clean.appendCodePoint(isXmlChar(c) ? c : 0xFFFD);
            }
        }
        return clean.toString();
    }

    /** {@code text} on one line: controls and line or paragraph separators become spaces, then as {@link #xmlText}. */
    static String singleLine(String text) {
        StringBuilder line = new StringBuilder(text.length());
        text.codePoints().forEach(c -> {
            int type = Character.getType(c);
            boolean breaks = Character.isISOControl(c) || type == Character.LINE_SEPARATOR
                    || type == Character.PARAGRAPH_SEPARATOR;
            line.appendCodePoint(breaks ? ' ' : isXmlChar(c) ? c : 0xFFFD);
        });
        return line.toString();
    }

    /** A value for a message: quoted, on one line, and short whatever the value holds. */
    static String quote(String value) {
        if (value == null) {
            return "(none)";
        }
        String line = singleLine(value);
        return "'" + (line.length() > 64 ? line.substring(0, 64) + "..." : line) + "'";
    }

    /** Refuses control characters and what XML cannot carry: they have no business in a name or a path. */
    static String printable(String value, String what) {
        value.codePoints().forEach(c -> {
            if (Character.isISOControl(c) || !isXmlChar(c)) {
                throw new InvalidDomainSpecException(what + " contains the control or invalid character U+"
                        + String.format("%04X", c) + ".");
            }
        });
        return value;
    }

    /** Refuses only what XML cannot carry: for values such as NBD export names, where a tab is legitimate. */
    static String xmlLegal(String value, String what) {
        value.codePoints().forEach(c -> {
            if (!isXmlChar(c)) {
                throw new InvalidDomainSpecException(what + " contains U+" + String.format("%04X", c)
                        + ", which XML cannot carry.");
            }
        });
        return value;
    }

    /**
     * An absolute path without {@code .} or {@code ..} segments, so that what the user sees is the file
     * libvirt opens; printable, because libvirt's schema refuses line breaks in paths.
     */
    static String absolutePath(String path, String what) {
        required(path, what);
        maxLength(path, MAX_PATH, what);
        printable(path, what);
        if (!path.startsWith("/") || path.length() < 2) {
            throw new InvalidDomainSpecException(what + " " + quote(path) + " is not an absolute path.");
        }
        for (String segment : path.split("/", -1)) {
            if (segment.equals(".") || segment.equals("..")) {
                throw new InvalidDomainSpecException(what + " " + quote(path) + " contains a '" + segment
                        + "' segment; give the path without it.");
            }
        }
        return path;
    }

    static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /**
     * Whether {@code text} is an IPv6 literal. {@link java.net.InetAddress#getByName} parses a string of hex
     * digits, colons and dots that contains a colon as a literal and never asks DNS; the pattern ensures that.
     */
    static boolean isIpv6(String text) {
        if (!IPV6_CHARS.matcher(text).matches() || text.indexOf(':') < 0) {
            return false;
        }
        try {
            java.net.InetAddress.getByName(text);
            return true;
        } catch (java.net.UnknownHostException notAnAddress) {
            return false;
        }
    }

    static boolean isHostname(String text) {
        return HOSTNAME.matcher(text).matches();
    }

    static int port(int port, String what) {
        if (port < 1 || port > 65535) {
            throw new InvalidDomainSpecException(what + " " + port + " is not a TCP port (1 to 65535).");
        }
        return port;
    }
}
