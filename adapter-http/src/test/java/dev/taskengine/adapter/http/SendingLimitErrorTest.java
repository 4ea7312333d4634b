package dev.taskengine.adapter.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingDecision;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

/**
 * The refusal of a send by hand over a sending limit as the error bodies write it: its wait in whole seconds, and its
 * Topo shape (Topo has no execute route, so no wire test reaches it).
 */
class SendingLimitErrorTest {
    static final Instant NOW = Instant.parse("2026-03-02T10:00:00Z");
    static final Errors ERRORS = new Errors(HttpApi.mapper(), Clock.fixed(NOW, ZoneOffset.UTC));

    static TaskError.SendingLimitReached freeingAt(Instant freesAt) {
        return new TaskError.SendingLimitReached(
                TaskId.of(42), SendingAccount.email(EmailAccountId.of(70)), SendingDecision.DAILY_LIMIT, freesAt);
    }

    @Test
    void theWaitIsTheWholeSecondsUntilTheLimitFrees() {
        assertThat(Errors.secondsUntilFree(freeingAt(NOW.plus(Duration.ofMinutes(90))), NOW))
                .isEqualTo(5400);
    }

    @Test
    void aFractionOfASecondLeftIsRoundedUp() {
        assertThat(Errors.secondsUntilFree(freeingAt(NOW.plusMillis(1200)), NOW))
                .isEqualTo(2);
    }

    @Test
    void theWaitIsAtLeastOneSecondOnceTheLimitHasFreed() {
        assertThat(Errors.secondsUntilFree(freeingAt(NOW.minusSeconds(5)), NOW)).isEqualTo(1);
    }

    @Test
    void topoWritesTheLimitAsARateLimitIssueNamingTheAccountTheLimitAndWhenItFrees() throws IOException {
        Refusal.Failure failure = new Refusal.Failure.Rejected(freeingAt(NOW.plusSeconds(30)));

        JsonNode body = Client.JSON.readTree(ERRORS.body(true, failure, 429, "req-1"));

        assertThat(body.get("status_code").asInt()).isEqualTo(429);
        assertThat(body.get("type").asText()).isEqualTo("RateLimitIssue");
        JsonNode data = body.get("data");
        assertThat(data.get("code").asText()).isEqualTo("task.execute.sendingLimitReached");
        assertThat(data.get("account").asText()).isEqualTo("email:70");
        assertThat(data.get("limit").asText()).isEqualTo("sending.dailyLimit");
        assertThat(data.get("frees_at").asText()).isEqualTo("2026-03-02T10:00:30Z");
        assertThat(data.get("retry_after_seconds").asLong()).isEqualTo(30);
    }
}
