package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.ErrorShapesTest.assertProblem;
import static dev.taskengine.adapter.http.ErrorShapesTest.codes;
import static dev.taskengine.adapter.http.ErrorShapesTest.pointers;
import static dev.taskengine.adapter.http.MemoryApi.KEY;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.adapter.memory.InMemoryMessageSender;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SendingWindows.TimeRange;
import dev.taskengine.domain.TaskId;
import dev.taskengine.spi.SendingSettings;
import java.time.Clock;
import java.time.DayOfWeek;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The sending policy over the wire: a deferred task's deferral in both dialects, the filter on it, and a send by hand
 * refused over a sending limit.
 */
class SendingPolicyTest {
    /** Monday 2026-03-02, 18:00 UTC: after the close of the weekday window 09:00-17:00 UTC. */
    static final Instant MONDAY_EVENING = Instant.parse("2026-03-02T18:00:00Z");
    /** Monday 2026-03-02, 10:00 UTC. */
    static final Instant MONDAY_MORNING = Instant.parse("2026-03-02T10:00:00Z");

    static final SendingSettings WEEKDAYS_9_TO_17_UTC = SendingSettings.builder()
            .tenantWindows(
                    MemoryApi.TENANT,
                    SendingWindows.on(
                            ZoneOffset.UTC,
                            EnumSet.range(DayOfWeek.MONDAY, DayOfWeek.FRIDAY),
                            TimeRange.of("09:00", "17:00")))
            .build();
    static final SendingSettings ONE_SEND_AN_HOUR = SendingSettings.builder()
            .accountLimits(
                    MemoryApi.TENANT,
                    SendingAccount.email(MemoryApi.ACCOUNT),
                    SendingLimits.none().withPerHour(1))
            .build();

    private final InMemoryMessageSender sender = new InMemoryMessageSender();
    private MemoryApi memory;

    @AfterEach
    void stop() {
        if (memory != null) {
            memory.close();
        }
    }

    private Client client(Instant now, SendingSettings rules) {
        memory = MemoryApi.start(sender, Clock.fixed(now, ZoneOffset.UTC), rules);
        return memory.client;
    }

