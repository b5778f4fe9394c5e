package org.kvmstudio.frontend.server;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.KeyStore;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;

/**
 * Raw HTTP/1.1 requests over TLS (or plain TCP), sent byte for byte as written: Java's HTTP client
 * normalises paths, and a frontend must be tested with the requests attackers write.
 */
final class TlsClient {

    /** One answer: status, headers (lower-case names) and body. */
    record Answer(int status, Map<String, String> headers, String body) {
        String header(String name) {
            return headers.get(name.toLowerCase(Locale.ROOT));
        }
    }

    final SSLContext context;

    /** A client that trusts only {@code identity}'s certificate. */
    TlsClient(TlsIdentity identity) throws Exception {
        KeyStore trusted = KeyStore.getInstance("PKCS12");
        trusted.load(null, null);
        trusted.setCertificateEntry("frontend", identity.chain().get(0));
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(trusted);
        context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
    }

    Answer get(int port, String path, String host) throws IOException {
        return send(port, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
    }

    /** A GET from another address of this machine ({@code 127.0.0.2}): another client, to the server. */
    Answer get(int port, String path, String host, java.net.InetAddress from) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket(java.net.InetAddress.getByName("127.0.0.1"),
                port, from, 0)) {
            return exchange(socket, "GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nConnection: close\r\n\r\n");
        }
    }

    Answer send(int port, String request) throws IOException {
        try (SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("127.0.0.1", port)) {
            return exchange(socket, request);
        }
    }

    static Answer sendPlain(int port, String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            return exchange(socket, request);
        }
    }

    private static Answer exchange(Socket socket, String request) throws IOException {
        socket.setSoTimeout(10_000);
        OutputStream out = socket.getOutputStream();
        out.write(request.getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buffer = new byte[8192];
        try {
            for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
                all.write(buffer, 0, n);
            }
        } catch (javax.net.ssl.SSLException | java.net.SocketException closed) {
            // the server may close without a TLS close_notify after a 4xx: what came is the answer
        }
        String text = all.toString(StandardCharsets.ISO_8859_1);
        int end = text.indexOf("\r\n\r\n");
        if (end < 0) {
            throw new IOException("no HTTP answer: " + text);
        }
        String[] lines = text.substring(0, end).split("\r\n");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT), lines[i].substring(colon + 1).trim());
        }
        return new Answer(Integer.parseInt(lines[0].split(" ")[1]), headers, text.substring(end + 4));
    }
}
