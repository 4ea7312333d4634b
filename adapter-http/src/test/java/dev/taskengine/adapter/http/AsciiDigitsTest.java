package dev.taskengine.adapter.http;

import static dev.taskengine.adapter.http.TestServer.ACME;
import static dev.taskengine.adapter.http.TestServer.TOPO;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/**
 * Numbers in paths, queries and headers are written with the ASCII digits 0-9 only: the same number in other Unicode
 * digits (Arabic-Indic, fullwidth), which {@link Long#parseLong} would read, is a 400 naming the parameter.
 */
class AsciiDigitsTest {
    static final TestServer server = SharedServer.get();
    static final Client client = server.client;

    /** {@code number} written with the digits starting at {@code zero} (U+0660 Arabic-Indic, U+FF10 fullwidth), URL-encoded. */
    static String digits(long number, char zero) {
        StringBuilder text = new StringBuilder();
        Long.toString(number).chars().forEach(c -> text.append((char) (zero + (c - '0'))));
        return URLEncoder.encode(text.toString(), StandardCharsets.UTF_8);
    }

    static void assertRefusedAt(Client.Answer answer, String pointer, String named) {
        ErrorShapesTest.assertProblem(answer, 400, "task.invalid");
        assertThat(ErrorShapesTest.pointers(answer)).containsExactly(pointer);
        assertThat(answer.json().get("errors").get(0).get("message").asText()).contains(named);
    }

    @Test
    void aTaskIdInArabicIndicDigitsIs400NamingTheId() {
        long id = ReplyApiTest.create(ACME, ReplyApiTest.EMAIL_TO_ADA);

        assertRefusedAt(client.get("/v3/tasks/" + digits(id, '\u0660'), ACME), "/id", "id");
    }

    @Test
    void aTaskIdInFullwidthDigitsExecutesNothing() {
        long id = ReplyApiTest.create(ACME, ReplyApiTest.EMAIL_TO_ADA);

        assertRefusedAt(client.send("POST", "/v3/tasks/" + digits(id, '\uff10') + "/execute", ACME, "{}"), "/id", "id");
        assertThat(server.sentFor(id)).isEmpty();
    }

    @Test
    void aTopInArabicIndicDigitsIs400NamingTop() {
        assertRefusedAt(client.send("POST", "/v3/tasks/filter?top=" + digits(10, '\u0660'), ACME, "{}"), "/top", "top");
    }

    @Test
    void aTopoPageInFullwidthDigitsIs400NamingPage() {
        Client.Answer answer = client.request("GET", "/v1/tasks?page=" + digits(2, '\uff10'))
                .bearer(TOPO)
                .send();

        ErrorShapesTest.assertTopo(answer, 400, "ValidationIssue");
        assertThat(answer.json().get("data").get("errors").get(0).get("pointer").asText())
                .isEqualTo("/page");
        assertThat(answer.json().get("data").get("errors").get(0).get("message").asText())
                .contains("page");
    }

    @Test
    void aTopoTaskIdWithANonAsciiHexDigitIs400() {
        long id = ReplyApiTest.create(TOPO, ReplyApiTest.EMAIL_TO_ADA);
        String uuid = TopoIds.of(id);
        String foreign = uuid.substring(0, uuid.length() - 1) + digits(1, '\uff10');

        ErrorShapesTest.assertTopo(
                client.request("GET", "/v1/tasks/" + foreign).bearer(TOPO).send(), 400, "ValidationIssue");
    }
}
