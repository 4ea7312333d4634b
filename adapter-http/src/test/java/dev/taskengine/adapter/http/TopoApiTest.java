package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.TestServer.TOPO;
import static dev.taskengine.adapter.http.TestServer.TOPO_PAGES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Topo v1 dialect: the reference page's reassign replayed, and the other routes. */
class TopoApiTest {
    static final List<String> TASK_FIELDS = List.of(
            "id",
            "organization_id",
            "type",
            "priority",
            "status",
            "sequence_id",
            "assignee_user_id",
            "disposition",
            "reopened_at",
            "reopen_reason",
            "skipped_at",
            "completed_at",
            "created_at",
            "updated_at",
            "deferred_until",
            "deferral_reason",
            "remind_at",
            "snoozed_until",
            "paused_until");

    static final TestServer server = SharedServer.get();
    static final Client client = server.client;

    static final String SEQUENCE_CALL = """
            {"taskType": "call", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z", "priority": "hot",
             "template": {"body": "Call Alan"}, "contactId": 3, "sequenceId": %d, "sequenceStepId": %d}""";

    static long create(String key, String body) {
        return ReplyApiTest.create(key, body);
    }

    static Client.Answer topo(String method, String path, String body) {
        return client.request(method, path).bearer(TOPO).body(body).send();
    }

