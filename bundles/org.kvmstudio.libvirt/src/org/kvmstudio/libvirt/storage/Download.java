package org.kvmstudio.libvirt.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.Locale;

import org.eclipse.core.runtime.IProgressMonitor;
import org.eclipse.core.runtime.OperationCanceledException;
import org.eclipse.core.runtime.SubMonitor;
import org.kvmstudio.core.provisioning.ProvisioningException;

/**
 * Fetches an image once (http, https or file URL) into {@code target}, checking its MD5 on the way:
 * the bytes go to {@code target.part}, which becomes {@code target} only when the checksum matches.
 * A wrong checksum, a failed or cancelled transfer leave no file behind.
 */
public final class Download {

    private static final HttpClient HTTP = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NORMAL)
            .connectTimeout(Duration.ofSeconds(20)).build();

    private Download() {
    }

    /** Whether {@code url} is one this class can fetch. */
    public static URI check(String url) throws ProvisioningException {
        try {
            URI uri = new URI(url);
            String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
            if (!scheme.equals("http") && !scheme.equals("https") && !scheme.equals("file")) {
                throw new ProvisioningException("cannot download " + url + ": only http, https and file URLs are supported");
            }
            return uri;
        } catch (URISyntaxException e) {
            throw new ProvisioningException("'" + url + "' is not a URL: " + e.getReason(), e);
        }
    }

    /** Fetches {@code url} into {@code target} unless it is there already (downloads happen once). */
    public static void fetch(String url, String md5, Path target, IProgressMonitor monitor) throws ProvisioningException {
        if (Files.isRegularFile(target, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        URI uri = check(url);
        Path partial = target.resolveSibling(target.getFileName() + ".part");
        SubMonitor sub = SubMonitor.convert(monitor, "Downloading " + url, 100);
        try {
            MessageDigest digest = MessageDigest.getInstance("MD5");
            try (InputStream in = open(uri); OutputStream out = Files.newOutputStream(partial)) {
                long length = in instanceof Sized s ? s.length() : -1;
                // a server that stops sending would hold the deployment (and the owner's shutdown) forever
                var watchdog = STALLS.scheduleAtFixedRate(new Stall(in), STALL.toSeconds(), STALL.toSeconds(),
                        java.util.concurrent.TimeUnit.SECONDS);
                try {
                    copy(in, out, digest, length, sub);
                } finally {
                    watchdog.cancel(false);
                }
            }
            String actual = HexFormat.of().formatHex(digest.digest());
            if (!actual.equalsIgnoreCase(md5)) {
                throw new ProvisioningException("the image at " + url + " has MD5 " + actual + ", not " + md5.toLowerCase(Locale.ROOT)
                        + " as the request says; it was not kept");
            }
            Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw new ProvisioningException("cannot download " + url + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("this Java has no MD5", e);
        } finally {
            try {
                Files.deleteIfExists(partial);
            } catch (IOException ignored) {
                // the next attempt starts the partial file over
            }
        }
    }

    /** No byte for this long: the transfer is given up. */
    static final Duration STALL = Duration.ofSeconds(60);
    private static final java.util.concurrent.ScheduledExecutorService STALLS =
            java.util.concurrent.Executors.newSingleThreadScheduledExecutor(r -> {
                Thread t = new Thread(r, "download watchdog");
                t.setDaemon(true);
                return t;
            });

    /** Closes a stream that received nothing since the last look, which makes the blocked read fail. */
    private static final class Stall implements Runnable {
        private final InputStream in;
        private long seen = -1;

        Stall(InputStream in) {
            this.in = in;
        }

        @Override
        public void run() {
            long now = in instanceof Sized s ? s.count : 0;
            if (now == seen) {
                try {
                    in.close();
                } catch (IOException ignored) {
                    // closing is all that is asked
                }
            }
            seen = now;
        }
    }

    /** An input stream that knows how many bytes are coming, for the progress bar. */
    private static final class Sized extends java.io.FilterInputStream {
        private final long length;
        private volatile long count;

        Sized(InputStream in, long length) {
            super(in);
            this.length = length;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            int n = super.read(b, off, len);
            if (n > 0) {
                count += n;
            }
            return n;
        }

        long length() {
            return length;
        }
    }

    private static InputStream open(URI uri) throws IOException, ProvisioningException {
        if (uri.getScheme().equalsIgnoreCase("file")) {
            Path file = Path.of(uri);
            // a device or a FIFO would never end: only regular files are images
            if (!Files.isRegularFile(file)) {
                throw new ProvisioningException(file + " is not a regular file");
            }
            return new Sized(Files.newInputStream(file), Files.size(file));
        }
        try {
            HttpResponse<InputStream> response = HTTP.send(HttpRequest.newBuilder(uri).GET().build(),
                    HttpResponse.BodyHandlers.ofInputStream());
            if (response.statusCode() != 200) {
                response.body().close();
                throw new ProvisioningException("the server answered " + response.statusCode() + " for " + uri);
            }
            return new Sized(response.body(), response.headers().firstValueAsLong("Content-Length").orElse(-1));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new OperationCanceledException();
        }
    }

    private static void copy(InputStream in, OutputStream out, MessageDigest digest, long length, SubMonitor monitor)
            throws IOException {
        byte[] buffer = new byte[1 << 16];
        long done = 0;
        int reported = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            if (monitor.isCanceled()) {
                throw new OperationCanceledException();
            }
            out.write(buffer, 0, n);
            digest.update(buffer, 0, n);
            done += n;
            if (length > 0) {
                int percent = (int) Math.min(100, done * 100 / length);
                monitor.worked(percent - reported);
                reported = percent;
            }
        }
    }
}
