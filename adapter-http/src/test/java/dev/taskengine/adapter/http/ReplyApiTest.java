package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.TestServer.ACME;
import static dev.taskengine.adapter.http.TestServer.BULK;
import static dev.taskengine.adapter.http.TestServer.GLOBEX;
import static dev.taskengine.adapter.http.TestServer.PAGES;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.OutgoingMessage;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The Reply v3 dialect: the reference pages' curl examples replayed, and every other route. */
class ReplyApiTest {
    static final List<String> DETAIL_FIELDS = List.of(
            "id",
            "contactId",
            "taskType",
            "status",
            "linkedInTaskType",
            "sequenceId",
            "sequenceStepId",
            "sequenceStepDisplayName",
            "assignedUserId",
            "creationSource",
            "createdAt",
            "startAt",
            "dueTo",
            "finishedAt",
            "isFailed",
            "isScheduled",
            "template",
            "deferredUntil",
            "deferralReason",
            "remindAt",
            "snoozedUntil",
            "pausedUntil",
            "content",
            "deliveryInfo",
            "notes");

    static final TestServer server = SharedServer.get();
    static final Client client = server.client;

    static final String EMAIL_TO_ADA = """
            {"taskType": "manualEmail", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
             "template": {"subject": "Hello {{firstName}}", "body": "Hi {{firstName}}, shall we talk?"}, "contactId": 1}""";

    static long create(String key, String body) {
        Client.Answer created = client.send("POST", "/v3/tasks", key, body);
        assertThat(created.status()).as(created.body()).isEqualTo(201);
        return created.json().get("id").asLong();
    }

    static List<String> fields(JsonNode node) {
        List<String> names = new ArrayList<>();
        node.fieldNames().forEachRemaining(names::add);
        return names;
    }

    @Test
    void createAnswers201WithTheFullTaskDetail() {
        Client.Answer answer = client.send("POST", "/v3/tasks", ACME, EMAIL_TO_ADA);

        assertThat(answer.status()).isEqualTo(201);
        assertThat(answer.header("Content-Type"))
                .hasValueSatisfying(type -> assertThat(type).startsWith("application/json"));
        JsonNode task = answer.json();
        long id = task.get("id").asLong();
        assertThat(answer.header("Location")).hasValue("/v3/tasks/" + id);
        assertThat(answer.header("ETag")).hasValue("\"1\"");
        assertThat(fields(task)).containsExactlyElementsOf(DETAIL_FIELDS);
        assertThat(task.get("contactId").asLong()).isEqualTo(1);
        assertThat(task.get("taskType").asText()).isEqualTo("manualEmail");
        assertThat(task.get("status").asText()).isEqualTo("new");
        assertThat(task.get("linkedInTaskType").isNull()).isTrue();
        assertThat(task.get("sequenceId").isNull()).isTrue();
        assertThat(task.get("sequenceStepId").isNull()).isTrue();
        assertThat(task.get("sequenceStepDisplayName").isNull()).isTrue();
        assertThat(task.get("assignedUserId").asLong()).as("the key's user").isEqualTo(7);
        assertThat(task.get("creationSource").asText()).isEqualTo("user");
        assertThat(Instant.parse(task.get("createdAt").asText()))
                .isBefore(Instant.now().plusSeconds(1));
        assertThat(task.get("startAt").asText()).isEqualTo("2026-03-02T09:00:00Z");
        assertThat(task.get("dueTo").asText()).isEqualTo("2026-03-03T09:00:00Z");
        assertThat(task.get("finishedAt").isNull()).isTrue();
        assertThat(task.get("isFailed").asBoolean()).isFalse();
        assertThat(task.get("isScheduled").asBoolean()).isFalse();
        assertThat(fields(task.get("template"))).containsExactly("body", "subject", "attachmentIdList");
        assertThat(task.get("template").get("body").asText()).isEqualTo("Hi {{firstName}}, shall we talk?");
        assertThat(task.get("template").get("subject").asText()).isEqualTo("Hello {{firstName}}");
        assertThat(task.get("template").get("attachmentIdList")).isEmpty();
        assertThat(task.get("content").isNull()).as("only with includeContent").isTrue();
        assertThat(fields(task.get("deliveryInfo"))).containsExactly("email", "phoneNumber", "linkedInUrl");
        assertThat(task.get("deliveryInfo").get("email").asText()).isEqualTo("ada@analytical.example");
        assertThat(task.get("deliveryInfo").get("phoneNumber").isNull()).isTrue();
    }

