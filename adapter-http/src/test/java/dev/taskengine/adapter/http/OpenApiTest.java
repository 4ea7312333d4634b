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

            assertThat(registered).hasSize(16);
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
}
