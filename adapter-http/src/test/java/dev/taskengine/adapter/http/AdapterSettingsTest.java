package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.MemoryApi.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** The adapter's settings (enum form, rate limit) and the engine's failures that need a sender of the test's own. */
class AdapterSettingsTest {
    static final MessageSender DELIVERS = message -> Delivery.delivered("ok");

    @Test
    void withCodesTheReassignExampleIsAnsweredWithIntegerCodes() {
        try (MemoryApi memory =
                MemoryApi.start(HttpSettings.defaults().withEnumStyle(HttpSettings.EnumStyle.CODES), DELIVERS)) {
            long id = memory.createEmail();

            Client.Answer answer =
                    memory.client.send("PUT", "/v3/tasks/" + id + "/assigned-user", KEY, "{\"userId\": 123}");

            assertThat(answer.status()).isEqualTo(200);
            JsonNode task = answer.json();
            assertThat(task.get("taskType").isInt()).isTrue();
            assertThat(task.get("taskType").asInt()).isEqualTo(7);
            assertThat(task.get("status").asInt()).isEqualTo(0);
            assertThat(task.get("creationSource").asInt()).isEqualTo(0);
            assertThat(task.get("assignedUserId").asLong()).isEqualTo(123);
        }
    }

    @Test
    void withCodesNamesAreStillAcceptedInRequests() {
        try (MemoryApi memory =
                MemoryApi.start(HttpSettings.defaults().withEnumStyle(HttpSettings.EnumStyle.CODES), DELIVERS)) {
            Client.Answer answer = memory.client.send("POST", "/v3/tasks", KEY, """
                    {"taskType": "linkedIn", "linkedInTaskType": "viewProfile", "startAt": "2026-03-02T09:00:00Z",
                     "dueTo": "2026-03-03T09:00:00Z", "template": {"body": "Look at Ada's profile"}}""");

            assertThat(answer.status()).as(answer.body()).isEqualTo(201);
            assertThat(answer.json().get("taskType").asInt()).isEqualTo(5);
            assertThat(answer.json().get("linkedInTaskType").asInt()).isEqualTo(3);
        }
    }

    @Test
    void aKeyOverItsRateLimitGets429WithRetryAfter() {
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults().withRateLimitPerMinute(2), DELIVERS)) {
            assertThat(memory.client.get("/v3/tasks/1", KEY).status()).isEqualTo(404);
            assertThat(memory.client.get("/v3/tasks/1", KEY).status()).isEqualTo(404);

            Client.Answer limited = memory.client.get("/v3/tasks/1", KEY);

            ErrorShapesTest.assertProblem(limited, 429, "auth.rateLimited");
            assertThat(Long.parseLong(limited.header("Retry-After").orElseThrow()))
                    .isBetween(1L, 60L);
        }
    }

    @Test
    void topoOverTheRateLimitGets429WithRetryAfterInTopoShape() {
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults().withRateLimitPerMinute(1), DELIVERS)) {
            memory.client.request("GET", "/v1/tasks").bearer(KEY).send();

            Client.Answer limited =
                    memory.client.request("GET", "/v1/tasks").bearer(KEY).send();

            ErrorShapesTest.assertTopo(limited, 429, "RateLimitIssue");
            assertThat(limited.header("Retry-After")).isPresent();
            assertThat(limited.json().get("data").get("retry_after_seconds").asLong())
                    .isPositive();
        }
    }

    @Test
    void withoutARateLimitRequestsAreNeverLimited() {
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), DELIVERS)) {
            for (int i = 0; i < 120; i++) {
                assertThat(memory.client.get("/v3/tasks/1", KEY).status()).isEqualTo(404);
            }
        }
    }

    @Test
    void aPermanentDeliveryFailureIs422AndMarksTheTaskFailed() {
        MessageSender rejects = message -> Delivery.permanentFailure("mailbox does not exist");
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), rejects)) {
            long id = memory.createEmail();

            Client.Answer answer = memory.client.send("POST", "/v3/tasks/" + id + "/execute", KEY, "{}");

            ErrorShapesTest.assertProblem(answer, 422, "task.deliveryFailed.permanent");
            assertThat(answer.json().get("detail").asText()).contains("mailbox does not exist");
            JsonNode task = memory.client.get("/v3/tasks/" + id, KEY).json();
            assertThat(task.get("isFailed").asBoolean()).isTrue();
            assertThat(task.get("status").asText()).isEqualTo("new");
        }
    }

    @Test
    void aTransientDeliveryFailureIs502() {
        MessageSender times = message -> Delivery.transientFailure("provider timed out");
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), times)) {
            long id = memory.createEmail();

            ErrorShapesTest.assertProblem(
                    memory.client.send("POST", "/v3/tasks/" + id + "/execute", KEY, "{}"),
                    502,
                    "task.deliveryFailed.transient");
        }
    }

    @Test
    void aChangeWhileTheMessageIsWithTheSenderIs409ExecutionUnderWay() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MessageSender slow = message -> {
            sending.countDown();
            await(release);
            return Delivery.delivered("slow");
        };
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), slow)) {
            long id = memory.createEmail();
            CompletableFuture<Client.Answer> execute = CompletableFuture.supplyAsync(
                    () -> memory.client.send("POST", "/v3/tasks/" + id + "/execute", KEY, "{}"));
            assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();

            Client.Answer meanwhile =
                    memory.client.send("PUT", "/v3/tasks/" + id + "/assigned-user", KEY, "{\"userId\": 9}");
            release.countDown();

            ErrorShapesTest.assertProblem(meanwhile, 409, "task.executionUnderWay");
            assertThat(execute.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
        }
    }

    static void await(CountDownLatch latch) {
        try {
            latch.await(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