    @Test
    void getWithIncludeContentRendersTheTemplateForTheContact() {
        long id = create(ACME, EMAIL_TO_ADA);

        Client.Answer answer = client.get("/v3/tasks/" + id + "?includeContent=true", ACME);

        assertThat(answer.status()).isEqualTo(200);
        assertThat(fields(answer.json())).containsExactlyElementsOf(DETAIL_FIELDS);
        assertThat(answer.json().get("content").get("subject").asText()).isEqualTo("Hello Ada");
        assertThat(answer.json().get("content").get("body").asText()).isEqualTo("Hi Ada, shall we talk?");
    }

    @Test
    void updateReplaysTheReferenceExample() {
        long id = create(ACME, EMAIL_TO_ADA);

        // The page's body with real values: a linkedIn task (its linkedInTaskType needs one) due after it starts.
        Client.Answer answer = client.request("PUT", "/v3/tasks/" + id)
                .header("Content-Type", "application/json")
                .key(ACME)
                .body("""
                        {
                          "taskType": "linkedIn",
                          "startAt": "2026-03-04T05:31:56Z",
                          "dueTo": "2026-03-05T05:31:56Z",
                          "template": {
                            "body": "Hi {{firstName}}, let's connect",
                            "subject": "Connect",
                            "attachmentIdList": [
                              123
                            ]
                          },
                          "contactId": 1,
                          "linkedInTaskType": "message"
                        }
                        """)
                .send();

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode task = answer.json();
        assertThat(fields(task)).containsExactlyElementsOf(DETAIL_FIELDS);
        assertThat(task.get("id").asLong()).isEqualTo(id);
        assertThat(task.get("taskType").asText()).isEqualTo("linkedIn");
        assertThat(task.get("linkedInTaskType").asText()).isEqualTo("message");
        assertThat(task.get("startAt").asText()).isEqualTo("2026-03-04T05:31:56Z");
        assertThat(task.get("dueTo").asText()).isEqualTo("2026-03-05T05:31:56Z");
        assertThat(task.get("template").get("body").asText()).isEqualTo("Hi {{firstName}}, let's connect");
        assertThat(task.get("template").get("subject").asText()).isEqualTo("Connect");
        assertThat(task.get("template").get("attachmentIdList").get(0).asLong()).isEqualTo(123);
        assertThat(task.get("deliveryInfo").get("linkedInUrl").asText()).isEqualTo("https://www.linkedin.com/in/ada");
        assertThat(task.get("deliveryInfo").get("email").isNull()).isTrue();
        assertThat(answer.header("ETag")).hasValue("\"2\"");
    }

    @Test
    void reassignReplaysTheReferenceExample() {
        long id = create(ACME, EMAIL_TO_ADA);

        Client.Answer answer = client.send("PUT", "/v3/tasks/" + id + "/assigned-user", ACME, """
                {
                  "userId": 123
                }""");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(fields(answer.json())).containsExactlyElementsOf(DETAIL_FIELDS);
        assertThat(answer.json().get("id").asLong()).isEqualTo(id);
        assertThat(answer.json().get("assignedUserId").asLong()).isEqualTo(123);
        assertThat(answer.json().get("status").asText()).isEqualTo("new");
    }

    @Test
    void executeReplaysTheReferenceExampleAndAppendsTheMessageToTheSentMessagesFile() {
        // Every user N sends from email account N: the page's emailAccountId 123 is user 123's.
        long id = create(ACME, EMAIL_TO_ADA.replace("\"contactId\": 1", "\"contactId\": 1, \"assignedUserId\": 123"));

        Client.Answer answer = client.send("POST", "/v3/tasks/" + id + "/execute", ACME, """
                {
                  "content": {
                    "body": "Ada, here is the proposal we discussed.",
                    "subject": "Our proposal"
                  },
                  "emailAccountId": 123
                }
                """);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        JsonNode task = answer.json();
        assertThat(fields(task)).containsExactlyElementsOf(DETAIL_FIELDS);
        assertThat(task.get("status").asText()).isEqualTo("finished");
        assertThat(task.get("finishedAt").isNull()).isFalse();
        assertThat(task.get("isFailed").asBoolean()).isFalse();
        assertThat(task.get("template").get("body").asText())
                .as("the content sent replaces the template")
                .isEqualTo("Ada, here is the proposal we discussed.");
        OutgoingMessage sent = server.sentFor(id).orElseThrow();
        assertThat(sent.tenant()).isEqualTo(TenantId.of("acme"));
        assertThat(sent.channel()).isEqualTo(Channel.EMAIL);
        assertThat(sent.emailAccount()).contains(EmailAccountId.of(123));
        assertThat(sent.to()).isEqualTo("ada@analytical.example");
        assertThat(sent.subject()).contains("Our proposal");
        assertThat(sent.body()).isEqualTo("Ada, here is the proposal we discussed.");
        assertThat(sent.idempotencyKey()).isEqualTo("acme/" + id + "/2");
    }

