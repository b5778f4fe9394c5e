package org.kvmstudio.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's web files: our pages and noVNC, served by the loopback {@link ConsoleServer} and
 * by the frontend. Only names of such files are looked up: no dot-dot, no percent-encoding, no
 * other resource of the bundle (classes, manifest).
 */
public final class ConsoleFiles {

    /** A file and the type to send it with. */
    public record File(byte[] bytes, String contentType) {
    }

    private static final Pattern NAME = Pattern.compile("(novnc/)?[A-Za-z0-9_-]+(/[A-Za-z0-9_-]+)*\\.[a-z]{2,5}");
    private static final Map<String, String> TYPES = Map.of("html", "text/html; charset=utf-8", "js", "text/javascript",
            "css", "text/css", "svg", "image/svg+xml", "png", "image/png", "json", "application/json", "txt", "text/plain; charset=utf-8");
    /** The files are small (noVNC's core is about 1 MB) and read again for every console; only those found are kept. */
    private static final Map<String, File> CACHE = new ConcurrentHashMap<>();

    private ConsoleFiles() {
    }

    /**
     * The headers every answer of a console server carries: nothing cached or sniffed, no referrer,
     * never framed, and a page that loads only its own files and talks only to {@code connectSources}
     * (the CSP source list of the websockets it may open).
     */
    public static Map<String, String> securityHeaders(String connectSources) {
        return Map.of("Cache-Control", "no-store", "X-Content-Type-Options", "nosniff", "Referrer-Policy", "no-referrer",
                "X-Frame-Options", "DENY", "Content-Security-Policy", "default-src 'self'; connect-src " + connectSources
                        + "; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'none'");
    }

    /** Whether {@code name} can name a console file at all (a relative name such as {@code novnc/core/rfb.js}). */
    public static boolean isFileName(String name) {
        return NAME.matcher(name).matches();
    }

    /** The file {@code name}, if it is one of the console's. */
    public static Optional<File> find(String name) {
        if (!isFileName(name)) {
            return Optional.empty();
        }
        File cached = CACHE.get(name);
        if (cached != null) {
            return Optional.of(cached);
        }
        Optional<File> found = read(name);
        found.ifPresent(file -> CACHE.put(name, file));
        return found;
    }

    private static Optional<File> read(String name) {
        try (InputStream in = ConsoleFiles.class.getClassLoader().getResourceAsStream("web/" + name)) {
            if (in == null) {
                return Optional.empty();
            }
            String type = TYPES.getOrDefault(name.substring(name.lastIndexOf('.') + 1), "application/octet-stream");
            return Optional.of(new File(in.readAllBytes(), type));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the console file " + name, e);
        }
    }
}
