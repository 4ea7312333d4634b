package dev.taskengine.bench.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskengine.bench.Fixtures;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/**
 * One connection to the server's Reply v3 routes, for one thread: an HttpClient of its own on HTTP/1.1, so that a
 * thread calling it one request after another has a TCP connection of its own, never shared (now and then a second
 * one: with answers read on the selector thread, a request may start before the last one's connection is back in the
 * pool). The tasks are {@link Fixtures}' email to the prospect (contact 1), assigned to the key's user. An answer other
 * than the route's success status is an {@link UnexpectedAnswer}.
 */
final class TaskApiClient {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final String TEMPLATE = json(Map.of("subject", Fixtures.SUBJECT, "body", Fixtures.BODY));
    /** "My tasks now": the key's user's active tasks not snoozed nor held, by start; the first page of 50. */
    private static final String MY_TASKS_NOW = json(Map.of(
            "assignedUserId", Fixtures.OWNER.value(), "status", new String[] {"new", "inProgress"}, "hidden", false));

    /** An answer with a status the route does not answer on success. */
    static final class UnexpectedAnswer extends RuntimeException {
        private final int status;

        UnexpectedAnswer(String request, int status, String body) {
            super(request + " answered " + status + ": " + (body.length() > 300 ? body.substring(0, 300) + "…" : body));
            this.status = status;
        }

        int status() {
            return status;
        }
    }

    /**
     * Answers are read on the client's own selector thread rather than handed to an executor: the driver shares the
     * machine's cores with the server, and this halves its CPU per request (0.15 → 0.07 ms per get, measured).
     */
    private final HttpClient http = HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .executor(Runnable::run)
            .build();

    private final URI base;
    private final String key;

    TaskApiClient(URI base, String key) {
        this.base = base;
        this.key = key;
    }

    /** Creates an email task starting at {@code startAt}, due a day later; {@code scheduled}: for the scheduler to send. */
    long create(Instant startAt, boolean scheduled) throws IOException, InterruptedException {
        String answer = send(post(CREATE_PATH, createBody(startAt, scheduled)), 201);
        return JSON.readTree(answer).get("id").asLong();
    }

    /** Where a create is posted. */
    static final String CREATE_PATH = "/v3/tasks";

    /** Where a get goes: this and the task's id. */
    static final String GET_PATH = "/v3/tasks/";

    /** The body of {@link #create}. */
    static String createBody(Instant startAt, boolean scheduled) {
        Instant start = startAt.truncatedTo(ChronoUnit.MICROS);
        return "{\"taskType\":\"manualEmail\",\"contactId\":" + Fixtures.CONTACT_ID.value() + ",\"startAt\":\""
                + start + "\",\"dueTo\":\"" + start.plus(Duration.ofDays(1)) + "\",\"isScheduled\":" + scheduled
                + ",\"template\":" + TEMPLATE + "}";
    }

    void get(long id) throws IOException, InterruptedException {
        send(request(GET_PATH + id).GET().build(), 200);
    }

    /** The first page of "my tasks now" (50 tasks). */
    int firstPage() throws IOException, InterruptedException {
        JsonNode page = JSON.readTree(send(post("/v3/tasks/filter?top=50&skip=0", MY_TASKS_NOW), 200));
        return page.get("items").size();
    }

    void complete(long id) throws IOException, InterruptedException {
        send(post("/v3/tasks/" + id + "/complete", "{}"), 200);
    }

    private HttpRequest post(String path, String body) {
        return request(path)
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(body))
                .build();
    }

    private HttpRequest.Builder request(String path) {
        return HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT).header("X-API-Key", key);
    }

    private String send(HttpRequest request, int expected) throws IOException, InterruptedException {
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() != expected) {
            throw new UnexpectedAnswer(
                    request.method() + " " + request.uri().getPath(), response.statusCode(), response.body());
        }
        return response.body();
    }

    private static String json(Object value) {
        try {
            return JSON.writeValueAsString(value);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