    @Test
    void executeWithoutABodyRendersTheTemplateAndSendsFromTheAssigneesDefaultAccount() {
        long id = create(ACME, EMAIL_TO_ADA);

        Client.Answer answer = client.send("POST", "/v3/tasks/" + id + "/execute", ACME, null);

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        OutgoingMessage sent = server.sentFor(id).orElseThrow();
        assertThat(sent.emailAccount()).contains(EmailAccountId.of(7));
        assertThat(sent.subject()).contains("Hello Ada");
        assertThat(sent.body()).isEqualTo("Hi Ada, shall we talk?");
    }

    @Test
    void anSmsIsSentToTheContactsPhone() {
        long id = create(ACME, """
                {"taskType": "sms", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Hi {{firstName}}, calling you at 3?"}, "contactId": 2}""");

        Client.Answer answer = client.send("POST", "/v3/tasks/" + id + "/execute", ACME, "{}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        OutgoingMessage sent = server.sentFor(id).orElseThrow();
        assertThat(sent.channel()).isEqualTo(Channel.SMS);
        assertThat(sent.to()).isEqualTo("+1 202 555 0102");
        assertThat(sent.emailAccount()).isEmpty();
        assertThat(sent.body()).isEqualTo("Hi Grace, calling you at 3?");
    }

    @Test
    void completeFinishesACallWithItsResolution() {
        long id = create(ACME, """
                {"taskType": "call", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Call Grace"}, "contactId": 2}""");

        Client.Answer answer =
                client.send("POST", "/v3/tasks/" + id + "/complete", ACME, "{\"callResolution\": \"positive\"}");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(answer.json().get("status").asText()).isEqualTo("finished");
        assertThat(answer.json().get("deliveryInfo").get("phoneNumber").asText())
                .isEqualTo("+1 202 555 0102");
    }

    @Test
    void enumsAreAcceptedAsIntegerCodesAndAnsweredAsNames() {
        Client.Answer answer = client.send("POST", "/v3/tasks", ACME, """
                {"taskType": 5, "linkedInTaskType": 1, "priority": 0, "startAt": "2026-03-02T09:00:00Z",
                 "dueTo": "2026-03-03T09:00:00Z", "template": {"body": "Connect with Ada"}, "contactId": 1}""");

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().get("taskType").asText()).isEqualTo("linkedIn");
        assertThat(answer.json().get("linkedInTaskType").asText()).isEqualTo("connect");
        assertThat(answer.json().get("status").asText()).isEqualTo("new");
    }

    @Test
    void aSequenceTaskCarriesItsSequenceAndStep() {
        Client.Answer answer = client.send("POST", "/v3/tasks", ACME, """
                {"taskType": "call", "startAt": "2026-03-02T09:00:00Z", "dueTo": "2026-03-03T09:00:00Z",
                 "template": {"body": "Call Alan"}, "contactId": 3,
                 "sequenceId": 501, "sequenceStepId": 2, "sequenceStepDisplayName": "Step 2 - Call"}""");

        assertThat(answer.status()).as(answer.body()).isEqualTo(201);
        assertThat(answer.json().get("creationSource").asText()).isEqualTo("sequence");
        assertThat(answer.json().get("sequenceId").asLong()).isEqualTo(501);
        assertThat(answer.json().get("sequenceStepId").asLong()).isEqualTo(2);
        assertThat(answer.json().get("sequenceStepDisplayName").asText()).isEqualTo("Step 2 - Call");
    }

    @Test
    void bulkDeleteAnswersAnEmptyObjectWhenEveryTaskWasDeleted() {
        long first = create(BULK, EMAIL_TO_ADA);
        long second = create(BULK, EMAIL_TO_ADA);

        Client.Answer answer =
                client.send("POST", "/v3/tasks/bulk-delete", BULK, "{\"ids\": [" + first + ", " + second + "]}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{}");
        assertThat(client.get("/v3/tasks/" + first, BULK).status()).isEqualTo(404);
    }

