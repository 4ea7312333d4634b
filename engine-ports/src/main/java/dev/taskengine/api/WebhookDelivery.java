package dev.taskengine.api;

import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskId;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * One event's delivery to one subscription, as its log shows it: the event ({@code eventId} is the {@code webhook-id}
 * of every attempt), where it stands, and its attempts, oldest first.
 *
 * @param nextAttemptAt when it is attempted next; empty once delivered or given up
 * @param finishedAt    when it was delivered or given up
 */
public record WebhookDelivery(
        UUID subscriptionId,
        UUID eventId,
        TaskEventType eventType,
        TaskId taskId,
        State state,
        Instant createdAt,
        Optional<Instant> nextAttemptAt,
        Optional<Instant> finishedAt,
        List<Attempt> attempts) {
    public WebhookDelivery {
        Objects.requireNonNull(subscriptionId, "subscriptionId");
        Objects.requireNonNull(eventId, "eventId");
        Objects.requireNonNull(eventType, "eventType");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(nextAttemptAt, "nextAttemptAt");
        Objects.requireNonNull(finishedAt, "finishedAt");
        attempts = List.copyOf(attempts);
    }

    /** The latest attempt, if there was one. */
    public Optional<Attempt> lastAttempt() {
        return attempts.isEmpty() ? Optional.empty() : Optional.of(attempts.get(attempts.size() - 1));
    }

    public enum State {
        /** Not delivered yet: attempted next at {@code nextAttemptAt}. */
        PENDING,
        /** A receiver answered 2xx. */
        DELIVERED,
        /** Given up: it failed for longer than the engine retries, or its receiver answered 410 Gone. */
        FAILED
    }

    /**
     * One attempt: when, by which engine, the status code (0 when no answer came), how long it took, and what went
     * wrong (empty when it was delivered).
     */
    public record Attempt(Instant at, String engine, int statusCode, Duration latency, Optional<String> error) {
        public Attempt {
            Objects.requireNonNull(at, "at");
            Objects.requireNonNull(engine, "engine");
            Objects.requireNonNull(latency, "latency");
            Objects.requireNonNull(error, "error");
        }

        public boolean delivered() {
            return statusCode >= 200 && statusCode < 300;
        }
    }
}