    @Test
    void reassignReplaysTheReferenceExample() {
        long id = create(TOPO, String.format(SEQUENCE_CALL, 301, 1));
        String taskId = TopoIds.of(id);
        String assignee = TopoIds.of(42);

        // The page's fetch: PATCH with a Bearer key and {assignee_user_id, scope: 'TASK'}.
        Client.Answer answer = topo(
                "PATCH",
                "/v1/tasks/" + taskId + "/assignee",
                "{\"assignee_user_id\": \"" + assignee + "\", \"scope\": \"TASK\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode task = answer.json();
        assertThat(ReplyApiTest.fields(task)).containsExactlyElementsOf(TASK_FIELDS);
        assertThat(task.get("id").asText())
                .isEqualTo(taskId)
                .isEqualTo(String.format("00000000-0000-0000-0000-%012x", id));
        assertThat(task.get("organization_id").asText())
                .matches("[0-9a-f]{8}-[0-9a-f]{4}-3[0-9a-f]{3}-[0-9a-f]{4}-[0-9a-f]{12}");
        assertThat(task.get("type").asText()).isEqualTo("CALL");
        assertThat(task.get("priority").asText()).isEqualTo("HOT");
        assertThat(task.get("status").asText()).isEqualTo("PENDING");
        assertThat(task.get("sequence_id").asText()).isEqualTo("00000000-0000-0000-0000-00000000012d");
        assertThat(task.get("assignee_user_id").asText()).isEqualTo("00000000-0000-0000-0000-00000000002a");
        assertThat(task.get("disposition").isNull()).isTrue();
        assertThat(task.get("reopened_at").isNull()).isTrue();
        assertThat(task.get("reopen_reason").isNull()).isTrue();
        assertThat(task.get("skipped_at").isNull()).isTrue();
        assertThat(task.get("completed_at").isNull()).isTrue();
        assertThat(task.get("created_at").asText()).endsWith("Z");
        assertThat(task.get("updated_at").asText()).endsWith("Z");
        assertThat(client.get("/v3/tasks/" + id, TOPO)
                        .json()
                        .get("assignedUserId")
                        .asLong())
                .isEqualTo(42);
    }

    @Test
    void reassignWithSequenceScopeMovesEveryActiveTaskOfTheSequence() {
        long first = create(TOPO, String.format(SEQUENCE_CALL, 302, 1));
        long second = create(TOPO, String.format(SEQUENCE_CALL, 302, 2));
        long elsewhere = create(TOPO, String.format(SEQUENCE_CALL, 303, 1));

        Client.Answer answer = topo(
                "PATCH",
                "/v1/tasks/" + TopoIds.of(first) + "/assignee",
                "{\"assignee_user_id\": \"" + TopoIds.of(77) + "\", \"scope\": \"SEQUENCE\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(topo("GET", "/v1/tasks/" + TopoIds.of(second), null)
                        .json()
                        .get("assignee_user_id")
                        .asText())
                .isEqualTo(TopoIds.of(77));
        assertThat(topo("GET", "/v1/tasks/" + TopoIds.of(elsewhere), null)
                        .json()
                        .get("assignee_user_id")
                        .asText())
                .isEqualTo(TopoIds.of(5));
    }

    @Test
    void getAnswersTheTaskInTopoShape() {
        long id = create(TOPO, ReplyApiTest.EMAIL_TO_ADA);

        Client.Answer answer = topo("GET", "/v1/tasks/" + TopoIds.of(id), null);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(ReplyApiTest.fields(answer.json())).containsExactlyElementsOf(TASK_FIELDS);
        assertThat(answer.json().get("type").asText()).isEqualTo("EMAIL_REPLY");
        assertThat(answer.json().get("sequence_id").isNull())
                .as("a user task has no sequence")
                .isTrue();
        assertThat(answer.header("ETag")).hasValue("\"1\"");
    }

    @Test
    void skipThenReopenRecordsBothTimesAndTheReason() {
        long id = create(TOPO, ReplyApiTest.EMAIL_TO_ADA);

        Client.Answer skipped = topo("POST", "/v1/tasks/" + TopoIds.of(id) + "/skip", null);
        Client.Answer reopened =
                topo("POST", "/v1/tasks/" + TopoIds.of(id) + "/reopen", "{\"reason\": \"REMINDER_RULE\"}");

        assertThat(skipped.status()).isEqualTo(200);
        assertThat(skipped.json().get("status").asText()).isEqualTo("SKIPPED");
        assertThat(skipped.json().get("skipped_at").isNull()).isFalse();
        assertThat(reopened.status()).as(reopened.body()).isEqualTo(200);
        assertThat(reopened.json().get("status").asText()).isEqualTo("PENDING");
        assertThat(reopened.json().get("reopen_reason").asText()).isEqualTo("REMINDER_RULE");
        assertThat(reopened.json().get("reopened_at").isNull()).isFalse();
        assertThat(reopened.json().get("skipped_at").isNull()).isTrue();
    }

    @Test
    void reopenWithoutABodyIsAManualReopen() {
        long id = create(TOPO, ReplyApiTest.EMAIL_TO_ADA);
        client.send("POST", "/v3/tasks/" + id + "/complete", TOPO, null);

        Client.Answer reopened = topo("POST", "/v1/tasks/" + TopoIds.of(id) + "/reopen", null);

        assertThat(reopened.status()).isEqualTo(200);
        assertThat(reopened.json().get("reopen_reason").asText()).isEqualTo("MANUAL");
        assertThat(reopened.json().get("completed_at").isNull()).isTrue();
    }

    @Test
    void listPagesWithPageAndSize() {
        List<Long> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            ids.add(create(TOPO_PAGES, ReplyApiTest.EMAIL_TO_ADA));
        }

        Client.Answer first =
                client.request("GET", "/v1/tasks?size=2").bearer(TOPO_PAGES).send();
        Client.Answer last = client.request("GET", "/v1/tasks?size=2&page=3")
                .bearer(TOPO_PAGES)
                .send();
        Client.Answer newestFirst = client.request("GET", "/v1/tasks?size=2&sort_by=created_at&sort_order=desc")
                .bearer(TOPO_PAGES)
                .send();

        assertThat(first.status()).isEqualTo(200);
        assertThat(ReplyApiTest.fields(first.json()))
                .containsExactly("items", "total_count", "total_pages", "has_more");
        assertThat(first.json().get("total_count").asLong()).isEqualTo(5);
        assertThat(first.json().get("total_pages").asLong()).isEqualTo(3);
        assertThat(first.json().get("has_more").asBoolean()).isTrue();
        assertThat(uuids(first)).containsExactly(TopoIds.of(ids.get(0)), TopoIds.of(ids.get(1)));
        assertThat(ReplyApiTest.fields(first.json().get("items").get(0))).containsExactlyElementsOf(TASK_FIELDS);
        assertThat(uuids(last)).containsExactly(TopoIds.of(ids.get(4)));
        assertThat(last.json().get("has_more").asBoolean()).isFalse();
        assertThat(uuids(newestFirst)).containsExactly(TopoIds.of(ids.get(4)), TopoIds.of(ids.get(3)));
    }

    @Test
    void listFiltersByTypesStatusPrioritiesSequenceAndAssignee() {
        long hotCall = create(TOPO, String.format(SEQUENCE_CALL, 304, 1));
        create(TOPO, String.format(SEQUENCE_CALL, 304, 2).replace("\"hot\"", "\"extra\""));
        create(TOPO, String.format(SEQUENCE_CALL, 305, 1));

        Client.Answer answer = client.request(
                        "GET",
                        "/v1/tasks?types[]=CALL&types=EMAIL_REPLY&status=PENDING&priorities=HOT" + "&sequence_id="
                                + TopoIds.of(304) + "&assignee_user_id=" + TopoIds.of(5))
                .bearer(TOPO)
                .send();

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(uuids(answer)).containsExactly(TopoIds.of(hotCall));
        assertThat(answer.json().get("total_count").asLong()).isEqualTo(1);
    }

