package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.MemoryApi.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.store.TaskStore;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** A store that cannot answer (the database is down) is a 503 with Retry-After in either dialect, never a 500. */
class StoreUnavailableTest {

    /** A store in memory whose database goes down when {@code down} is set: every call then throws, as adapter-jdbi's does. */
    static TaskStore goingDown(AtomicBoolean down) {
        TaskStore up = new InMemoryTaskStore();
        return (TaskStore) Proxy.newProxyInstance(
                TaskStore.class.getClassLoader(), new Class<?>[] {TaskStore.class}, (proxy, method, args) -> {
                    if (down.get() && method.getDeclaringClass() != Object.class) {
                        throw new StoreUnavailableException(
                                "the database is down", new java.io.IOException("connection refused"));
                    }
                    try {
                        return method.invoke(up, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });
    }

    @Test
    void replyAnswers503WithRetryAfterAsAProblem() {
        AtomicBoolean down = new AtomicBoolean();
        try (MemoryApi memory =
                MemoryApi.start(HttpSettings.defaults(), AdapterSettingsTest.DELIVERS, goingDown(down))) {
            down.set(true);

            Client.Answer answer = memory.client.get("/v3/tasks/1", KEY);

            ErrorShapesTest.assertProblem(answer, 503, "store.unavailable");
            assertThat(answer.json().get("title").asText()).isEqualTo("Service Unavailable");
            assertThat(answer.header("Retry-After")).contains("5");
            assertThat(answer.body()).doesNotContain("connection refused").doesNotContain("Exception");
        }
    }

    @Test
    void topoAnswers503WithRetryAfterInItsErrorBody() {
        AtomicBoolean down = new AtomicBoolean();
        try (MemoryApi memory =
                MemoryApi.start(HttpSettings.defaults(), AdapterSettingsTest.DELIVERS, goingDown(down))) {
            down.set(true);

            Client.Answer answer =
                    memory.client.request("GET", "/v1/tasks").bearer(KEY).send();

            assertThat(answer.status()).isEqualTo(503);
            assertThat(answer.header("Retry-After")).contains("5");
            JsonNode body = answer.json();
            assertThat(body.get("status_code").asInt()).isEqualTo(503);
            assertThat(body.get("type").asText()).isEqualTo("InternalIssue");
            assertThat(body.get("data").get("code").asText()).isEqualTo("store.unavailable");
            assertThat(body.get("data").get("retry_after_seconds").asLong()).isEqualTo(5);
            assertThat(body.get("request_id").asText())
                    .isEqualTo(answer.header("X-Request-Id").orElseThrow());
            assertThat(answer.body()).doesNotContain("connection refused").doesNotContain("Exception");
        }
    }
}
