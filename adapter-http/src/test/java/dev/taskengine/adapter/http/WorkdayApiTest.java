package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.ErrorShapesTest.assertProblem;
import static dev.taskengine.adapter.http.ErrorShapesTest.codes;
import static dev.taskengine.adapter.http.ErrorShapesTest.pointers;
import static dev.taskengine.adapter.http.TestServer.STALE;
import static dev.taskengine.adapter.http.TestServer.WORKDAY;
import static dev.taskengine.adapter.http.TestServer.WORKDAY_8;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The rep's working day in the Reply dialect: snooze, bulk changes, notes, history, hand-over, contact pause, stale. */
class WorkdayApiTest {
    static final TestServer server = SharedServer.get();
    static final Client client = server.client;

    static final String LATER = "2030-01-07T09:00:00Z";

    /** A call task of user {@code assignee} for {@code contact}, starting at {@code startAt}, due a day later. */
    static long call(String key, long contact, long assignee, String startAt) {
        Instant start = Instant.parse(startAt);
        return ReplyApiTest.create(key, """
                {"taskType": "call", "startAt": "%s", "dueTo": "%s", "template": {"body": "Call about the pilot"},
                 "contactId": %d, "assignedUserId": %d}""".formatted(start, start.plusSeconds(86_400), contact, assignee));
    }

    static long call(long assignee) {
        return call(WORKDAY, 1, assignee, "2026-03-02T09:00:00Z");
    }

    static JsonNode task(String key, long id) {
        Client.Answer answer = client.get("/v3/tasks/" + id, key);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        return answer.json();
    }

    static void complete(long id) {
        assertThat(client.send("POST", "/v3/tasks/" + id + "/complete", WORKDAY, "{}")
                        .status())
                .isEqualTo(200);
    }

    static List<Long> filterIds(String key, String filter) {
        Client.Answer answer = client.send("POST", "/v3/tasks/filter?top=1000", key, filter);
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }

    static List<String> fieldNames(JsonNode node) {
        return ReplyApiTest.fields(node);
    }

    // --- fields of the existing routes

    @Test
    void createTakesRemindAtAndTheTaskAnswersIt() {
        long id = ReplyApiTest.create(WORKDAY, """
                {"taskType": "call", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Call about the pilot"}, "contactId": 1, "remindAt": "2030-03-02T08:45:00Z"}""");

        JsonNode task = task(WORKDAY, id);

        assertThat(task.get("remindAt").asText()).isEqualTo("2030-03-02T08:45:00Z");
        assertThat(task.get("snoozedUntil").isNull()).isTrue();
        assertThat(task.get("pausedUntil").isNull()).isTrue();
    }

