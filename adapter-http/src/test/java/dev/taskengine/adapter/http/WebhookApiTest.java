package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.ErrorShapesTest.assertProblem;
import static dev.taskengine.adapter.http.ErrorShapesTest.codes;
import static dev.taskengine.adapter.http.ErrorShapesTest.pointers;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.sun.net.httpserver.HttpServer;
import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.adapter.memory.InMemoryMessageSender;
import dev.taskengine.adapter.memory.InMemorySenderAccounts;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.adapter.memory.InMemoryWebhookStore;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.WebhookOptions;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Webhook subscriptions and their delivery logs in the Reply dialect, on an engine that delivers to loopback http. */
class WebhookApiTest {
    static final String KEY = "key-hooks"; // tenant hooks, user 7
    static final String OTHER = "key-hooks-other"; // tenant hooks-other, user 9
    static final String DELIVERY = "key-hooks-delivery"; // tenant hooks-delivery, user 7: the end-to-end test's alone
    static final TenantId TENANT = TenantId.of("hooks");
    static final TenantId DELIVERY_TENANT = TenantId.of("hooks-delivery");
    static final String SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
    static final String WEBHOOK_FIELDS_LIST = "id,url,eventTypes,enabled,disabledReason,disabledAt,disabledDetail,"
            + "consecutiveFailures,failingSince,secretCount,previousSecretExpiresAt,createdAt,updatedAt";
    static final List<String> WEBHOOK_FIELDS = List.of(WEBHOOK_FIELDS_LIST.split(","));

    static TaskEngine engine;
    static HttpApi api;
    static Client client;

    @BeforeAll
    static void start() {
        Contact ada = Contact.builder(1)
                .firstName("Ada")
                .email("ada@analytical.example")
                .build();
        engine = TaskEngine.builder()
                .store(new InMemoryTaskStore())
                .contacts(new InMemoryContactDirectory().put(TENANT, ada).put(DELIVERY_TENANT, ada))
                .senderAccounts(new InMemorySenderAccounts()
                        .userAccount(TENANT, UserId.of(7), EmailAccountId.of(70))
                        .userAccount(DELIVERY_TENANT, UserId.of(7), EmailAccountId.of(70)))
                .sender(new InMemoryMessageSender())
                .webhooks(
                        new InMemoryWebhookStore(),
                        WebhookOptions.defaults().withAllowHttp(true).withAllowLoopback(true))
                .build();
        api = HttpApi.create(
                        engine,
                        ApiKeys.parse(
                                List.of(KEY + "=hooks:7", OTHER + "=hooks-other:9", DELIVERY + "=hooks-delivery:7")),
                        HttpSettings.defaults())
                .start("127.0.0.1", 0);
        client = new Client(api.port(), true);
    }

    @AfterAll
    static void stop() {
        api.stop();
    }

