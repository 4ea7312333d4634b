package dev.taskengine.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class OpenApiTest {

    @Test
    void everyRouteTheServerRegistersIsInTheDocumentAndNoOther() {
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), AdapterSettingsTest.DELIVERS)) {
            Client.Answer answer = memory.client.request("GET", "/openapi.json").send();

            assertThat(answer.status()).as("served without a key").isEqualTo(200);
            JsonNode doc = answer.json();
            assertThat(doc.get("openapi").asText()).startsWith("3.");
            List<String> documented = new ArrayList<>();
            doc.get("paths")
                    .properties()
                    .forEach(path -> path.getValue()
                            .fieldNames()
                            .forEachRemaining(
                                    method -> documented.add(method.toUpperCase(Locale.ROOT) + " " + path.getKey())));
            List<String> registered = memory.api.routes().stream()
                    .map(r -> r.method() + " " + r.path())
                    .toList();

            assertThat(registered).hasSize(39);
            assertThat(documented).containsExactlyInAnyOrderElementsOf(registered);
        }
    }

    @Test
    void everySchemaTheDocumentReferencesIsDefined() {
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), AdapterSettingsTest.DELIVERS)) {
            String doc = memory.client.request("GET", "/openapi.json").send().body();
            JsonNode schemas = memory.client
                    .request("GET", "/openapi.json")
                    .send()
                    .json()
                    .get("components")
                    .get("schemas");

            java.util.regex.Matcher refs = java.util.regex.Pattern.compile("#/components/schemas/([A-Za-z]+)")
                    .matcher(doc);
            while (refs.find()) {
                assertThat(schemas.has(refs.group(1))).as(refs.group(1)).isTrue();
            }
        }
    }

    @Test
    void theWorkingDayRoutesAreDocumented() {
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), AdapterSettingsTest.DELIVERS)) {
            JsonNode paths =
                    memory.client.request("GET", "/openapi.json").send().json().get("paths");

            assertThat(paths.get("/v3/tasks/{id}/snooze").has("post")).isTrue();
            assertThat(paths.get("/v3/tasks/{id}/snooze").has("delete")).isTrue();
            assertThat(paths.has("/v3/tasks/snooze")).isTrue();
            assertThat(paths.has("/v3/tasks/unsnooze")).isTrue();
            assertThat(paths.has("/v3/tasks/reschedule")).isTrue();
            assertThat(paths.get("/v3/tasks/{id}/notes").has("get")).isTrue();
            assertThat(paths.has("/v3/tasks/{id}/history")).isTrue();
            assertThat(paths.has("/v3/history")).isTrue();
            assertThat(paths.has("/v3/users/{from}/hand-over")).isTrue();
            assertThat(paths.get("/v3/contacts/{id}/pause").size()).isEqualTo(3);
            assertThat(paths.has("/v3/tasks/stale")).isTrue();
            assertThat(paths.get("/v1/tasks/{task_id}/snooze").size()).isEqualTo(2);
        }
    }

    @Test
    void theWebhookRoutesAreDocumented() {
        try (MemoryApi memory = MemoryApi.start(HttpSettings.defaults(), AdapterSettingsTest.DELIVERS)) {
            JsonNode doc = memory.client.request("GET", "/openapi.json").send().json();
            JsonNode paths = doc.get("paths");
            JsonNode schemas = doc.get("components").get("schemas");

            assertThat(paths.get("/v3/webhooks").size()).isEqualTo(2);
            assertThat(paths.get("/v3/webhooks/{id}").size()).isEqualTo(3);
            assertThat(paths.get("/v3/webhooks/{id}/rotate-secret").has("post")).isTrue();
            assertThat(paths.get("/v3/webhooks/{id}/deliveries").has("get")).isTrue();
            List<String> view = new ArrayList<>();
            schemas.get("ReplyWebhook").get("properties").fieldNames().forEachRemaining(view::add);
            assertThat(view).containsExactlyElementsOf(WebhookApiTest.WEBHOOK_FIELDS);
            assertThat(schemas.get("ReplyWebhookWithSecret").get("properties").has("secret"))
                    .isTrue();
            assertThat(schemas.get("ReplyWebhookDelivery").get("properties").has("attempts"))
                    .isTrue();
        }
    }
}