    private long createEmail(boolean scheduled, Instant startAt) {
        Client.Answer created = memory.client.send("POST", "/v3/tasks", KEY, """
                {"taskType": "manualEmail", "startAt": "%s", "dueTo": "2026-03-09T09:00:00Z", "isScheduled": %s,
                 "template": {"subject": "Hello", "body": "Hi {{firstName}}"}, "contactId": 1}""".formatted(startAt, scheduled));
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    /** A scheduled email the scheduler deferred, outside the window, to Tuesday 09:00 UTC. */
    private long deferredEmail() {
        long id = createEmail(true, MONDAY_EVENING);
        memory.engine.scheduler(SchedulerOptions.defaults()).pollOnce();
        return id;
    }

    private static List<Long> replyIds(Client.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<Long> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }

    private static List<String> topoIds(Client.Answer answer) {
        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        List<String> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("id").asText()));
        return ids;
    }

    private Client.Answer topoGet(String path) {
        return memory.client.request("GET", path).bearer(KEY).send();
    }

    // --- the deferral in task answers

    @Test
    void replyShowsWhenAndWhyADeferredTasksSendWasPutOff() {
        Client client = client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        long id = deferredEmail();

        JsonNode task = client.get("/v3/tasks/" + id, KEY).json();

        assertThat(task.get("deferredUntil").asText()).isEqualTo("2026-03-03T09:00:00Z");
        assertThat(task.get("deferralReason").asText()).isEqualTo("sending.outsideWindow");
    }

    @Test
    void replyShowsNullDeferralFieldsForATaskNotDeferred() {
        Client client = client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        long id = createEmail(false, MONDAY_EVENING);

        JsonNode task = client.get("/v3/tasks/" + id, KEY).json();

        assertThat(task.has("deferredUntil")).isTrue();
        assertThat(task.get("deferredUntil").isNull()).isTrue();
        assertThat(task.get("deferralReason").isNull()).isTrue();
    }

    @Test
    void replyFilterItemsShowTheirDeferral() {
        Client client = client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        deferredEmail();

        JsonNode item = client.send("POST", "/v3/tasks/filter", KEY, "{}")
                .json()
                .get("items")
                .get(0);

        assertThat(item.get("deferredUntil").asText()).isEqualTo("2026-03-03T09:00:00Z");
        assertThat(item.get("deferralReason").asText()).isEqualTo("sending.outsideWindow");
    }

    @Test
    void topoShowsWhenAndWhyADeferredTasksSendWasPutOff() {
        client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        long id = deferredEmail();

        JsonNode task = topoGet("/v1/tasks/" + TopoIds.of(id)).json();

        assertThat(task.get("deferred_until").asText()).isEqualTo("2026-03-03T09:00:00Z");
        assertThat(task.get("deferral_reason").asText()).isEqualTo("sending.outsideWindow");
    }

    @Test
    void topoShowsNullDeferralFieldsForATaskNotDeferred() {
        client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        long id = createEmail(false, MONDAY_EVENING);

        JsonNode task = topoGet("/v1/tasks/" + TopoIds.of(id)).json();

        assertThat(task.has("deferred_until")).isTrue();
        assertThat(task.get("deferred_until").isNull()).isTrue();
        assertThat(task.get("deferral_reason").isNull()).isTrue();
    }

    @Test
    void topoListItemsShowTheirDeferral() {
        client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        deferredEmail();

        JsonNode item = topoGet("/v1/tasks").json().get("items").get(0);

        assertThat(item.get("deferred_until").asText()).isEqualTo("2026-03-03T09:00:00Z");
        assertThat(item.get("deferral_reason").asText()).isEqualTo("sending.outsideWindow");
    }

    // --- the deferred filter

    @Test
    void replyFilterDeferredTrueFindsOnlyDeferredTasks() {
        Client client = client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        long deferred = deferredEmail();
        createEmail(false, MONDAY_EVENING);

        assertThat(replyIds(client.send("POST", "/v3/tasks/filter", KEY, "{\"deferred\": true}")))
                .containsExactly(deferred);
    }

    @Test
    void replyFilterDeferredFalseFindsOnlyTasksNotDeferred() {
        Client client = client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        deferredEmail();
        long notDeferred = createEmail(false, MONDAY_EVENING);

        assertThat(replyIds(client.send("POST", "/v3/tasks/filter", KEY, "{\"deferred\": false}")))
                .containsExactly(notDeferred);
    }

    @Test
    void replyFilterWithoutDeferredFindsBoth() {
        Client client = client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        long deferred = deferredEmail();
        long notDeferred = createEmail(false, MONDAY_EVENING);

        assertThat(replyIds(client.send("POST", "/v3/tasks/filter", KEY, "{}")))
                .containsExactlyInAnyOrder(deferred, notDeferred);
    }

    @Test
    void replyFilterDeferredThatIsNotABooleanIs400AtItsPointer() {
        Client client = client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);

        Client.Answer answer = client.send("POST", "/v3/tasks/filter", KEY, "{\"deferred\": \"yes\"}");

        assertProblem(answer, 400, "task.invalid");
        assertThat(pointers(answer)).containsExactly("/deferred");
        assertThat(codes(answer.json().get("errors"))).containsExactly("request.field.wrongType");
    }

    @Test
    void topoDeferredTrueListsOnlyDeferredTasks() {
        client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        long deferred = deferredEmail();
        createEmail(false, MONDAY_EVENING);

        assertThat(topoIds(topoGet("/v1/tasks?deferred=true"))).containsExactly(TopoIds.of(deferred));
    }

    @Test
    void topoDeferredFalseListsOnlyTasksNotDeferred() {
        client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);
        deferredEmail();
        long notDeferred = createEmail(false, MONDAY_EVENING);

        assertThat(topoIds(topoGet("/v1/tasks?deferred=false"))).containsExactly(TopoIds.of(notDeferred));
    }

    @Test
    void topoDeferredThatIsNotABooleanIs400ListedWithTheOtherProblems() {
        client(MONDAY_EVENING, WEEKDAYS_9_TO_17_UTC);

        Client.Answer answer = topoGet("/v1/tasks?deferred=maybe&size=0");

        assertThat(answer.status()).isEqualTo(400);
        assertThat(answer.json().get("type").asText()).isEqualTo("ValidationIssue");
        JsonNode errors = answer.json().get("data").get("errors");
        List<String> pointers = new ArrayList<>();
        errors.forEach(error -> pointers.add(error.get("pointer").asText()));
        assertThat(pointers).containsExactlyInAnyOrder("/deferred", "/size");
        assertThat(codes(errors)).contains("request.parameter.invalid");
    }

    // --- a send by hand over a sending limit

    /** The second email of the hour, and the answer to its execute. */
    private record OverTheLimit(long id, Client.Answer answer) {}

    /** Sends one email by hand, which uses up the hour's one send, and executes a second email. */
    private OverTheLimit executeOverTheLimit() {
        Client client = client(MONDAY_MORNING, ONE_SEND_AN_HOUR);
        long first = createEmail(false, MONDAY_MORNING);
        Client.Answer sent = client.send("POST", "/v3/tasks/" + first + "/execute", KEY, "{}");
        assertThat(sent.status()).as(sent.body()).isEqualTo(200);
        long second = createEmail(false, MONDAY_MORNING);
        return new OverTheLimit(second, client.send("POST", "/v3/tasks/" + second + "/execute", KEY, "{}"));
    }

    @Test
    void replyRefusesASendOverALimitWith429AndItsOwnCode() {
        Client.Answer answer = executeOverTheLimit().answer();

        assertProblem(answer, 429, "task.execute.sendingLimitReached");
    }

    @Test
    void replyLimitRefusalNamesTheAccountTheLimitAndWhenItFrees() {
        JsonNode problem = executeOverTheLimit().answer().json();

        assertThat(problem.get("account").asText()).isEqualTo("email:70");
        assertThat(problem.get("limit").asText()).isEqualTo("sending.hourlyLimit");
        assertThat(problem.get("freesAt").asText()).isEqualTo("2026-03-02T11:00:00Z");
    }

    @Test
    void replyLimitRefusalTellsTheSecondsUntilTheLimitFreesInRetryAfter() {
        Client.Answer answer = executeOverTheLimit().answer();

        assertThat(answer.header("Retry-After")).contains("3600");
    }

    @Test
    void aSendRefusedOverALimitLeavesTheTaskActiveAndUnsent() {
        long refused = executeOverTheLimit().id();

        JsonNode task = memory.client.get("/v3/tasks/" + refused, KEY).json();

        assertThat(task.get("status").asText()).isEqualTo("new");
        assertThat(task.get("isFailed").asBoolean()).isFalse();
        assertThat(sender.sent()).noneMatch(message -> message.taskId().equals(TaskId.of(refused)));
    }
}
