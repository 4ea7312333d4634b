package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.MemoryApi.KEY;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GracefulStopTest {

    @Test
    void stopLetsARequestInFlightFinishAndThenRefusesConnections() throws Exception {
        CountDownLatch sending = new CountDownLatch(1);
        MessageSender slow = message -> {
            sending.countDown();
            try {
                Thread.sleep(700);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            return Delivery.delivered("slow");
        };
        MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), slow);
        long id = memory.createEmail();
        int port = memory.api.port();
        CompletableFuture<Client.Answer> execute = CompletableFuture.supplyAsync(
                () -> memory.client.send("POST", "/v3/tasks/" + id + "/execute", KEY, "{}"));
        assertThat(sending.await(10, TimeUnit.SECONDS)).isTrue();

        long started = System.nanoTime();
        memory.api.stop();
        long stopMillis = (System.nanoTime() - started) / 1_000_000;

        Client.Answer answer = execute.get(10, TimeUnit.SECONDS);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("status").asText()).isEqualTo("finished");
        assertThat(stopMillis).as("the stop waited for the request").isGreaterThanOrEqualTo(300);
        assertThatThrownBy(() -> new Client(port).get("/v3/tasks/" + id, KEY)).isInstanceOf(UncheckedIOException.class);
    }
}