    @Test
    void listWithAUuidThatCarriesNoIdMatchesNothing() {
        Client.Answer answer = client.request("GET", "/v1/tasks?sequence_id=3c90c3cc-0d44-4b50-8888-8dd25736052a")
                .bearer(TOPO)
                .send();

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.json().get("items")).isEmpty();
        assertThat(answer.json().get("total_count").asLong()).isZero();
    }

    @Test
    void listRefusesASizeAboveOneHundred() {
        Client.Answer answer =
                client.request("GET", "/v1/tasks?size=101").bearer(TOPO).send();

        ErrorShapesTest.assertTopo(answer, 400, "ValidationIssue");
        assertThat(answer.json().get("data").get("errors").get(0).get("pointer").asText())
                .isEqualTo("/size");
    }

    @Test
    void snoozeAnswersTheTaskWithSnoozedUntilAndHidesItFromTheList() {
        long id = WorkdayApiTest.call(TOPO, 3, 61, "2026-03-02T09:00:00Z");

        Client.Answer answer = topo(
                "POST", "/v1/tasks/" + TopoIds.of(id) + "/snooze", "{\"snoozed_until\": \"2030-01-07T09:00:00Z\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(ReplyApiTest.fields(answer.json())).containsExactlyElementsOf(TASK_FIELDS);
        assertThat(answer.json().get("snoozed_until").asText()).isEqualTo("2030-01-07T09:00:00Z");
        String list = "/v1/tasks?assignee_user_id=" + TopoIds.of(61) + "&hidden=";
        assertThat(uuids(client.request("GET", list + "true").bearer(TOPO).send()))
                .containsExactly(TopoIds.of(id));
        assertThat(uuids(client.request("GET", list + "false").bearer(TOPO).send()))
                .isEmpty();
    }

    @Test
    void unsnoozeAnswersTheTaskBack() {
        long id = WorkdayApiTest.call(TOPO, 3, 62, "2026-03-02T09:00:00Z");
        topo("POST", "/v1/tasks/" + TopoIds.of(id) + "/snooze", "{\"snoozed_until\": \"2030-01-07T09:00:00Z\"}");

        Client.Answer answer = topo("DELETE", "/v1/tasks/" + TopoIds.of(id) + "/snooze", null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("snoozed_until").isNull()).isTrue();
    }

    @Test
    void snoozeWithoutItsEndIsAValidationIssueAtSnoozedUntil() {
        long id = WorkdayApiTest.call(TOPO, 3, 63, "2026-03-02T09:00:00Z");

        Client.Answer answer = topo("POST", "/v1/tasks/" + TopoIds.of(id) + "/snooze", "{\"until\": 1}");

        ErrorShapesTest.assertTopo(answer, 400, "ValidationIssue");
        List<String> pointers = new ArrayList<>();
        answer.json()
                .get("data")
                .get("errors")
                .forEach(e -> pointers.add(e.get("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/until", "/snoozed_until");
    }

    @Test
    void listRefusesAHiddenThatIsNotABoolean() {
        Client.Answer answer =
                client.request("GET", "/v1/tasks?hidden=maybe").bearer(TOPO).send();

        ErrorShapesTest.assertTopo(answer, 400, "ValidationIssue");
        assertThat(answer.json().get("data").get("errors").get(0).get("pointer").asText())
                .isEqualTo("/hidden");
    }

    @Test
    void unsnoozeOfATaskThatIsNotSnoozedIsAValidationIssueAtSnoozedUntil() {
        long id = WorkdayApiTest.call(TOPO, 3, 64, "2026-03-02T09:00:00Z");

        Client.Answer answer = topo("DELETE", "/v1/tasks/" + TopoIds.of(id) + "/snooze", null);

        ErrorShapesTest.assertTopo(answer, 400, "ValidationIssue");
        assertThat(answer.json().get("data").get("errors").get(0).get("pointer").asText())
                .isEqualTo("/snoozed_until");
    }

    @Test
    void snoozeOfAPathThatIsNotAUuidIsAValidationIssue() {
        Client.Answer answer = topo("POST", "/v1/tasks/42/snooze", "{\"snoozed_until\": \"2030-01-07T09:00:00Z\"}");

        ErrorShapesTest.assertTopo(answer, 400, "ValidationIssue");
        assertThat(answer.json().get("data").get("errors").get(0).get("pointer").asText())
                .isEqualTo("/task_id");
    }

    static List<String> uuids(Client.Answer answer) {
        List<String> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }
}
