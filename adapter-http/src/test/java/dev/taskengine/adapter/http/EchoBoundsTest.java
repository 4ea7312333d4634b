package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.TestServer.ACME;
import static dev.taskengine.adapter.http.TestServer.TOPO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * An error body echoes at most 100 characters of any name or value of the request (then an ellipsis), lists at most
 * {@link Errors#MAX_LISTED} violations and counts the rest, and is at most {@link Errors#MAX_BODY_BYTES} long.
 */
class EchoBoundsTest {
    static final TestServer server = SharedServer.get();
    static final Client client = server.client;
    static final String LONG_NAME = "n".repeat(45_000);

    @Test
    void aLongUnknownFieldNameIsEchoedAbbreviated() {
        Client.Answer answer = client.send("POST", "/v3/tasks/filter", ACME, "{\"" + LONG_NAME + "\": 1}");

        ErrorShapesTest.assertProblem(answer, 400, "task.invalid");
        JsonNode error = answer.json().get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEqualTo("/" + "n".repeat(100) + "…");
        assertThat(error.get("message").asText()).startsWith("unknown field '" + "n".repeat(100) + "…'");
        assertThat(answer.body().length()).isLessThan(2_000);
    }

    @Test
    void aLongUnknownTopoFieldNameIsEchoedAbbreviated() {
        long id = ReplyApiTest.create(TOPO, ReplyApiTest.EMAIL_TO_ADA);

        Client.Answer answer = client.request("POST", "/v1/tasks/" + TopoIds.of(id) + "/reopen")
                .bearer(TOPO)
                .body("{\"" + LONG_NAME + "\": 1}")
                .send();

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.body().length()).isLessThan(2_000);
    }

    @Test
    void aLongValueIsEchoedAbbreviatedToOneHundredCharacters() {
        Client.Answer answer =
                client.send("POST", "/v3/tasks/filter", ACME, "{\"from\": \"" + "x".repeat(5_000) + "\"}");

        ErrorShapesTest.assertProblem(answer, 400, "task.invalid");
        assertThat(answer.json().get("errors").get(0).get("message").asText()).contains("'" + "x".repeat(100) + "…'");
    }

    @Test
    void manyViolationsAreListedUpToTheLimitAndTheRestCounted() {
        StringBuilder body = new StringBuilder("{");
        for (int i = 0; i < 500; i++) {
            body.append(i == 0 ? "" : ", ")
                    .append("\"field")
                    .append(i)
                    .append("_")
                    .append("z".repeat(90))
                    .append("\": 1");
        }
        Client.Answer answer =
                client.send("POST", "/v3/tasks/filter", ACME, body.append("}").toString());

        ErrorShapesTest.assertProblem(answer, 400, "task.invalid");
        JsonNode errors = answer.json().get("errors");
        assertThat(errors.size()).isLessThanOrEqualTo(Errors.MAX_LISTED + 1);
        JsonNode last = errors.get(errors.size() - 1);
        assertThat(last.get("code").asText()).isEqualTo("request.errors.truncated");
        assertThat(last.get("message").asText()).isEqualTo((500 - (errors.size() - 1)) + " more problems not listed");
        assertThat(answer.body().getBytes(StandardCharsets.UTF_8).length).isLessThanOrEqualTo(Errors.MAX_BODY_BYTES);
    }

    @Test
    void aLongUnknownPathIsEchoedAbbreviated() {
        Client.Answer answer = client.get("/v3/" + "p".repeat(3_000), ACME);

        ErrorShapesTest.assertProblem(answer, 404, "route.notFound");
        assertThat(answer.json().get("detail").asText()).hasSizeLessThan(200);
    }
}