    static JsonNode create(String key, String body) {
        Client.Answer created = client.send("POST", "/v3/webhooks", key, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json();
    }

    static JsonNode create() {
        return create(KEY, """
                {"url": "https://hooks.example/taskengine", "eventTypes": ["task.completed", "task.created"]}""");
    }

    // --- create, read, list

    @Test
    void createAnswersTheSubscriptionWithItsSecret() {
        Client.Answer answer = client.send("POST", "/v3/webhooks", KEY, """
                {"url": "https://hooks.example/created", "eventTypes": ["task.created", "task.completed"],
                 "secret": "%s"}""".formatted(SECRET));

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode hook = answer.json();
        assertThat(ReplyApiTest.fields(hook))
                .containsExactlyElementsOf(
                        java.util.stream.Stream.concat(WEBHOOK_FIELDS.stream(), java.util.stream.Stream.of("secret"))
                                .toList());
        assertThat(answer.header("Location"))
                .hasValue("/v3/webhooks/" + hook.get("id").asText());
        assertThat(hook.get("url").asText()).isEqualTo("https://hooks.example/created");
        assertThat(hook.get("eventTypes").toString()).isEqualTo("[\"task.completed\",\"task.created\"]");
        assertThat(hook.get("enabled").asBoolean()).isTrue();
        assertThat(hook.get("disabledReason").isNull()).isTrue();
        assertThat(hook.get("consecutiveFailures").asInt()).isZero();
        assertThat(hook.get("secret").asText()).isEqualTo(SECRET);
        assertThat(hook.get("secretCount").asInt()).isEqualTo(1);
    }

    @Test
    void aSecretIsMadeWhenNoneIsGivenAndASubscriptionMayStartDisabled() {
        JsonNode hook = create(KEY, """
                {"url": "https://hooks.example/disabled", "enabled": false}""");

        assertThat(hook.get("secret").asText()).startsWith("whsec_");
        assertThat(hook.get("eventTypes").size()).isZero();
        assertThat(hook.get("enabled").asBoolean()).isFalse();
        assertThat(hook.get("disabledReason").asText()).isEqualTo("byRequest");
        assertThat(hook.get("disabledAt").isNull()).isFalse();
    }

    @Test
    void aReadNeverShowsTheSecret() {
        JsonNode created = create();
        String id = created.get("id").asText();

        Client.Answer one = client.get("/v3/webhooks/" + id, KEY);
        Client.Answer all = client.get("/v3/webhooks", KEY);

        assertThat(one.status()).isEqualTo(200);
        assertThat(ReplyApiTest.fields(one.json())).containsExactlyElementsOf(WEBHOOK_FIELDS);
        assertThat(one.body()).doesNotContain(created.get("secret").asText());
        assertThat(one.json().get("url").asText()).isEqualTo("https://hooks.example/taskengine");
        assertThat(all.status()).isEqualTo(200);
        assertThat(all.body()).doesNotContain(created.get("secret").asText()).doesNotContain("\"secret\"");
        List<String> ids = new java.util.ArrayList<>();
        all.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        assertThat(ids).contains(id);
    }

    @Test
    void anInvalidSubscriptionIsAnswered400WithEveryBadField() {
        Client.Answer answer = client.send("POST", "/v3/webhooks", KEY, """
                {"url": "ftp://hooks.example/x", "eventTypes": ["task.completed", "task.exploded"],
                 "secret": "not-a-secret"}""");

        assertProblem(answer, 400, "webhook.invalid");
        assertThat(pointers(answer)).containsExactlyInAnyOrder("/url", "/eventTypes/1", "/secret");
        assertThat(codes(answer.json().get("errors")))
                .contains("webhook.url.scheme", "webhook.eventTypes.unknown", "webhook.secret.invalid");
        assertThat(answer.body()).doesNotContain("not-a-secret").doesNotContainIgnoringCase("jackson");
    }

    @Test
    void wrongTypesAndUnknownFieldsAreNamed() {
        Client.Answer answer = client.send("POST", "/v3/webhooks", KEY, """
                {"url": 5, "eventTypes": ["task.created", 3], "enabled": "yes", "colour": "red"}""");

        assertProblem(answer, 400, "webhook.invalid");
        assertThat(pointers(answer)).containsExactlyInAnyOrder("/url", "/eventTypes/1", "/enabled", "/colour");
        assertThat(answer.body()).doesNotContainIgnoringCase("jackson").doesNotContain("java.");
    }

    @Test
    void eventTypesThatAreNoArrayAreNamed() {
        Client.Answer answer = client.send("POST", "/v3/webhooks", KEY, """
                {"url": "https://hooks.example/x", "eventTypes": "task.created"}""");

        assertProblem(answer, 400, "webhook.invalid");
        assertThat(pointers(answer)).containsExactly("/eventTypes");
    }

    @Test
    void aSubscriptionNeedsAUrl() {
        Client.Answer answer = client.send("POST", "/v3/webhooks", KEY, "{}");

        assertProblem(answer, 400, "webhook.invalid");
        assertThat(pointers(answer)).containsExactly("/url");
        assertThat(codes(answer.json().get("errors"))).containsExactly("webhook.url.required");
    }

    // --- change, rotate, delete

    @Test
    void aPatchChangesWhatItGives() {
        String id = create().get("id").asText();

        Client.Answer changed = client.send("PATCH", "/v3/webhooks/" + id, KEY, """
                {"eventTypes": ["task.snoozed"], "enabled": false}""");

        assertThat(changed.status()).as(changed.body()).isEqualTo(200);
        assertThat(ReplyApiTest.fields(changed.json())).containsExactlyElementsOf(WEBHOOK_FIELDS);
        assertThat(changed.json().get("url").asText()).isEqualTo("https://hooks.example/taskengine");
        assertThat(changed.json().get("eventTypes").toString()).isEqualTo("[\"task.snoozed\"]");
        assertThat(changed.json().get("disabledReason").asText()).isEqualTo("byRequest");

        Client.Answer moved = client.send("PATCH", "/v3/webhooks/" + id, KEY, """
                {"url": "https://hooks.example/moved", "enabled": true}""");

        assertThat(moved.status()).isEqualTo(200);
        assertThat(moved.json().get("url").asText()).isEqualTo("https://hooks.example/moved");
        assertThat(moved.json().get("enabled").asBoolean()).isTrue();
        assertThat(moved.json().get("eventTypes").toString()).isEqualTo("[\"task.snoozed\"]");
        assertThat(client.get("/v3/webhooks/" + id, KEY).json().get("url").asText())
                .isEqualTo("https://hooks.example/moved");
    }

    @Test
    void anInvalidPatchNamesEveryBadField() {
        String id = create().get("id").asText();

        Client.Answer answer = client.send("PATCH", "/v3/webhooks/" + id, KEY, """
                {"url": "ftp://hooks.example/x", "eventTypes": ["task.created", "task.nope"], "enabled": true}""");
        Client.Answer secret = client.send("PATCH", "/v3/webhooks/" + id, KEY, """
                {"secret": "%s", "enabled": 1}""".formatted(SECRET));

        assertProblem(answer, 400, "webhook.invalid");
        assertThat(pointers(answer)).containsExactlyInAnyOrder("/url", "/eventTypes/1");
        assertProblem(secret, 400, "webhook.invalid");
        assertThat(pointers(secret))
                .as("a secret is changed by a rotation")
                .containsExactlyInAnyOrder("/secret", "/enabled");
        assertThat(secret.body()).doesNotContain(SECRET);
        assertThat(client.get("/v3/webhooks/" + id, KEY).json().get("url").asText())
                .isEqualTo("https://hooks.example/taskengine");
    }

    @Test
    void aRotationAnswersTheNewSecretAndThePreviousOneStillSigns() {
        JsonNode created = create();
        String id = created.get("id").asText();

        Client.Answer rotated = client.send("POST", "/v3/webhooks/" + id + "/rotate-secret", KEY, "{}");

        assertThat(rotated.status()).as(rotated.body()).isEqualTo(200);
        assertThat(rotated.json().get("secret").asText())
                .startsWith("whsec_")
                .isNotEqualTo(created.get("secret").asText());
        assertThat(rotated.json().get("secretCount").asInt()).isEqualTo(2);
        assertThat(rotated.json().get("previousSecretExpiresAt").isNull()).isFalse();

        Client.Answer given = client.request("POST", "/v3/webhooks/" + id + "/rotate-secret")
                .key(KEY)
                .send();
        assertThat(given.status()).as("no body at all").isEqualTo(200);

        Client.Answer chosen = client.send(
                "POST", "/v3/webhooks/" + id + "/rotate-secret", KEY, "{\"secret\": \"%s\"}".formatted(SECRET));
        assertThat(chosen.json().get("secret").asText()).isEqualTo(SECRET);
        Client.Answer read = client.get("/v3/webhooks/" + id, KEY);
        assertThat(read.body()).doesNotContain(SECRET);

        Client.Answer bad = client.send("POST", "/v3/webhooks/" + id + "/rotate-secret", KEY, "{\"secret\": \"x\"}");
        assertProblem(bad, 400, "webhook.invalid");
        assertThat(pointers(bad)).containsExactly("/secret");
    }

    @Test
    void aDeletedSubscriptionIsGone() {
        String id = create().get("id").asText();

        Client.Answer deleted =
                client.request("DELETE", "/v3/webhooks/" + id).key(KEY).send();

        assertThat(deleted.status()).isEqualTo(204);
        assertThat(deleted.body()).isEmpty();
        assertProblem(client.get("/v3/webhooks/" + id, KEY), 404, "webhook.notFound");
        assertProblem(client.request("DELETE", "/v3/webhooks/" + id).key(KEY).send(), 404, "webhook.notFound");
    }

    // --- 404s

    @Test
    void anUnknownOrMalformedIdIs404OnEveryRoute() {
        String unknown = "0b7c1f0e-5b4e-4d55-9f39-3a1c0de00000";
        for (String id : List.of(unknown, "not-a-uuid", "1-1-1-1-1", "42")) {
            assertProblem(client.get("/v3/webhooks/" + id, KEY), 404, "webhook.notFound");
            assertProblem(client.send("PATCH", "/v3/webhooks/" + id, KEY, "{}"), 404, "webhook.notFound");
            assertProblem(
                    client.send("POST", "/v3/webhooks/" + id + "/rotate-secret", KEY, "{}"), 404, "webhook.notFound");
            assertProblem(
                    client.request("DELETE", "/v3/webhooks/" + id).key(KEY).send(), 404, "webhook.notFound");
            assertProblem(client.get("/v3/webhooks/" + id + "/deliveries", KEY), 404, "webhook.notFound");
        }
    }

    @Test
    void anotherTenantsSubscriptionIs404() {
        String id = create().get("id").asText();

        assertProblem(client.get("/v3/webhooks/" + id, OTHER), 404, "webhook.notFound");
        assertProblem(
                client.send("PATCH", "/v3/webhooks/" + id, OTHER, "{\"enabled\": false}"), 404, "webhook.notFound");
        assertProblem(
                client.send("POST", "/v3/webhooks/" + id + "/rotate-secret", OTHER, "{}"), 404, "webhook.notFound");
        assertProblem(client.request("DELETE", "/v3/webhooks/" + id).key(OTHER).send(), 404, "webhook.notFound");
        assertProblem(client.get("/v3/webhooks/" + id + "/deliveries", OTHER), 404, "webhook.notFound");
        assertThat(client.get("/v3/webhooks", OTHER).body()).doesNotContain(id);
        assertThat(client.get("/v3/webhooks/" + id, KEY).json().get("enabled").asBoolean())
                .isTrue();
    }

    @Test
    void theRoutesAnswer404WhenTheEngineDeliversNoWebhooks() {
        Client shared = SharedServer.get().client;
        String id = "0b7c1f0e-5b4e-4d55-9f39-3a1c0de00000";

        List<Client.Answer> answers = List.of(
                shared.send("POST", "/v3/webhooks", TestServer.ACME, "{\"url\": \"https://hooks.example/x\"}"),
                shared.get("/v3/webhooks", TestServer.ACME),
                shared.get("/v3/webhooks/" + id, TestServer.ACME),
                shared.send("PATCH", "/v3/webhooks/" + id, TestServer.ACME, "{}"),
                shared.send("POST", "/v3/webhooks/" + id + "/rotate-secret", TestServer.ACME, "{}"),
                shared.request("DELETE", "/v3/webhooks/" + id)
                        .key(TestServer.ACME)
                        .send(),
                shared.get("/v3/webhooks/" + id + "/deliveries", TestServer.ACME));

        for (Client.Answer answer : answers) {
            assertProblem(answer, 404, "webhook.unavailable");
            assertThat(answer.json().get("detail").asText()).contains("this server delivers no webhooks");
        }
        assertThat(shared.get("/v3/webhooks", null).status())
                .as("still guarded")
                .isEqualTo(401);
    }

    // --- delivery log

    @Test
    void theDeliveryLogValidatesItsParameters() {
        String id = create().get("id").asText();

        Client.Answer empty = client.get("/v3/webhooks/" + id + "/deliveries", KEY);
        assertThat(empty.status()).isEqualTo(200);
        assertThat(empty.json().get("items").size()).isZero();
        assertThat(empty.json().get("nextCursor").isNull()).isTrue();

        Client.Answer limit = client.get("/v3/webhooks/" + id + "/deliveries?limit=0", KEY);
        assertProblem(limit, 400, "webhook.invalid");
        assertThat(pointers(limit)).containsExactly("/limit");
        Client.Answer cursor = client.get("/v3/webhooks/" + id + "/deliveries?cursor=zzz", KEY);
        assertProblem(cursor, 400, "webhook.invalid");
        assertThat(pointers(cursor)).containsExactly("/cursor");
    }

    @Test
    void aTaskCreatedOverHttpIsDeliveredSignedToALoopbackReceiver() throws IOException {
        List<Map<String, String>> headers = new CopyOnWriteArrayList<>();
        List<String> bodies = new CopyOnWriteArrayList<>();
        HttpServer receiver = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        receiver.createContext("/hook", exchange -> {
            Map<String, String> seen = new ConcurrentHashMap<>();
            seen.put("method", exchange.getRequestMethod());
            for (String name : List.of("webhook-id", "webhook-timestamp", "webhook-signature", "content-type")) {
                String value = exchange.getRequestHeaders().getFirst(name);
                if (value != null) {
                    seen.put(name, value);
                }
            }
            bodies.add(new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            headers.add(seen);
            exchange.sendResponseHeaders(200, -1);
            exchange.close();
        });
        receiver.start();
        try {
            String url = "http://127.0.0.1:" + receiver.getAddress().getPort() + "/hook";
            String id = create(DELIVERY, """
                            {"url": "%s", "eventTypes": ["task.created"]}""".formatted(url)).get("id").asText();
            Client.Answer created = client.send("POST", "/v3/tasks", DELIVERY, ReplyApiTest.EMAIL_TO_ADA);
            assertThat(created.status()).as(created.body()).isEqualTo(201);
            long task = created.json().get("id").asLong();

            try (var scheduler = engine.scheduler(SchedulerOptions.defaults())) {
                scheduler.pollOnce();
            }

            assertThat(headers).hasSize(1);
            Map<String, String> seen = headers.get(0);
            assertThat(seen.get("method")).isEqualTo("POST");
            assertThat(seen).containsKeys("webhook-id", "webhook-timestamp", "webhook-signature");
            assertThat(seen.get("webhook-signature")).startsWith("v1,");
            JsonNode event = Client.JSON.readTree(bodies.get(0));
            assertThat(event.toString()).contains("task.created").contains(Long.toString(task));

            Client.Answer log = client.get("/v3/webhooks/" + id + "/deliveries", DELIVERY);
            assertThat(log.status()).as(log.body()).isEqualTo(200);
            JsonNode delivery = log.json().get("items").get(0);
            assertThat(ReplyApiTest.fields(delivery))
                    .containsExactly(
                            "eventId",
                            "eventType",
                            "taskId",
                            "state",
                            "createdAt",
                            "nextAttemptAt",
                            "finishedAt",
                            "attempts");
            assertThat(delivery.get("eventId").asText()).isEqualTo(seen.get("webhook-id"));
            assertThat(delivery.get("eventType").asText()).isEqualTo("task.created");
            assertThat(delivery.get("taskId").asLong()).isEqualTo(task);
            assertThat(delivery.get("state").asText()).isEqualTo("delivered");
            assertThat(delivery.get("nextAttemptAt").isNull()).isTrue();
            assertThat(delivery.get("finishedAt").isNull()).isFalse();
            JsonNode attempt = delivery.get("attempts").get(0);
            assertThat(ReplyApiTest.fields(attempt))
                    .containsExactly("at", "engine", "statusCode", "latencyMs", "error");
            assertThat(attempt.get("statusCode").asInt()).isEqualTo(200);
            assertThat(attempt.get("error").isNull()).isTrue();
            assertThat(log.json().get("nextCursor").isNull()).isTrue();
        } finally {
            receiver.stop(0);
        }
    }
}