    @Test
    void bulkDeleteAnswersOnlyTheFailedItemsKeyedById() {
        long mine = create(BULK, EMAIL_TO_ADA);
        long theirs = create(GLOBEX, EMAIL_TO_ADA);

        Client.Answer answer =
                client.send("POST", "/v3/tasks/bulk-delete", BULK, "{\"ids\": [" + mine + ", " + theirs + ", 999999]}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(fields(answer.json())).containsExactly(Long.toString(theirs), "999999");
        JsonNode failure = answer.json().get(Long.toString(theirs));
        assertThat(failure.get("status").asInt()).isEqualTo(404);
        assertThat(failure.get("code").asText()).isEqualTo("task.notFound");
        assertThat(failure.get("message").asText()).contains(Long.toString(theirs));
        assertThat(client.get("/v3/tasks/" + theirs, GLOBEX).status())
                .as("another tenant's task is untouched")
                .isEqualTo(200);
    }

    @Test
    void batchCompleteAnswersOnlyTheFailedItems() {
        long open = create(BULK, EMAIL_TO_ADA);
        long done = create(BULK, EMAIL_TO_ADA);
        client.send("POST", "/v3/tasks/" + done + "/complete", BULK, "{}");

        Client.Answer answer =
                client.send("POST", "/v3/tasks/batch/complete", BULK, "{\"ids\": [" + open + ", " + done + "]}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(fields(answer.json())).containsExactly(Long.toString(done));
        assertThat(answer.json().get(Long.toString(done)).get("code").asText()).isEqualTo("task.illegalTransition");
        assertThat(answer.json().get(Long.toString(done)).get("status").asInt()).isEqualTo(409);
        assertThat(client.get("/v3/tasks/" + open, BULK).json().get("status").asText())
                .isEqualTo("finished");
    }

    @Test
    void batchAssignAssignsEveryTaskToTheUser() {
        long first = create(BULK, EMAIL_TO_ADA);
        long second = create(BULK, EMAIL_TO_ADA);

        Client.Answer answer = client.send(
                "POST", "/v3/tasks/batch/assign", BULK, "{\"ids\": [" + first + ", " + second + "], \"userId\": 42}");

        assertThat(answer.status()).isEqualTo(200);
        assertThat(answer.body()).isEqualTo("{}");
        assertThat(client.get("/v3/tasks/" + second, BULK)
                        .json()
                        .get("assignedUserId")
                        .asLong())
                .isEqualTo(42);
    }

    @Test
    void filterPagesWithTopAndSkipInStartOrder() {
        List<Long> ids = new ArrayList<>();
        for (int day = 5; day >= 1; day--) {
            ids.add(
                    0,
                    create(
                            PAGES,
                            EMAIL_TO_ADA
                                    .replace("2026-03-02T09", "2026-04-0" + day + "T09")
                                    .replace("2026-03-03T09", "2026-04-2" + day + "T09")));
        }

        Client.Answer first = client.send("POST", "/v3/tasks/filter?top=2", PAGES, "{}");
        Client.Answer middle = client.send("POST", "/v3/tasks/filter?top=2&skip=2", PAGES, "{}");
        Client.Answer last = client.send("POST", "/v3/tasks/filter?top=2&skip=4", PAGES, "{}");

        assertThat(first.status()).isEqualTo(200);
        assertThat(fields(first.json())).containsExactly("items", "hasMore");
        assertThat(ids(first)).containsExactly(ids.get(0), ids.get(1));
        assertThat(first.json().get("hasMore").asBoolean()).isTrue();
        assertThat(ids(middle)).containsExactly(ids.get(2), ids.get(3));
        assertThat(ids(last)).containsExactly(ids.get(4));
        assertThat(last.json().get("hasMore").asBoolean()).isFalse();
        assertThat(fields(first.json().get("items").get(0))).containsExactlyElementsOf(DETAIL_FIELDS.subList(0, 22));
    }

    @Test
    void filterNarrowsByTypeStatusSequencesAndStartWindow() {
        String call = """
                {"taskType": "call", "startAt": "2026-05-0%dT09:00:00Z", "dueTo": "2026-05-20T09:00:00Z",
                 "template": {"body": "Call"}, "contactId": 2, "sequenceId": %d, "sequenceStepId": %d}""";
        long inSeven = create(ACME, String.format(call, 1, 7, 70));
        long inEight = create(ACME, String.format(call, 2, 8, 80));
        long inNine = create(ACME, String.format(call, 3, 9, 90));
        long done = create(ACME, String.format(call, 4, 7, 71));
        client.send("POST", "/v3/tasks/" + done + "/complete", ACME, "{}");

        Client.Answer answer = client.send("POST", "/v3/tasks/filter", ACME, """
                {"taskType": ["call", 2], "status": "new", "sequenceIds": [8, 7, 9], "from": "2026-05-01T00:00:00Z",
                 "to": "2026-05-03T00:00:00Z"}""");

        assertThat(answer.status()).as(answer.body()).isEqualTo(200);
        assertThat(ids(answer)).containsExactly(inSeven, inEight);
        assertThat(inNine).isPositive();
    }

    static List<Long> ids(Client.Answer answer) {
        List<Long> ids = new ArrayList<>();
        answer.json().get("items").forEach(item -> ids.add(item.get("id").asLong()));
        return ids;
    }
}