    @Test
    void anUpdateWithoutRemindAtClearsTheReminder() {
        String body = """
                {"taskType": "call", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Call about the pilot"}, "contactId": 1%s}""";
        long id = ReplyApiTest.create(WORKDAY, body.formatted(", \"remindAt\": \"2030-03-02T08:45:00Z\""));

        Client.Answer answer = client.send("PUT", "/v3/tasks/" + id, WORKDAY, body.formatted(""));

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("remindAt").isNull()).isTrue();
    }

    @Test
    void aReminderBefore2015Is400AtRemindAt() {
        Client.Answer answer = client.send("POST", "/v3/tasks", WORKDAY, """
                {"taskType": "call", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Call about the pilot"}, "contactId": 1, "remindAt": "2014-03-02T08:45:00Z"}""");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).containsExactly("task.remindAt.beforeEarliest");
        assertThat(pointers(answer)).containsExactly("/remindAt");
    }

    @Test
    void everyNewRouteRefusesAnIdInItsPathThatIsNotOne() {
        for (String[] route : new String[][] {
            {"POST", "/v3/tasks/x/snooze", "{\"until\": \"" + LATER + "\"}", "/id"},
            {"DELETE", "/v3/tasks/x/snooze", null, "/id"},
            {"POST", "/v3/tasks/x/notes", "{\"text\": \"hi\"}", "/id"},
            {"GET", "/v3/tasks/0/notes", null, "/id"},
            {"GET", "/v3/tasks/-1/history", null, "/id"},
            {"DELETE", "/v3/contacts/x/pause", null, "/id"},
            {"GET", "/v3/contacts/0/pause", null, "/id"}
        }) {
            Client.Answer answer = client.request(route[0], route[1])
                    .key(WORKDAY)
                    .body(route[2])
                    .send();

            assertProblem(answer, 400, "task.invalid");
            assertThat(pointers(answer)).as(route[0] + " " + route[1]).containsExactly(route[3]);
        }
    }

    // --- snooze one task

    @Test
    void snoozeHidesTheTaskUntilItsEnd() {
        long id = call(41);

        Client.Answer answer =
                client.send("POST", "/v3/tasks/" + id + "/snooze", WORKDAY, "{\"until\": \"" + LATER + "\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("snoozedUntil").asText()).isEqualTo(LATER);
        assertThat(answer.header("ETag")).hasValue("\"2\"");
        assertThat(filterIds(WORKDAY, "{\"assignedUserId\": 41, \"hidden\": true}"))
                .containsExactly(id);
        assertThat(filterIds(WORKDAY, "{\"assignedUserId\": 41, \"hidden\": false}"))
                .isEmpty();
    }

    @Test
    void unsnoozeBringsTheTaskBackNow() {
        long id = call(42);
        client.send("POST", "/v3/tasks/" + id + "/snooze", WORKDAY, "{\"until\": \"" + LATER + "\"}");

        Client.Answer answer = client.request("DELETE", "/v3/tasks/" + id + "/snooze")
                .key(WORKDAY)
                .send();

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("snoozedUntil").isNull()).isTrue();
        assertThat(filterIds(WORKDAY, "{\"assignedUserId\": 42, \"hidden\": false}"))
                .containsExactly(id);
    }

    @Test
    void snoozeWithoutItsEndIs400AtUntil() {
        long id = call(43);

        Client.Answer answer = client.send("POST", "/v3/tasks/" + id + "/snooze", WORKDAY, "{}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).containsExactly("task.snoozedUntil.required");
        assertThat(pointers(answer)).containsExactly("/until");
    }

    @Test
    void snoozeUntilAPastTimeIs400AtUntil() {
        long id = call(43);

        Client.Answer answer =
                client.send("POST", "/v3/tasks/" + id + "/snooze", WORKDAY, "{\"until\": \"2020-01-01T00:00:00Z\"}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).containsExactly("task.snoozedUntil.notInFuture");
        assertThat(pointers(answer)).containsExactly("/until");
        assertThat(task(WORKDAY, id).get("snoozedUntil").isNull())
                .as("nothing stored")
                .isTrue();
    }

    @Test
    void unsnoozingATaskThatIsNotSnoozedIs400() {
        long id = call(43);

        Client.Answer answer = client.request("DELETE", "/v3/tasks/" + id + "/snooze")
                .key(WORKDAY)
                .send();

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).containsExactly("task.snoozedUntil.notSnoozed");
    }

    @Test
    void completingASnoozedTaskEndsItsSnooze() {
        long id = call(43);
        client.send("POST", "/v3/tasks/" + id + "/snooze", WORKDAY, "{\"until\": \"" + LATER + "\"}");

        Client.Answer answer = client.send("POST", "/v3/tasks/" + id + "/complete", WORKDAY, "{}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("status").asText()).isEqualTo("finished");
        assertThat(answer.json().get("snoozedUntil").isNull()).isTrue();
    }

    // --- bulk snooze, unsnooze, reschedule

    @Test
    void bulkSnoozeByIdsAnswersOnlyTheTasksItCouldNotSnooze() {
        long open = call(44);
        long done = call(44);
        complete(done);

        Client.Answer answer = client.send(
                "POST",
                "/v3/tasks/snooze",
                WORKDAY,
                "{\"ids\": [" + open + ", " + done + ", 999999], \"until\": \"" + LATER + "\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(fieldNames(answer.json())).containsExactly(Long.toString(done), "999999");
        assertThat(answer.json().get(Long.toString(done)).get("status").asInt()).isEqualTo(409);
        assertThat(answer.json().get(Long.toString(done)).get("code").asText()).isEqualTo("task.illegalTransition");
        assertThat(answer.json().get("999999").get("code").asText()).isEqualTo("task.notFound");
        assertThat(task(WORKDAY, open).get("snoozedUntil").asText()).isEqualTo(LATER);
    }

    @Test
    void bulkSnoozeByFilterSnoozesItsFirstTopTasksAndReportsTheOneItCouldNot() {
        long first = call(WORKDAY, 1, 45, "2026-03-02T09:00:00Z");
        long done = call(WORKDAY, 1, 45, "2026-03-03T09:00:00Z");
        long third = call(WORKDAY, 1, 45, "2026-03-04T09:00:00Z");
        long beyondTop = call(WORKDAY, 1, 45, "2026-03-05T09:00:00Z");
        complete(done);

        Client.Answer answer = client.send(
                "POST",
                "/v3/tasks/snooze",
                WORKDAY,
                "{\"filter\": {\"assignedUserId\": 45}, \"top\": 3, \"until\": \"" + LATER + "\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(fieldNames(answer.json())).containsExactly(Long.toString(done));
        assertThat(answer.json().get(Long.toString(done)).get("code").asText()).isEqualTo("task.illegalTransition");
        assertThat(filterIds(WORKDAY, "{\"assignedUserId\": 45, \"hidden\": true}"))
                .containsExactly(first, third);
        assertThat(task(WORKDAY, beyondTop).get("snoozedUntil").isNull()).isTrue();
    }

    @Test
    void bulkUnsnoozeEndsTheSnoozesOfTheSelectedTasks() {
        long a = call(46);
        long b = call(46);
        client.send(
                "POST", "/v3/tasks/snooze", WORKDAY, "{\"ids\": [" + a + ", " + b + "], \"until\": \"" + LATER + "\"}");

        Client.Answer answer = client.send("POST", "/v3/tasks/unsnooze", WORKDAY, "{\"ids\": [" + a + ", " + b + "]}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json()).isEmpty();
        assertThat(filterIds(WORKDAY, "{\"assignedUserId\": 46, \"hidden\": false}"))
                .containsExactlyInAnyOrder(a, b);
    }

    @Test
    void bulkSnoozeNamesEveryProblemOfItsBody() {
        Client.Answer answer = client.send(
                "POST",
                "/v3/tasks/snooze",
                WORKDAY,
                "{\"ids\": [1], \"filter\": {\"from\": \"yesterday\", \"colour\": \"red\"}, \"top\": 5,"
                        + " \"until\": 7}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer))
                .containsExactlyInAnyOrder("/filter/from", "/filter/colour", "/until", "/filter", "/top");
    }

    @Test
    void bulkUnsnoozeWithoutASelectionIs400AtIds() {
        Client.Answer answer = client.send("POST", "/v3/tasks/unsnooze", WORKDAY, "{}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).containsExactly("bulk.selection.required");
        assertThat(pointers(answer)).containsExactly("/ids");
    }

    @Test
    void rescheduleShiftsEveryTaskAndRefusesTheOneItWouldPutBefore2015() {
        long recent = call(WORKDAY, 1, 47, "2026-03-02T09:00:00Z");
        long early = call(WORKDAY, 1, 47, "2015-06-01T09:00:00Z");

        Client.Answer answer = client.send(
                "POST",
                "/v3/tasks/reschedule",
                WORKDAY,
                "{\"ids\": [" + recent + ", " + early + "], \"shiftBy\": \"-P400D\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(fieldNames(answer.json())).containsExactly(Long.toString(early));
        JsonNode refused = answer.json().get(Long.toString(early));
        assertThat(refused.get("status").asInt()).isEqualTo(400);
        assertThat(codes(refused.get("errors"))).containsExactly("task.startAt.beforeEarliest");
        assertThat(task(WORKDAY, recent).get("startAt").asText()).isEqualTo("2025-01-26T09:00:00Z");
        assertThat(task(WORKDAY, early).get("startAt").asText()).isEqualTo("2015-06-01T09:00:00Z");
    }

    @Test
    void rescheduleOfTheDueTimeRefusesTheTaskItWouldMakeDueBeforeItsStart() {
        long before = call(WORKDAY, 1, 48, "2026-03-02T09:00:00Z");
        long after = call(WORKDAY, 1, 48, "2026-05-01T09:00:00Z");

        Client.Answer answer = client.send(
                "POST",
                "/v3/tasks/reschedule",
                WORKDAY,
                "{\"filter\": {\"assignedUserId\": 48}, \"dueTo\": \"2026-04-01T09:00:00Z\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(fieldNames(answer.json())).containsExactly(Long.toString(after));
        assertThat(itemPointers(answer.json().get(Long.toString(after)))).containsExactly("/dueTo");
        assertThat(task(WORKDAY, before).get("dueTo").asText()).isEqualTo("2026-04-01T09:00:00Z");
    }

    @Test
    void rescheduleWithTwoMovesAndABadDurationNamesEach() {
        Client.Answer answer = client.send(
                "POST",
                "/v3/tasks/reschedule",
                WORKDAY,
                "{\"ids\": [1], \"shiftBy\": \"2 hours\", \"dueTo\": \"2026-04-01T09:00:00Z\"}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors")))
                .containsExactly("request.field.invalidDuration", "task.reschedule.oneOnly");
        assertThat(pointers(answer)).containsExactly("/shiftBy", "/dueTo");
    }

    @Test
    void rescheduleWithoutAMoveIs400AtShiftBy() {
        Client.Answer answer = client.send("POST", "/v3/tasks/reschedule", WORKDAY, "{\"ids\": [1]}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).containsExactly("task.reschedule.required");
        assertThat(pointers(answer)).containsExactly("/shiftBy");
    }

    // --- notes

    @Test
    void addNoteAnswers201WithTheNote() {
        long id = call(49);

        Client.Answer answer =
                client.send("POST", "/v3/tasks/" + id + "/notes", WORKDAY, "{\"text\": \"Prefers mornings\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        JsonNode note = answer.json();
        assertThat(fieldNames(note))
                .containsExactly(
                        "id",
                        "taskId",
                        "version",
                        "at",
                        "actor",
                        "type",
                        "statusBefore",
                        "statusAfter",
                        "changes",
                        "reason",
                        "note");
        assertThat(note.get("taskId").asLong()).isEqualTo(id);
        assertThat(note.get("version").asLong()).as("a note changes no version").isEqualTo(1);
        assertThat(note.get("actor").asText()).isEqualTo("user:6");
        assertThat(note.get("type").asText()).isEqualTo("noteAdded");
        assertThat(note.get("statusAfter").asText()).isEqualTo("new");
        assertThat(note.get("note").asText()).isEqualTo("Prefers mornings");
    }

    @Test
    void notesAreListedNewestFirst() {
        long id = call(49);
        client.send("POST", "/v3/tasks/" + id + "/notes", WORKDAY, "{\"text\": \"first\"}");
        client.send("POST", "/v3/tasks/" + id + "/notes", WORKDAY, "{\"text\": \"second\"}");

        Client.Answer answer = client.get("/v3/tasks/" + id + "/notes", WORKDAY);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> texts = new ArrayList<>();
        answer.json().get("items").forEach(note -> texts.add(note.get("note").asText()));
        assertThat(texts).containsExactly("second", "first");
    }

    @Test
    void getWithIncludeNotesHoldsTheNotesAndWithoutItNull() {
        long id = call(49);
        client.send("POST", "/v3/tasks/" + id + "/notes", WORKDAY, "{\"text\": \"Call after lunch\"}");

        JsonNode with =
                client.get("/v3/tasks/" + id + "?includeNotes=true", WORKDAY).json();
        JsonNode without = task(WORKDAY, id);

        assertThat(with.get("notes")).hasSize(1);
        assertThat(with.get("notes").get(0).get("note").asText()).isEqualTo("Call after lunch");
        assertThat(without.get("notes").isNull()).isTrue();
    }

    @Test
    void aBlankNoteIs400AtText() {
        long id = call(49);

        Client.Answer answer = client.send("POST", "/v3/tasks/" + id + "/notes", WORKDAY, "{\"text\": \" \"}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(codes(answer.json().get("errors"))).containsExactly("note.text.required");
        assertThat(pointers(answer)).containsExactly("/text");
    }

    // --- history

    @Test
    void taskHistoryIsNewestFirstAndPagesWithItsCursor() {
        long id = call(50);
        client.send("POST", "/v3/tasks/" + id + "/snooze", WORKDAY, "{\"until\": \"" + LATER + "\"}");
        client.request("DELETE", "/v3/tasks/" + id + "/snooze").key(WORKDAY).send();

        Client.Answer first = client.get("/v3/tasks/" + id + "/history?limit=2", WORKDAY);

        assertThat(first.status()).as(first.body()).isEqualTo(200);
        assertThat(types(first.json())).containsExactly("unsnoozed", "snoozed");
        JsonNode snoozed = first.json().get("items").get(1);
        assertThat(snoozed.get("actor").asText()).isEqualTo("user:6");
        assertThat(snoozed.get("version").asLong()).isEqualTo(2);
        assertThat(snoozed.get("statusBefore").asText()).isEqualTo("new");
        assertThat(snoozed.get("changes").get(0).get("field").asText()).isEqualTo("snoozedUntil");
        assertThat(snoozed.get("changes").get(0).get("before").isNull()).isTrue();
        assertThat(snoozed.get("changes").get(0).get("after").asText()).isEqualTo(LATER);
        String cursor = first.json().get("nextCursor").asText();

        Client.Answer second = client.get("/v3/tasks/" + id + "/history?limit=2&cursor=" + cursor, WORKDAY);

        assertThat(types(second.json())).containsExactly("created");
        assertThat(second.json().get("items").get(0).get("statusBefore").isNull())
                .isTrue();
        assertThat(second.json().get("nextCursor").isNull()).isTrue();
    }

    @Test
    void tenantHistoryByActorHoldsOnlyThatActorsEntries() {
        long id = call(51);
        String since = Instant.now().minusSeconds(1).toString();
        client.send("POST", "/v3/tasks/" + id + "/snooze", WORKDAY_8, "{\"until\": \"" + LATER + "\"}");

        Client.Answer answer = client.get("/v3/history?actor=user:8&from=" + since, WORKDAY);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> actors = new ArrayList<>();
        List<Long> tasks = new ArrayList<>();
        answer.json().get("items").forEach(entry -> {
            actors.add(entry.get("actor").asText());
            tasks.add(entry.get("taskId").asLong());
        });
        assertThat(actors).isNotEmpty().containsOnly("user:8");
        assertThat(tasks).contains(id);
    }

    @Test
    void historyParametersAreCheckedEachByName() {
        Client.Answer answer = client.get("/v3/history?actor=bob&from=yesterday&limit=0", WORKDAY);

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer)).containsExactlyInAnyOrder("/actor", "/from", "/limit");
    }

    @Test
    void anEditedHistoryCursorIs400AtCursor() {
        long id = call(51);

        Client.Answer answer = client.get("/v3/tasks/" + id + "/history?cursor=not-a-cursor", WORKDAY);

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer)).containsExactly("/cursor");
    }

    // --- hand-over

    @Test
    void handOverValidatesThePathAndEveryFieldOfTheBody() {
        Client.Answer badPath = client.send("POST", "/v3/users/alice/hand-over", WORKDAY, "{\"to\": [8]}");
        Client.Answer badBody =
                client.send("POST", "/v3/users/52/hand-over", WORKDAY, "{\"to\": [52, 0], \"batchSize\": 0}");

        assertProblem(badPath, 400, "task.invalid");
        assertThat(pointers(badPath)).containsExactly("/from");
        assertProblem(badBody, 400, "task.invalid");
        assertThat(pointers(badBody)).containsExactlyInAnyOrder("/to/0", "/to/1", "/batchSize");
    }

    // --- contact pause

    @Test
    void pausingAContactHoldsItsTasksAndSaysUntilWhen() {
        long id = call(WORKDAY, 2, 53, "2026-03-02T09:00:00Z");

        Client.Answer answer = client.send("POST", "/v3/contacts/2/pause", WORKDAY, "{\"until\": \"" + LATER + "\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json()).isEmpty();
        assertThat(task(WORKDAY, id).get("pausedUntil").asText()).isEqualTo(LATER);
        assertThat(filterIds(WORKDAY, "{\"assignedUserId\": 53, \"hidden\": false}"))
                .isEmpty();
        assertThat(client.get("/v3/contacts/2/pause", WORKDAY)
                        .json()
                        .get("pausedUntil")
                        .asText())
                .isEqualTo(LATER);
    }

    @Test
    void resumingAContactBringsItsTasksBack() {
        long id = call(WORKDAY, 3, 54, "2026-03-02T09:00:00Z");
        client.send("POST", "/v3/contacts/3/pause", WORKDAY, "{\"until\": \"" + LATER + "\"}");

        Client.Answer answer =
                client.request("DELETE", "/v3/contacts/3/pause").key(WORKDAY).send();

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json()).isEmpty();
        assertThat(task(WORKDAY, id).get("pausedUntil").isNull()).isTrue();
        assertThat(filterIds(WORKDAY, "{\"assignedUserId\": 54, \"hidden\": false}"))
                .containsExactly(id);
        assertThat(client.get("/v3/contacts/3/pause", WORKDAY)
                        .json()
                        .get("pausedUntil")
                        .isNull())
                .isTrue();
    }

    @Test
    void pauseValidatesThePathAndItsEnd() {
        Client.Answer badPath = client.send("POST", "/v3/contacts/x/pause", WORKDAY, "{\"until\": \"" + LATER + "\"}");
        Client.Answer noEnd = client.send("POST", "/v3/contacts/2/pause", WORKDAY, "{}");
        Client.Answer pastEnd =
                client.send("POST", "/v3/contacts/2/pause", WORKDAY, "{\"until\": \"2020-01-01T00:00:00Z\"}");

        assertProblem(badPath, 400, "task.invalid");
        assertThat(pointers(badPath)).containsExactly("/id");
        assertProblem(noEnd, 400, "task.invalid");
        assertThat(codes(noEnd.json().get("errors"))).containsExactly("contact.pausedUntil.required");
        assertThat(pointers(noEnd)).containsExactly("/until");
        assertProblem(pastEnd, 400, "task.invalid");
        assertThat(codes(pastEnd.json().get("errors"))).containsExactly("contact.pausedUntil.notInFuture");
        assertThat(pointers(pastEnd)).containsExactly("/until");
    }

    // --- stale preview

    @Test
    void stalePreviewListsTheTasksTheTenantsRuleWouldTake() {
        long overdue = call(STALE, 1, 2, "2026-03-02T09:00:00Z");
        long future = call(STALE, 1, 2, "2030-03-02T09:00:00Z");

        Client.Answer answer = client.get("/v3/tasks/stale?limit=10", STALE);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("id").asLong()));
        assertThat(ids).contains(overdue).doesNotContain(future);
        assertThat(fieldNames(answer.json().get("items").get(0)))
                .containsExactlyElementsOf(ReplyApiTest.DETAIL_FIELDS.subList(0, 22));
    }

    @Test
    void stalePreviewLimitOutOfRangeIs400AtLimit() {
        Client.Answer answer = client.get("/v3/tasks/stale?limit=0", STALE);

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer)).containsExactly("/limit");
    }

    static List<String> types(JsonNode page) {
        List<String> types = new ArrayList<>();
        page.get("items").forEach(entry -> types.add(entry.get("type").asText()));
        return types;
    }

    static List<String> itemPointers(JsonNode failure) {
        List<String> pointers = new ArrayList<>();
        failure.get("errors").forEach(error -> pointers.add(error.get("pointer").asText()));
        return pointers;
    }
}
