package org.kvmstudio.libvirt.hosts;

import java.net.URI;
import java.net.URISyntaxException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.regex.Pattern;

/**
 * How this machine reaches a {@code qemu+ssh://} host's loopback: with the ssh libvirt itself runs for
 * that URI, so the same user, port, key file and host-key checking apply (libvirt's URI parameters
 * {@code keyfile}, {@code no_verify}, {@code command} and {@code netcat}, read as libvirt reads them).
 * A console goes through {@code ssh -W} ({@link #connectTo}), which needs the host's sshd to allow TCP
 * forwarding; where it does not, through netcat run on the host ({@link #connectThroughNetcat}), as
 * libvirt's own connection does. Each argument is its own word of the command; the destination comes
 * after {@code --}, so no part of a URI becomes an option of ssh.
 */
public record SshRoute(String command, String destination, Optional<String> user, OptionalInt port,
        Optional<String> keyFile, boolean noVerify, String netcat) {

    private static final Pattern NAME = Pattern.compile("(?!-)[A-Za-z0-9._:%-]+");
    private static final Pattern USER = Pattern.compile("(?!-)[A-Za-z0-9._@-]+");
    /** A netcat's name or path: what no shell (POSIX or not) reads as anything else. */
    private static final Pattern NETCAT = Pattern.compile("(?!-)[A-Za-z0-9_./+-]+");

    /** Whether a libvirt URI's transport is the ssh binary ({@code qemu+ssh://}, {@code xen+ssh://}...). */
    public static boolean isSsh(String libvirtUri) {
        int colon = libvirtUri.indexOf(':');
        return colon > 0 && libvirtUri.substring(0, colon).endsWith("+ssh");
    }

    /** The route of a libvirt URI whose transport is ssh; empty for any other URI, or one it cannot read. */
    public static Optional<SshRoute> of(String libvirtUri) {
        if (!isSsh(libvirtUri)) {
            return Optional.empty();
        }
        URI uri;
        try {
            uri = new URI(libvirtUri);
        } catch (URISyntaxException notAUri) {
            return Optional.empty();
        }
        String host = uri.getHost();
        if (host == null) {
            return Optional.empty();
        }
        String destination = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        Optional<String> user = Optional.ofNullable(uri.getUserInfo());
        Map<String, String> query;
        try {
            query = query(uri.getRawQuery());
        } catch (IllegalArgumentException badEscape) {
            return Optional.empty();
        }
        String command = query.getOrDefault("command", "ssh");
        String netcat = query.getOrDefault("netcat", "nc");
        Optional<String> keyFile = Optional.ofNullable(query.get("keyfile")).filter(s -> !s.isEmpty());
        boolean noVerify;
        try {
            noVerify = query.containsKey("no_verify") && Integer.parseInt(query.get("no_verify").strip()) != 0;
        } catch (NumberFormatException notANumber) {
            return Optional.empty(); // libvirt refuses such a URI
        }
        if (!NAME.matcher(destination).matches() || user.isPresent() && !USER.matcher(user.get()).matches()
                || command.isEmpty() || command.startsWith("-") || keyFile.isPresent() && keyFile.get().startsWith("-")
                || !NETCAT.matcher(netcat).matches()) {
            return Optional.empty(); // libvirt would not reach such a host either
        }
        return Optional.of(new SshRoute(command, destination, user, uri.getPort() > 0 ? OptionalInt.of(uri.getPort())
                : OptionalInt.empty(), keyFile, noVerify, netcat));
    }

    /** The command that connects its standard input and output to {@code port} on the host's loopback ({@code ssh -W}). */
    public List<String> connectTo(int port) {
        List<String> words = ssh();
        words.addAll(List.of("-W", "127.0.0.1:" + port, "--", destination));
        return List.copyOf(words);
    }

    /**
     * The same through netcat on the host, for a host whose sshd refuses to forward. ssh hands its remote
     * command to the host's login shell as one line: it is {@code sh -c} of a script, as libvirt's own is,
     * that gives netcat {@code -q0} where it takes it (OpenBSD's netcat, which otherwise outlives the end of
     * its input, and so the console), with the netcat's name quoted (and checked to need no quoting).
     */
    public List<String> connectThroughNetcat(int port) {
        String nc = shellQuoted(netcat);
        String script = "if " + nc + " -q 2>&1 | grep 'requires an argument' >/dev/null 2>&1; then ARG=-q0; else ARG=; fi; "
                + "exec " + nc + " $ARG 127.0.0.1 " + port;
        List<String> words = ssh();
        words.addAll(List.of("--", destination, "sh -c " + shellQuoted(script)));
        return List.copyOf(words);
    }

    private List<String> ssh() {
        // LogLevel: a refusal to forward is said at INFO, which a user's ssh_config may have silenced
        List<String> words = new ArrayList<>(List.of(command, "-T", "-e", "none", "-o", "BatchMode=yes", "-o", "LogLevel=INFO",
                "-o", "ConnectTimeout=15", "-o", "ServerAliveInterval=15", "-o", "ServerAliveCountMax=3"));
        this.port.ifPresent(p -> words.addAll(List.of("-p", Integer.toString(p))));
        user.ifPresent(u -> words.addAll(List.of("-l", u)));
        keyFile.ifPresent(k -> words.addAll(List.of("-i", k)));
        if (noVerify) {
            words.addAll(List.of("-o", "StrictHostKeyChecking=no"));
        }
        return words;
    }

    /** {@code word} as a POSIX shell reads it back unchanged: single-quoted, each quote closed, escaped, reopened. */
    static String shellQuoted(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }

    /** Percent-decoded as libvirt decodes its URIs: a '+' stays a '+'. */
    private static String decode(String text) {
        return URLDecoder.decode(text.replace("+", "%2B"), StandardCharsets.UTF_8);
    }

    /** The URI's parameters as libvirt reads them: pairs split at '&' or ';', names in any case, the last one given wins. */
    private static Map<String, String> query(String raw) {
        Map<String, String> values = new LinkedHashMap<>();
        if (raw != null) {
            for (String pair : raw.split("[&;]")) {
                int eq = pair.indexOf('=');
                values.put(decode(eq < 0 ? pair : pair.substring(0, eq)).toLowerCase(Locale.ROOT), eq < 0 ? "" : decode(pair.substring(eq + 1)));
            }
        }
        return values;
    }
}
