package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.MemoryApi.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.adapter.memory.InMemoryMessageSender;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * A request body is acted on only when it is declared as JSON: any other Content-Type is 415
 * {@code request.contentType.unsupported} in the dialect's error shape, and nothing is stored or sent.
 */
class ContentTypeTest {
    static final String TOPO_ADA_TO_8 = "{\"assignee_user_id\": \"" + TopoIds.of(8) + "\"}";

    static InMemoryTaskStore store;
    static InMemoryMessageSender sender;
    static MemoryApi memory;

    @BeforeAll
    static void start() {
        store = new InMemoryTaskStore();
        sender = new InMemoryMessageSender();
        memory = MemoryApi.start(HttpSettings.defaults(), sender, store);
    }

    @AfterAll
    static void stop() {
        memory.close();
    }

    static Client.Answer send(String method, String path, String contentType, String body) {
        return memory.client
                .request(method, path)
                .key(KEY)
                .contentType(contentType)
                .body(body)
                .send();
    }

    static void assertUnsupported(Client.Answer answer) {
        ErrorShapesTest.assertProblem(answer, 415, "request.contentType.unsupported");
        JsonNode error = answer.json().get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEqualTo("/Content-Type");
        assertThat(error.get("code").asText()).isEqualTo("request.contentType.unsupported");
    }

    @Test
    void aTextPlainCreateIs415AndStoresNothing() {
        int before = store.size();

        assertUnsupported(send("POST", "/v3/tasks", "text/plain", ReplyApiTest.EMAIL_TO_ADA));

        assertThat(store.size()).isEqualTo(before);
    }

    @Test
    void aFormEncodedCreateIs415AndStoresNothing() {
        int before = store.size();

        assertUnsupported(send("POST", "/v3/tasks", "application/x-www-form-urlencoded", ReplyApiTest.EMAIL_TO_ADA));

        assertThat(store.size()).isEqualTo(before);
    }

    @Test
    void anXmlReassignIs415AndLeavesTheAssignee() {
        long id = memory.createEmail();

        assertUnsupported(send("PUT", "/v3/tasks/" + id + "/assigned-user", "application/xml", "{\"userId\": 8}"));

        assertThat(memory.client
                        .get("/v3/tasks/" + id, KEY)
                        .json()
                        .get("assignedUserId")
                        .asLong())
                .isEqualTo(7);
    }

    @Test
    void anHtmlExecuteIs415AndSendsNothing() {
        long id = memory.createEmail();

        assertUnsupported(send("POST", "/v3/tasks/" + id + "/execute", "text/html", "{}"));

        assertThat(sender.sent()).noneMatch(message -> message.taskId().value() == id);
        assertThat(memory.client
                        .get("/v3/tasks/" + id, KEY)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("new");
    }

    @Test
    void aMultipartCompleteIs415AndLeavesTheTaskActive() {
        long id = memory.createEmail();

        assertUnsupported(send("POST", "/v3/tasks/" + id + "/complete", "multipart/form-data; boundary=x", "{}"));

        assertThat(memory.client
                        .get("/v3/tasks/" + id, KEY)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("new");
    }

    @Test
    void aBodyWithoutContentTypeIs415() {
        int before = store.size();

        assertUnsupported(send("POST", "/v3/tasks", null, ReplyApiTest.EMAIL_TO_ADA));

        assertThat(store.size()).isEqualTo(before);
    }

    @Test
    void aJsonBodyInACharsetOtherThanUtf8Is415() {
        assertUnsupported(send("POST", "/v3/tasks", "application/json; charset=iso-8859-1", ReplyApiTest.EMAIL_TO_ADA));
    }

    @Test
    void aTopoReassignAsTextIs415InTopoShapeAndLeavesTheAssignee() {
        long id = memory.createEmail();

        Client.Answer answer = memory.client
                .request("PATCH", "/v1/tasks/" + TopoIds.of(id) + "/assignee")
                .bearer(KEY)
                .contentType("text/plain")
                .body(TOPO_ADA_TO_8)
                .send();

        ErrorShapesTest.assertTopo(answer, 415, "ValidationIssue");
        assertThat(answer.json().get("data").get("code").asText()).isEqualTo("request.contentType.unsupported");
        assertThat(answer.json().get("data").get("errors").get(0).get("pointer").asText())
                .isEqualTo("/Content-Type");
        assertThat(memory.client
                        .get("/v3/tasks/" + id, KEY)
                        .json()
                        .get("assignedUserId")
                        .asLong())
                .isEqualTo(7);
    }

    @Test
    void aTopoSkipWithAFormBodyIs415AndLeavesTheTaskActive() {
        long id = memory.createEmail();

        Client.Answer answer = memory.client
                .request("POST", "/v1/tasks/" + TopoIds.of(id) + "/skip")
                .bearer(KEY)
                .contentType("application/x-www-form-urlencoded")
                .body("reason=x")
                .send();

        ErrorShapesTest.assertTopo(answer, 415, "ValidationIssue");
        assertThat(memory.client
                        .get("/v3/tasks/" + id, KEY)
                        .json()
                        .get("status")
                        .asText())
                .isEqualTo("new");
    }

    @Test
    void jsonWithAUtf8CharsetIsAccepted() {
        assertThat(send("POST", "/v3/tasks", "application/json; charset=UTF-8", ReplyApiTest.EMAIL_TO_ADA)
                        .status())
                .isEqualTo(201);
    }

    @Test
    void aPlusJsonTypeIsAccepted() {
        long id = memory.createEmail();

        assertThat(send("PUT", "/v3/tasks/" + id + "/assigned-user", "application/merge-patch+json", "{\"userId\": 8}")
                        .status())
                .isEqualTo(200);
    }

    @Test
    void anEmptyBodyWithoutContentTypeIsAcceptedWhereNoBodyIsNeeded() {
        long id = memory.createEmail();

        assertThat(memory.client
                        .request("POST", "/v3/tasks/" + id + "/complete")
                        .key(KEY)
                        .send()
                        .status())
                .isEqualTo(200);
    }
}
