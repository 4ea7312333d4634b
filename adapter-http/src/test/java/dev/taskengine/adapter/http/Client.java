package dev.taskengine.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/** A small java.net.http client for the tests: one request, its status, headers and JSON body. */
final class Client {
    static final ObjectMapper JSON = new ObjectMapper();

    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5))
            .build();
    private final String base;
    private final boolean closeConnections;

    Client(int port) {
        this(port, false);
    }

    /**
     * With {@code closeConnections}, every request asks the server to close its connection afterwards, so that a server
     * stopped right after stops at once rather than waiting out the idle connections (1 s with Jetty's graceful stop).
     * Needs {@code -Djdk.httpclient.allowRestrictedHeaders=connection}, which the module's Surefire configuration sets.
     */
    Client(int port, boolean closeConnections) {
        this.base = "http://127.0.0.1:" + port;
        this.closeConnections = closeConnections;
    }

    /** An answer: status, headers, raw body, and the body as JSON (null when empty or not JSON). */
    record Answer(int status, HttpResponse<String> response, String body, JsonNode json) {
        Optional<String> header(String name) {
            return response.headers().firstValue(name);
        }
    }

    Request request(String method, String path) {
        return new Request(method, path);
    }

    Answer get(String path, String key) {
        return request("GET", path).key(key).send();
    }

    Answer send(String method, String path, String key, String body) {
        return request(method, path).key(key).body(body).send();
    }

    final class Request {
        private final String method;
        private final String path;
        private final Map<String, String> headers = new LinkedHashMap<>();
        private String body;
        private String contentType = "application/json";

        private Request(String method, String path) {
            this.method = method;
            this.path = path;
        }

        /** Sends the key in Reply's X-API-Key header (none when null). */
        Request key(String key) {
            if (key != null) {
                headers.put("X-API-Key", key);
            }
            return this;
        }

        /** Sends the key as Authorization: Bearer, as Topo clients do. */
        Request bearer(String key) {
            headers.put("Authorization", "Bearer " + key);
            return this;
        }

        Request header(String name, String value) {
            headers.put(name, value);
            return this;
        }

        /** The Content-Type sent with a body (application/json unless told; none when null). */
        Request contentType(String value) {
            this.contentType = value;
            return this;
        }

        Request body(String json) {
            this.body = json;
            return this;
        }

        Answer send() {
            HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + path))
                    .timeout(Duration.ofSeconds(20))
                    .method(
                            method,
                            body == null
                                    ? HttpRequest.BodyPublishers.noBody()
                                    : HttpRequest.BodyPublishers.ofString(body));
            if (body != null && contentType != null) {
                builder.header("Content-Type", contentType);
            }
            headers.forEach(builder::header);
            if (closeConnections) {
                builder.header("Connection", "close");
            }
            try {
                HttpResponse<String> response = http.send(builder.build(), HttpResponse.BodyHandlers.ofString());
                JsonNode json = null;
                if (!response.body().isEmpty()) {
                    try {
                        json = JSON.readTree(response.body());
                    } catch (IOException e) {
                        json = null;
                    }
                }
                return new Answer(response.statusCode(), response, response.body(), json);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
    }
}
