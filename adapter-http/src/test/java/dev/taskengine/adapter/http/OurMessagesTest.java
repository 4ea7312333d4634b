package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.TestServer.ACME;
import static dev.taskengine.adapter.http.TestServer.TOPO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * Every message of an error body is the adapter's own, in the request's terms: no class or package name of Jackson,
 * handlebars or the JDK, and the line and column where the body goes wrong.
 */
class OurMessagesTest {
    static final TestServer server = SharedServer.get();
    static final Client client = server.client;
    static final Pattern INTERNAL =
            Pattern.compile("[a-z]+\\.[a-z]+\\.[A-Z]|Exception|jackson|handlebars|`", Pattern.CASE_INSENSITIVE);

    /** Every message of the body: detail (Reply) or message (Topo), and those of errors[]. */
    static List<String> messages(Client.Answer answer) {
        List<String> messages = new ArrayList<>();
        JsonNode body = answer.json();
        JsonNode errors =
                body.has("detail") ? body.get("errors") : body.get("data").get("errors");
        messages.add(
                body.has("detail")
                        ? body.get("detail").asText()
                        : body.get("message").asText());
        if (errors != null) {
            errors.forEach(error -> messages.add(error.get("message").asText()));
        }
        return messages;
    }

    static void assertOurs(Client.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(400);
        assertThat(messages(answer))
                .allSatisfy(message ->
                        assertThat(INTERNAL.matcher(message).find()).as(message).isFalse());
    }

    @Test
    void aBodyNestedBeyondJacksonsLimitIsRefusedInOurWords() {
        Client.Answer answer =
                client.send("POST", "/v3/tasks", ACME, "{\"a\": " + "[".repeat(1500) + "]".repeat(1500) + "}");

        assertOurs(answer);
        assertThat(messages(answer).get(1)).contains("line 1, column").contains("nest deeper than 32");
    }

    @Test
    void aBodyOfTheWrongTypeAtTheRootIsRefusedInOurWords() {
        Client.Answer answer = client.send("POST", "/v3/tasks/filter", ACME, "\"taskType\"");

        assertOurs(answer);
        assertThat(messages(answer).get(1)).isEqualTo("the body must be a JSON object, not a string");
    }

    @Test
    void trailingGarbageIsRefusedInOurWordsWithItsPosition() {
        Client.Answer answer = client.send("POST", "/v3/tasks/filter", ACME, "{} {}");

        assertOurs(answer);
        assertThat(messages(answer).get(1)).contains("line 1, column 4");
    }

    @Test
    void anUnrecognisedTokenIsRefusedInOurWordsWithItsPosition() {
        Client.Answer answer = client.send("POST", "/v3/tasks/filter", ACME, "{\"overdue\": yes}");

        assertOurs(answer);
        assertThat(messages(answer).get(1)).contains("line 1, column");
    }

    @Test
    void aRepeatedFieldIsRefusedInOurWords() {
        Client.Answer answer = client.send("POST", "/v3/tasks/filter", ACME, "{\"overdue\": true, \"overdue\": false}");

        assertOurs(answer);
        assertThat(messages(answer).get(1)).contains("'overdue' is given twice");
    }

    @Test
    void aTopoBodyNestedTooDeepIsRefusedInOurWords() {
        long id = ReplyApiTest.create(TOPO, ReplyApiTest.EMAIL_TO_ADA);

        assertOurs(client.request("POST", "/v1/tasks/" + TopoIds.of(id) + "/reopen")
                .bearer(TOPO)
                .body("{\"reason\": " + "{\"a\": ".repeat(1200) + "1" + "}".repeat(1200) + "}")
                .send());
    }

    @Test
    void aTemplateUsingAnUnknownHelperIsRefusedInOurWords() {
        Client.Answer answer = client.send("POST", "/v3/tasks", ACME, """
                {"taskType": "toDo", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "{{#each items}}x{{/each}}"}}""");

        assertOurs(answer);
        JsonNode error = answer.json().get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEqualTo("/template/body");
        assertThat(error.get("message").asText()).contains("line 1, column").contains("'each'");
    }
}
