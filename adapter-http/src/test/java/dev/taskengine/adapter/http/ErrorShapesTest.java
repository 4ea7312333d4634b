package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.TestServer.ACME;
import static dev.taskengine.adapter.http.TestServer.GLOBEX;
import static dev.taskengine.adapter.http.TestServer.TOPO;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Every error shape of both dialects. */
class ErrorShapesTest {
    static final TestServer server = SharedServer.get();
    static final Client client = server.client;

    static long create(String key, String body) {
        return ReplyApiTest.create(key, body);
    }

    static void assertProblem(Client.Answer answer, int status, String code) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/problem+json"));
        JsonNode problem = answer.json();
        assertThat(problem.get("type").asText()).isEqualTo("about:blank");
        assertThat(problem.get("title").asText()).isNotBlank();
        assertThat(problem.get("status").asInt()).isEqualTo(status);
        assertThat(problem.get("detail").asText()).isNotBlank();
        assertThat(problem.get("code").asText()).isEqualTo(code);
    }

    static List<String> pointers(Client.Answer answer) {
        List<String> pointers = new ArrayList<>();
        answer.json()
                .get("errors")
                .forEach(error -> pointers.add(error.get("pointer").asText()));
        return pointers;
    }

    static List<String> codes(JsonNode errors) {
        List<String> codes = new ArrayList<>();
        errors.forEach(error -> codes.add(error.get("code").asText()));
        return codes;
    }

    @Test
    void anInvalidTaskIsAnswered400WithEveryViolation() {
        Client.Answer answer = client.send("POST", "/v3/tasks", ACME, """
                {"taskType": "toDo", "startAt": "2014-06-01T00:00:00Z", "dueTo": "2014-05-01T00:00:00Z",
                 "template": {"body": " "}, "linkedInTaskType": "message"}""");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors")))
                .containsExactlyInAnyOrder(
                        "task.linkedInTaskType.notLinkedInTask",
                        "task.startAt.beforeEarliest",
                        "task.dueTo.notAfterStartAt",
                        "task.template.body.required");
        assertThat(pointers(answer)).contains("/startAt", "/dueTo", "/template/body", "/linkedInTaskType");
        answer.json().get("errors").forEach(error -> {
            assertThat(error.get("message").asText()).isNotBlank();
            assertThat(error.size()).isEqualTo(3);
        });
    }

    @Test
    void theUpdateExampleAsPrintedIsRefusedWithBothOfItsProblems() {
        long id = create(ACME, ReplyApiTest.EMAIL_TO_ADA);

        Client.Answer answer = client.send("PUT", "/v3/tasks/" + id, ACME, """
                {"taskType": "toDo", "startAt": "2023-11-07T05:31:56Z", "dueTo": "2023-11-07T05:31:56Z",
                 "template": {"body": "<string>", "subject": "<string>", "attachmentIdList": [123]},
                 "contactId": 123, "linkedInTaskType": "message"}""");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors")))
                .contains(
                        "task.dueTo.notAfterStartAt",
                        "task.linkedInTaskType.notLinkedInTask",
                        "task.contactId.unknown");
    }

    @Test
    void malformedJsonIs400WithAPointerToTheBody() {
        Client.Answer answer = client.send("POST", "/v3/tasks", ACME, "{\"taskType\": \"call\", ");

        assertProblem(answer, 400, "task.invalid");
        JsonNode error = answer.json().get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEmpty();
        assertThat(error.get("code").asText()).isEqualTo("request.body.malformed");
        assertThat(error.get("message").asText()).contains("line 1");
    }

    @Test
    void wrongTypesAndUnknownFieldsAre400WithTheirPointers() {
        Client.Answer answer = client.send("POST", "/v3/tasks", ACME, """
                {"taskType": true, "startAt": 20260101, "dueTo": "tomorrow", "contactId": "one",
                 "template": {"body": 5, "attachmentIdList": [1, "x"], "colour": "red"}, "asignee": 3}""");

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer))
                .containsExactlyInAnyOrder(
                        "/taskType",
                        "/startAt",
                        "/dueTo",
                        "/contactId",
                        "/template/body",
                        "/template/attachmentIdList/1",
                        "/template/colour",
                        "/asignee");
        assertThat(codes(answer.json().get("errors")))
                .contains("request.field.wrongType", "request.field.unknown", "request.field.invalidDateTime");
    }

    @Test
    void aBodyThatIsNotAnObjectIs400() {
        assertProblem(client.send("POST", "/v3/tasks", ACME, "[1, 2]"), 400, "task.invalid");
        assertProblem(client.send("POST", "/v3/tasks", ACME, ""), 400, "task.invalid");
    }

    @Test
    void aBodyOverTheSizeLimitIs413() {
        Client.Answer answer =
                client.send("POST", "/v3/tasks", ACME, "{\"template\": {\"body\": \"" + "x".repeat(1_100_000) + "\"}}");

        assertProblem(answer, 413, "http.413");
    }

    @Test
    void anUnknownEnumValueNamesTheAcceptedOnes() {
        Client.Answer answer = client.send("POST", "/v3/tasks", ACME, """
                {"taskType": 3, "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z", "template": {"body": "x"}}""");

        assertProblem(answer, 400, "task.invalid");
        JsonNode error = answer.json().get("errors").get(0);
        assertThat(error.get("code").asText()).isEqualTo("task.taskType.unknown");
        assertThat(error.get("pointer").asText()).isEqualTo("/taskType");
        assertThat(error.get("message").asText()).contains("7 (manualEmail)");
    }

    @Test
    void anUnknownEnumValueInAListIsPointedAtByIndex() {
        Client.Answer answer = client.send("POST", "/v3/tasks/filter", ACME, "{\"taskType\": [\"call\", \"fax\"]}");

        assertProblem(answer, 400, "task.invalid");
        JsonNode error = answer.json().get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEqualTo("/taskType/1");
        assertThat(error.get("code").asText()).isEqualTo("task.taskType.unknown");
    }

    @Test
    void aQueryParameterOutOfRangeIs400NamingTheParameter() {
        Client.Answer answer = client.send("POST", "/v3/tasks/filter?top=1001&skip=-1", ACME, "{}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer)).containsExactly("/top", "/skip");
    }

    @Test
    void aFilterWindowThatEndsBeforeItBeginsIs400AtTo() {
        Client.Answer answer = client.send(
                "POST",
                "/v3/tasks/filter",
                ACME,
                "{\"from\": \"2026-05-03T00:00:00Z\", \"to\": \"2026-05-01T00:00:00Z\"}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer)).containsExactly("/to");
    }

    @Test
    void aTaskIdThatIsNotANumberIs400() {
        Client.Answer answer = client.get("/v3/tasks/abc", ACME);

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer)).containsExactly("/id");
    }

    @Test
    void noKeyIs401WithABearerChallengeAndAnEmptyBody() {
        Client.Answer answer = client.get("/v3/tasks/1", null);

        assertThat(answer.status()).isEqualTo(401);
        assertThat(answer.header("WWW-Authenticate")).hasValue("Bearer");
        assertThat(answer.body()).isEmpty();
    }

    @Test
    void anUnknownKeyIs401AsHeaderAndAsBearer() {
        Client.Answer header = client.get("/v3/tasks/1", "no-such-key");
        Client.Answer bearer =
                client.request("GET", "/v3/tasks/1").bearer("no-such-key").send();

        assertThat(header.status()).isEqualTo(401);
        assertThat(header.body()).isEmpty();
        assertThat(bearer.status()).isEqualTo(401);
        assertThat(bearer.header("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void aKeyIsAcceptedAsBearer() {
        long id = create(ACME, ReplyApiTest.EMAIL_TO_ADA);

        assertThat(client.request("GET", "/v3/tasks/" + id).bearer(ACME).send().status())
                .isEqualTo(200);
    }

    @Test
    void anUnknownTaskIs404() {
        assertProblem(client.get("/v3/tasks/987654321", ACME), 404, "task.notFound");
    }

    @Test
    void anotherTenantsTaskIs404() {
        long theirs = create(GLOBEX, ReplyApiTest.EMAIL_TO_ADA);

        assertProblem(client.get("/v3/tasks/" + theirs, ACME), 404, "task.notFound");
        assertProblem(
                client.send("PUT", "/v3/tasks/" + theirs + "/assigned-user", ACME, "{\"userId\": 1}"),
                404,
                "task.notFound");
    }

    @Test
    void anUnknownRouteIs404() {
        assertProblem(client.get("/v3/nothing-here", ACME), 404, "route.notFound");
    }

    @Test
    void aStaleIfMatchIs409VersionConflict() {
        long id = create(ACME, ReplyApiTest.EMAIL_TO_ADA);
        client.send("PUT", "/v3/tasks/" + id + "/assigned-user", ACME, "{\"userId\": 8}");

        Client.Answer answer = client.request("PUT", "/v3/tasks/" + id + "/assigned-user")
                .key(ACME)
                .header("If-Match", "\"1\"")
                .body("{\"userId\": 9}")
                .send();

        assertProblem(answer, 409, "task.versionConflict");
        assertThat(client.get("/v3/tasks/" + id, ACME)
                        .json()
                        .get("assignedUserId")
                        .asLong())
                .isEqualTo(8);
    }

    @Test
    void aCurrentIfMatchLetsTheChangeThrough() {
        long id = create(ACME, ReplyApiTest.EMAIL_TO_ADA);
        String etag = client.get("/v3/tasks/" + id, ACME).header("ETag").orElseThrow();

        Client.Answer answer = client.request("PUT", "/v3/tasks/" + id + "/assigned-user")
                .key(ACME)
                .header("If-Match", etag)
                .body("{\"userId\": 9}")
                .send();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.header("ETag")).hasValue("\"2\"");
    }

    @Test
    void completingAFinishedTaskIs409IllegalTransition() {
        long id = create(ACME, ReplyApiTest.EMAIL_TO_ADA);
        client.send("POST", "/v3/tasks/" + id + "/complete", ACME, null);

        assertProblem(client.send("POST", "/v3/tasks/" + id + "/complete", ACME, null), 409, "task.illegalTransition");
    }

    @Test
    void executingACallIs400NotExecutable() {
        long id = create(ACME, """
                {"taskType": "call", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Call Grace"}, "contactId": 2}""");

        assertProblem(client.send("POST", "/v3/tasks/" + id + "/execute", ACME, "{}"), 400, "task.notExecutable");
    }

    @Test
    void executingAnEmailForAContactWithoutAnAddressIs400AndSendsNothing() {
        long id = create(ACME, ReplyApiTest.EMAIL_TO_ADA.replace("\"contactId\": 1", "\"contactId\": 2"));

        Client.Answer answer = client.send("POST", "/v3/tasks/" + id + "/execute", ACME, "{}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).contains("task.deliveryInfo.email.missing");
        assertThat(server.sentFor(id)).isEmpty();
    }

    @Test
    void anUnknownFieldIsNamedInOurWordsWithTheKnownFields() {
        Client.Answer answer = client.send("PUT", "/v3/tasks/1/assigned-user", ACME, "{\"userId\": 5, \"user\": 5}");

        assertProblem(answer, 400, "task.invalid");
        JsonNode error = answer.json().get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEqualTo("/user");
        assertThat(error.get("code").asText()).isEqualTo("request.field.unknown");
        assertThat(error.get("message").asText()).isEqualTo("unknown field 'user'; known fields: userId");
    }

    @Test
    void topoNamesAnUnknownFieldWithItsSnakeCaseFields() {
        Client.Answer answer = client.request("PATCH", "/v1/tasks/00000000-0000-0000-0000-000000000001/assignee")
                .bearer(TOPO)
                .body("{\"assigneeUserId\": \"00000000-0000-0000-0000-000000000005\"}")
                .send();

        assertThat(answer.status()).isEqualTo(400);
        JsonNode error = answer.json().get("data").get("errors").get(0);
        assertThat(error.get("pointer").asText()).isEqualTo("/assigneeUserId");
        assertThat(error.get("message").asText())
                .isEqualTo("unknown field 'assigneeUserId'; known fields: assignee_user_id, scope");
    }

    @Test
    void aFieldOfTheWrongTypeIsNotAlsoReportedMissing() {
        Client.Answer answer = client.send("PUT", "/v3/tasks/1/assigned-user", ACME, "{\"userId\": \"five\"}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).containsExactly("request.field.wrongType");
        assertThat(answer.json().get("errors").get(0).get("message").asText())
                .isEqualTo("expected an integer, not a string");
    }

    @Test
    void topoMalformedUuidIs400ValidationIssue() {
        Client.Answer answer =
                client.request("GET", "/v1/tasks/not-a-uuid").bearer(TOPO).send();

        assertTopo(answer, 400, "ValidationIssue");
        assertThat(answer.json().get("data").get("errors").get(0).get("pointer").asText())
                .isEqualTo("/task_id");
    }

    @Test
    void topoUuidThatCarriesNoIdIs404NotFoundIssue() {
        assertTopo(
                client.request("GET", "/v1/tasks/3c90c3cc-0d44-4b50-8888-8dd25736052a")
                        .bearer(TOPO)
                        .send(),
                404,
                "NotFoundIssue");
    }

    @Test
    void topoAnotherTenantsTaskIs404NotFoundIssue() {
        long theirs = create(GLOBEX, ReplyApiTest.EMAIL_TO_ADA);

        assertTopo(
                client.request("GET", "/v1/tasks/" + TopoIds.of(theirs))
                        .bearer(TOPO)
                        .send(),
                404,
                "NotFoundIssue");
    }

    @Test
    void topoWithoutAKeyIs401UnauthorizedIssue() {
        Client.Answer answer = client.request("GET", "/v1/tasks").send();

        assertTopo(answer, 401, "UnauthorizedIssue");
        assertThat(answer.header("WWW-Authenticate")).hasValue("Bearer");
    }

    @Test
    void topoSkippingACompletedTaskIs422BusinessIssue() {
        long id = create(TOPO, ReplyApiTest.EMAIL_TO_ADA);
        client.send("POST", "/v3/tasks/" + id + "/complete", TOPO, null);

        Client.Answer answer = client.request("POST", "/v1/tasks/" + TopoIds.of(id) + "/skip")
                .bearer(TOPO)
                .send();

        assertTopo(answer, 422, "BusinessIssue");
        assertThat(answer.json().get("data").get("code").asText()).isEqualTo("task.illegalTransition");
    }

    @Test
    void topoStaleIfMatchIs409CommitIssue() {
        long id = create(TOPO, ReplyApiTest.EMAIL_TO_ADA);
        client.send("PUT", "/v3/tasks/" + id + "/assigned-user", TOPO, "{\"userId\": 8}");

        Client.Answer answer = client.request("POST", "/v1/tasks/" + TopoIds.of(id) + "/skip")
                .bearer(TOPO)
                .header("If-Match", "\"1\"")
                .send();

        assertTopo(answer, 409, "CommitIssue");
    }

    @Test
    void topoBadBodyIs400ValidationIssueWithEveryProblem() {
        long id = create(TOPO, ReplyApiTest.EMAIL_TO_ADA);

        Client.Answer answer = client.request("PATCH", "/v1/tasks/" + TopoIds.of(id) + "/assignee")
                .bearer(TOPO)
                .body("{\"assignee_user_id\": \"bob\", \"scope\": \"EVERYTHING\", \"note\": 1}")
                .send();

        assertTopo(answer, 400, "ValidationIssue");
        List<String> pointers = new ArrayList<>();
        answer.json()
                .get("data")
                .get("errors")
                .forEach(e -> pointers.add(e.get("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/assignee_user_id", "/scope", "/note");
    }

    static void assertTopo(Client.Answer answer, int status, String type) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(status);
        assertThat(answer.header("Content-Type"))
                .hasValueSatisfying(t -> assertThat(t).startsWith("application/json"));
        JsonNode body = answer.json();
        assertThat(body.get("status_code").asInt()).isEqualTo(status);
        assertThat(body.get("type").asText()).isEqualTo(type);
        assertThat(body.get("message").asText()).isNotBlank();
        assertThat(body.get("request_id").asText()).startsWith("req_");
        assertThat(answer.header("X-Request-Id"))
                .hasValue(body.get("request_id").asText());
    }
}
