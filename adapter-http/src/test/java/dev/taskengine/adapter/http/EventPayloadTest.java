package dev.taskengine.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.spi.TaskEvent;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The event as it leaves the process ({@link TaskEvent#payload()}) shows its task as the Reply dialect does: the same
 * fields, in the same order, with the same values, whatever the text holds.
 */
class EventPayloadTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<TaskEvent> events = new ArrayList<>();
    private static final TaskEngine engine = TaskEngine.builder()
            .store(new InMemoryTaskStore())
            .events(event -> {
                synchronized (events) {
                    events.add(event);
                }
            })
            .build();
    private static final HttpApi api = HttpApi.create(
                    engine, ApiKeys.parse(List.of("key-events=ev:7")), HttpSettings.defaults())
            .start("127.0.0.1", 0);
    private static final Client client = new Client(api.port(), true);

    @AfterAll
    static void stop() {
        api.stop();
    }

    @Test
    void thePayloadsTaskIsTheTaskAsReplyShowsIt() throws Exception {
        long id = create("""
                {"taskType": "manualEmail", "startAt": "2026-03-02T09:00:00.123456Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Hi \\"Ada\\",\\n\\ttabs \\\\ backslash \\u2028 \u00e9\u4e2d\ud83d\ude00", "subject": "Q3",
                  "attachmentIdList": [3, 5]},
                 "remindAt": "2030-03-02T08:45:00Z"}""");

        ObjectNode shown =
                (ObjectNode) client.get("/v3/tasks/" + id, "key-events").json();
        // The detail's parts beyond the list item need the contact; the payload is the list item.
        shown.remove(List.of("content", "deliveryInfo", "notes"));
        JsonNode payload = JSON.readTree(eventOf(id).payload());

        assertThat(fieldNames(payload.get("task"))).containsExactlyElementsOf(fieldNames(shown));
        assertThat(payload.get("task")).isEqualTo(shown);
    }

    @Test
    void thePayloadNamesTheEventItsTypeTimeTenantAndActor() throws Exception {
        long id = create("""
                {"taskType": "toDo", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Prepare"}}""");
        TaskEvent event = eventOf(id);

        JsonNode payload = JSON.readTree(event.payload());

        assertThat(fieldNames(payload))
                .containsExactly(
                        "schemaVersion", "id", "type", "time", "tenant", "actor", "taskId", "taskVersion", "task");
        assertThat(payload.get("schemaVersion").asInt()).isEqualTo(1);
        assertThat(payload.get("id").asText()).isEqualTo(event.id().toString());
        assertThat(payload.get("type").asText()).isEqualTo("task.created");
        assertThat(payload.get("time").asText()).isEqualTo(event.occurredAt().toString());
        assertThat(payload.get("tenant").asText()).isEqualTo("ev");
        assertThat(payload.get("actor").asText()).isEqualTo("user:7");
        assertThat(payload.get("taskId").asLong()).isEqualTo(id);
        assertThat(payload.get("taskVersion").asLong()).isEqualTo(1);
    }

    private static long create(String body) {
        Client.Answer created = client.send("POST", "/v3/tasks", "key-events", body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    private static TaskEvent eventOf(long id) {
        synchronized (events) {
            return events.stream()
                    .filter(e -> e.taskId().value() == id)
                    .reduce((first, second) -> second)
                    .orElseThrow();
        }
    }

    private static List<String> fieldNames(JsonNode node) {
        List<String> names = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            names.add(it.next().getKey());
        }
        return names;
    }
}
