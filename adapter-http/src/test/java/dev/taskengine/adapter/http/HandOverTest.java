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

/** {@code POST /v3/users/{from}/hand-over}: a user's open work moves round-robin; a task being sent stays. */
class HandOverTest {

    @Test
    void handOverMovesRoundRobinAndReportsTheTaskWhoseSendIsUnderWay() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        MessageSender slow = message -> {
            sending.countDown();
            AdapterSettingsTest.await(release);
            return Delivery.delivered("slow");
        };
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), slow)) {
            long sent = memory.createEmail();
            long second = memory.createEmail();
            long third = memory.createEmail();
            CompletableFuture<Client.Answer> execute = CompletableFuture.supplyAsync(
                    () -> memory.client.send("POST", "/v3/tasks/" + sent + "/execute", KEY, "{}"));
            assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();

            Client.Answer answer =
                    memory.client.send("POST", "/v3/users/7/hand-over", KEY, "{\"to\": [11, 12], \"batchSize\": 2}");
            release.countDown();

            assertThat(answer.status()).as(answer.body()).isEqualTo(200);
            JsonNode report = answer.json();
            assertThat(ReplyApiTest.fields(report)).containsExactly("moved", "notMoved", "batches");
            assertThat(report.get("moved")).hasSize(2);
            assertThat(report.get("moved").get(0).get("taskId").asLong()).isEqualTo(second);
            assertThat(report.get("moved").get(0).get("to").asLong()).isEqualTo(11);
            assertThat(report.get("moved").get(0).get("version").asLong()).isEqualTo(2);
            assertThat(report.get("moved").get(1).get("taskId").asLong()).isEqualTo(third);
            assertThat(report.get("moved").get(1).get("to").asLong()).isEqualTo(12);
            assertThat(report.get("notMoved")).hasSize(1);
            assertThat(report.get("notMoved").get(0).get("taskId").asLong()).isEqualTo(sent);
            assertThat(report.get("notMoved").get(0).get("error").get("status").asInt())
                    .isEqualTo(409);
            assertThat(report.get("notMoved").get(0).get("error").get("code").asText())
                    .isEqualTo("task.executionUnderWay");
            assertThat(report.get("batches").asInt())
                    .as("a batch of two tasks, then one")
                    .isEqualTo(2);
            assertThat(execute.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
            assertThat(memory.client
                            .get("/v3/tasks/" + second, KEY)
                            .json()
                            .get("assignedUserId")
                            .asLong())
                    .isEqualTo(11);
        }
    }
}
