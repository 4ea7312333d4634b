package dev.taskengine.internal;

import dev.taskengine.api.StaleRules;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.StaleRule;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TenantId;
import dev.taskengine.store.PageRequest;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The rules a scheduler applies as time passes, besides executions: reminders that came due, the stale-task rule, and
 * the retention of deleted tasks' history and of the webhook delivery log. Each change is a versioned write at the version read: when several engines
 * look at the same task at once, one write is kept and the others are refused as conflicts, so each reminder is emitted
 * and each stale task closed exactly once.
 */
final class TimedRules {
    /** How many reminders, and stale tasks of one rule, one pass takes at most. */
    static final int PASS_LIMIT = 100;
    /** How often the stale rule is applied: a task overdue by days needs no second-by-second look. */
    static final Duration STALE_EVERY = Duration.ofMinutes(1);
    /** How often history past its retention is removed. */
    static final Duration FORGET_EVERY = Duration.ofHours(1);

    private final TaskStore store;
    private final TaskWriter writer;
    private final Clock clock;
    private final StaleRules staleRules;
    private final Duration historyRetention;
    private Instant nextStalePass = Instant.MIN;
    private final Optional<WebhookDispatch> webhooks;
    private Instant nextForgetting = Instant.MIN;

    TimedRules(TaskWriter writer, EngineParts parts, Optional<WebhookDispatch> webhooks) {
        this.webhooks = webhooks;
        this.store = parts.store();
        this.writer = writer;
        this.clock = parts.clock();
        this.staleRules = parts.staleRules();
        this.historyRetention = parts.historyRetention();
    }

    /** One pass: the reminders due now, the stale rule when it is due, retention when it is due. */
    synchronized void apply() {
        Instant now = clock.instant();
        remind(now);
        if (!now.isBefore(nextStalePass)) {
            nextStalePass = now.plus(STALE_EVERY);
            closeStale(now);
        }
        if (!now.isBefore(nextForgetting)) {
            nextForgetting = now.plus(FORGET_EVERY);
            store.forgetHistory(now.minus(historyRetention));
            webhooks.ifPresent(WebhookDispatch::forgetFinished);
        }
    }

    /** Emits the reminders due at {@code now}; answers how many this engine emitted. */
    int remind(Instant now) {
        List<TaskWrite> writes = new ArrayList<>();
        for (Task task : store.dueReminders(now, PASS_LIMIT)) {
            task.reminded(now)
                    .peek(reminded ->
                            writes.add(writer.writeOf(task, reminded, TaskEventType.REMINDED, Actor.SCHEDULER)));
        }
        return (int) writer.writeAll(writes).stream().filter(w -> w.isRight()).count();
    }

    /** Closes the tasks the stale rules take at {@code now}; answers how many this engine closed. */
    int closeStale(Instant now) {
        int closed = 0;
        for (TenantId tenant : staleRules.tenants()) {
            for (Map.Entry<StaleRule, Set<TaskType>> rule :
                    staleRules.typesByRule(tenant).entrySet()) {
                StaleRule staleRule = rule.getKey();
                List<Task> stale = store.query(PageRequest.first(
                                Workday.staleQuery(tenant, staleRule, rule.getValue(), now, PASS_LIMIT), now))
                        .tasks();
                List<TaskWrite> writes = new ArrayList<>();
                TaskEventType type =
                        staleRule.action() == StaleRule.Action.ARCHIVE ? TaskEventType.ARCHIVED : TaskEventType.SKIPPED;
                for (Task task : stale) {
                    task.closedAsStale(staleRule, now)
                            .peek(changed -> writes.add(
                                    writer.writeOf(task, changed, type, Actor.STALE_RULE, staleRule.reason())));
                }
                closed += (int) writer.writeAll(writes).stream()
                        .filter(w -> w.isRight())
                        .count();
            }
        }
        return closed;
    }
}
