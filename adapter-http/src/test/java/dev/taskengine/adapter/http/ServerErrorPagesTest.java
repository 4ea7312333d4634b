package dev.taskengine.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskengine.adapter.memory.InMemoryMessageSender;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every answer of the adapter's own server has the dialect's JSON error shape and an {@code X-Request-Id}, those that
 * Jetty produces itself before any route runs included (a URI it refuses, a URI or headers too long, a body too large).
 * Sent over a raw socket, since an HTTP client would refuse to send most of these.
 */
class ServerErrorPagesTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static MemoryApi api;

    @BeforeAll
    static void start() {
        api = MemoryApi.start(HttpSettings.defaults(), new InMemoryMessageSender());
    }

    @AfterAll
    static void stop() {
        api.close();
    }

    @Test
    void anAmbiguousPathSegmentIsAReplyProblemWithARequestId() throws IOException {
        RawAnswer answer = get("/v3/tasks/..;/3");
        assertReplyProblem(answer, 400);
    }

    @Test
    void anEncodedNulInThePathIsAReplyProblemWithARequestId() throws IOException {
        assertReplyProblem(get("/v3/tasks/3%00"), 400);
    }

    @Test
    void aPathTooLongIsAProblemWithARequestId() throws IOException {
        RawAnswer answer = get("/v3/tasks/" + "9".repeat(10_000));
        assertThat(answer.status()).isIn(400, 414);
        assertReplyProblem(answer, answer.status());
    }

    @Test
    void headersTooLargeAreAProblemWithARequestId() throws IOException {
        RawAnswer answer = send("GET /v3/tasks/1 HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "a".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isIn(400, 431);
        assertReplyProblem(answer, answer.status());
    }

    @Test
    void aTopoPathJettyRefusesIsATopoErrorWithARequestId() throws IOException {
        RawAnswer answer = get("/v1/tasks/..;/3");
        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.header("content-type")).startsWith("application/json");
        assertThat(answer.header("x-request-id")).startsWith("req_");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("status_code").asInt()).isEqualTo(400);
        assertThat(body.get("type").asText()).isEqualTo("ValidationIssue");
        assertThat(body.get("request_id").asText()).isEqualTo(answer.header("x-request-id"));
    }

    @Test
    void aMalformedRequestLineIsAProblemWithARequestId() throws IOException {
        RawAnswer answer = send("GET /v3/tasks/1 HTTP/1.1 extra\r\nHost: localhost\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isEqualTo(400);
        assertReplyProblem(answer, 400);
    }

    @Test
    void aBodyTooLargeIsAProblemWithARequestId() throws IOException {
        // Just over Javalin's default limit of 1,000,000 bytes: the server reads up to the limit, then answers. (A body
        // far larger would still be arriving when the server answers and closes, and its writer would see a broken
        // pipe.)
        String body = "{\"note\": \"" + "x".repeat(1_000_100) + "\"}";
        RawAnswer answer = send("POST /v3/tasks HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + MemoryApi.KEY
                + "\r\nContent-Type: application/json\r\nContent-Length: " + body.length()
                + "\r\nConnection: close\r\n\r\n" + body);
        assertReplyProblem(answer, 413);
    }

    @Test
    void anUnknownRouteIsAProblemWithARequestId() throws IOException {
        assertReplyProblem(get("/nowhere"), 404);
    }

    @Test
    void anUnsupportedMethodIsAProblemWithARequestId() throws IOException {
        RawAnswer answer = send("BREW /v3/tasks/1 HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + MemoryApi.KEY
                + "\r\nConnection: close\r\n\r\n");
        assertThat(answer.status()).isIn(404, 405);
        assertReplyProblem(answer, answer.status());
    }

    private static void assertReplyProblem(RawAnswer answer, int status) throws IOException {
        assertThat(answer.status()).as(answer.raw()).isEqualTo(status);
        assertThat(answer.header("content-type")).as(answer.raw()).startsWith("application/problem+json");
        assertThat(answer.header("x-request-id")).as(answer.raw()).startsWith("req_");
        JsonNode body = JSON.readTree(answer.body());
        assertThat(body.get("status").asInt()).isEqualTo(status);
        assertThat(body.get("code").asText()).isNotBlank();
        assertThat(body.get("detail").asText())
                .doesNotContainIgnoringCase("jetty")
                .doesNotContain("<");
    }

    private static RawAnswer get(String target) throws IOException {
        return send("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nX-API-Key: " + MemoryApi.KEY
                + "\r\nConnection: close\r\n\r\n");
    }

    private static RawAnswer send(String request) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", api.api.port())) {
            socket.setSoTimeout(10_000);
            // Written from a thread of its own while the answer is read: a server may answer (and close) before a
            // large body has all arrived, and the answer must be read as it comes, not after the last byte is written.
            OutputStream out = socket.getOutputStream();
            Thread writer = new Thread(() -> {
                try {
                    out.write(request.getBytes(StandardCharsets.ISO_8859_1));
                    out.flush();
                } catch (IOException closedEarly) {
                    // the server answered and closed before the whole request was written
                }
            });
            writer.start();
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream all = new ByteArrayOutputStream();
            in.transferTo(all);
            return RawAnswer.parse(all.toString(StandardCharsets.UTF_8));
        }
    }

    private record RawAnswer(String raw, int status, Map<String, String> headers, String body) {
        static RawAnswer parse(String raw) {
            int split = raw.indexOf("\r\n\r\n");
            String head = split < 0 ? raw : raw.substring(0, split);
            String body = split < 0 ? "" : raw.substring(split + 4);
            String[] lines = head.split("\r\n");
            int status = Integer.parseInt(lines[0].split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    headers.put(
                            lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            if ("chunked".equalsIgnoreCase(headers.get("transfer-encoding"))) {
                body = dechunk(body);
            }
            return new RawAnswer(raw, status, headers, body);
        }

        String header(String name) {
            return headers.getOrDefault(name, "");
        }

        private static String dechunk(String body) {
            StringBuilder out = new StringBuilder();
            int at = 0;
            while (at < body.length()) {
                int end = body.indexOf("\r\n", at);
                int size = Integer.parseInt(body.substring(at, end).trim(), 16);
                if (size == 0) {
                    break;
                }
                out.append(body, end + 2, end + 2 + size);
                at = end + 2 + size + 2;
            }
            return out.toString();
        }
    }
}
