package org.kvmstudio.console;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** The console page's server, over real HTTP on loopback. */
class ConsoleServerTest {

    /** A clock the test moves. */
    static final class Hands extends Clock {
        Instant now = Instant.parse("2026-11-27T12:00:00Z");

        @Override
        public java.time.ZoneId getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now;
        }
    }

    private final HttpClient http = HttpClient.newHttpClient();
    private final Hands clock = new Hands();
    private ConsoleServer server;

    @BeforeEach
    void start() throws Exception {
        server = ConsoleServer.start(clock);
    }

    @AfterEach
    void stop() {
        server.close();
    }

    private HttpResponse<String> get(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private HttpResponse<String> post(String path) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + path))
                .POST(HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aConsoleLinkGivesItsWebsocketAndPasswordOnceAndNeverInItsAddress() throws Exception {
        URI page = server.open("myvm", URI.create("ws://127.0.0.1:5701/"), "s3cret-pw");
        assertEquals("127.0.0.1", page.getHost(), "served on loopback only");
        assertFalse(page.toString().contains("s3cret"), page.toString());
        HttpResponse<String> html = get(page.getRawPath());
        assertEquals(200, html.statusCode());
        assertTrue(html.body().contains("/console.js"));
        assertEquals("no-store", html.headers().firstValue("Cache-Control").orElse(""));
        assertTrue(html.headers().firstValue("Content-Security-Policy").orElse("").contains("default-src 'self'"));

        String token = page.getRawPath().substring("/console/".length());
        HttpResponse<String> session = post("/session/" + token);
        assertEquals(200, session.statusCode());
        JsonNode json = new ObjectMapper().readTree(session.body());
        assertEquals("ws://127.0.0.1:5701/", json.get("url").asText());
        assertEquals("s3cret-pw", json.get("password").asText());
        assertEquals("myvm", json.get("title").asText());
        assertEquals(410, post("/session/" + token).statusCode(), "a link works once");
        assertEquals(404, get("/session/" + token).statusCode(), "and only by POST");
    }

    @Test
    void anUnopenedLinkExpires() throws Exception {
        URI page = server.open("myvm", URI.create("ws://127.0.0.1:5701/"), "pw");
        clock.now = clock.now.plus(ConsoleServer.LINK_LIFETIME).plus(Duration.ofSeconds(1));
        assertEquals(410, post("/session/" + page.getRawPath().substring("/console/".length())).statusCode());
    }

    @Test
    void itServesNoVncAndOurPageAndNothingElse() throws Exception {
        HttpResponse<String> rfb = get("/novnc/core/rfb.js");
        assertEquals(200, rfb.statusCode(), "noVNC is in the bundle (the build fetched and checked it)");
        assertEquals("text/javascript", rfb.headers().firstValue("Content-Type").orElse(""));
        assertTrue(rfb.body().contains("export default class RFB"));
        assertEquals(200, get("/console.js").statusCode());
        for (String path : new String[] {"/novnc/../console.js", "/novnc/core/%2e%2e/%2e%2e/META-INF/MANIFEST.MF",
                "/META-INF/MANIFEST.MF", "/org/kvmstudio/console/ConsoleServer.class", "/console/not-a-token", "/"}) {
            assertEquals(404, rawStatus(path), path);
        }
    }

    /** The status of a request sent byte for byte (an HTTP client would normalise the dot segments away). */
    private int rawStatus(String path) throws Exception {
        try (Socket socket = new Socket("127.0.0.1", server.port())) {
            socket.getOutputStream().write(("GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            String status = new String(socket.getInputStream().readNBytes(12), StandardCharsets.US_ASCII);
            return Integer.parseInt(status.substring(9, 12));
        }
    }

    @Test
    void onlyAWebsocketAddressMakesAConsole() {
        assertThrows(IllegalArgumentException.class, () -> server.open("x", URI.create("http://127.0.0.1:5701/"), "pw"));
        assertThrows(IllegalArgumentException.class, () -> server.open("x", URI.create("javascript:alert(1)"), "pw"));
    }
}
