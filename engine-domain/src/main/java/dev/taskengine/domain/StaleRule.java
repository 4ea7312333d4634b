package dev.taskengine.domain;

import java.time.Duration;
import java.time.Instant;
import java.util.Objects;

/**
 * A tenant's rule for tasks nobody will do: an active task overdue by more than {@code overdueBy} is skipped (or
 * archived, as {@code action} says) by the scheduler, with the stable reason {@link #reason()}. A task being executed,
 * snoozed or held for a paused contact is left alone: someone decided when it comes back.
 */
public record StaleRule(Duration overdueBy, Action action) {
    /** What the rule does with a stale task. */
    public enum Action {
        SKIP,
        /** Skipped and archived in one change: the task is closed for good. */
        ARCHIVE
    }

    /** The stable code every stale-rule change carries as its reason's first word. */
    public static final String REASON_CODE = "staleRule";

    /** The longest wait a rule may have: the span of times a task may have, so that no time it computes overflows. */
    public static final Duration LONGEST = Duration.between(Limits.EARLIEST_START, Limits.LATEST_TIME);

    public StaleRule {
        Objects.requireNonNull(overdueBy, "overdueBy");
        Objects.requireNonNull(action, "action");
        if (overdueBy.isNegative() || overdueBy.isZero() || overdueBy.compareTo(LONGEST) > 0) {
            throw new IllegalArgumentException("a stale rule waits a positive time past the due time, at most "
                    + LONGEST + " (the span of times a task may have), not " + overdueBy);
        }
    }

    public static StaleRule skipAfter(Duration overdueBy) {
        return new StaleRule(overdueBy, Action.SKIP);
    }

    public static StaleRule archiveAfter(Duration overdueBy) {
        return new StaleRule(overdueBy, Action.ARCHIVE);
    }

    /** The reason a change by this rule records: {@code staleRule: overdue by more than <ISO-8601 duration>}. */
    public String reason() {
        return REASON_CODE + ": overdue by more than " + overdueBy;
    }

    /** The due time before which an active task is stale at {@code now}. */
    public Instant staleBefore(Instant now) {
        return now.minus(overdueBy);
    }

    /** Whether this rule takes {@code task} at {@code now}: active, due before {@link #staleBefore}, and left alone by nobody. */
    public boolean takes(Task task, Instant now) {
        return task.active()
                && !task.executing()
                && !task.hiddenAt(now)
                && task.schedule().dueTo().isBefore(staleBefore(now));
    }
}
