package dev.taskengine.adapter.jdbi;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.WireEnum;
import java.sql.Types;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.statement.SqlStatement;

/**
 * The {@code te_task} table as SQL: its columns, the statements on one task, and how a task's fields are bound.
 *
 * <p>Enums are stored as their wire codes ({@link WireEnum#code()}), which the domain keeps stable; attachment ids as
 * their decimal values joined by commas, the empty string for none.
 */
final class TaskSql {
    private TaskSql() {}

    /** Every column but id and tenant, which identify a task and never change. */
    private static final List<String> CHANGEABLE = List.of(
            "version", "task_type", "linkedin_task_type", "status", "priority", "contact_id", "assigned_user_id",
            "creation_source", "sequence_id", "sequence_step_id", "step_display_name", "created_at", "updated_at",
            "start_at", "due_to", "finished_at", "skipped_at", "reopened_at", "reopen_reason", "disposition", "failed",
            "scheduled", "subject", "body", "attachment_ids", "call_resolution", "failure_reason", "failed_attempts",
            "retry_at", "execution_key", "execution_started_at", "execution_subject", "execution_body", "execution_target",
            "execution_account_id", "retry_key", "template_literal");

    /** Every column, in table order, as a select list. */
    static final String COLUMNS = "id, tenant, " + String.join(", ", CHANGEABLE);

    /** The codes of the active statuses (new, in progress), as a SQL list. */
    static final String ACTIVE_STATUSES = codes(List.of(TaskStatus.NEW, TaskStatus.IN_PROGRESS));

    static final String INSERT = "INSERT INTO te_task (" + COLUMNS + ") VALUES (:id, :tenant, "
            + CHANGEABLE.stream().map(c -> ":" + c).collect(Collectors.joining(", ")) + ")";

    static final String FIND = "SELECT " + COLUMNS + " FROM te_task WHERE tenant = :tenant AND id = :id";

    static final String FIND_VERSION = "SELECT version FROM te_task WHERE tenant = :tenant AND id = :id";

    /** Replaces every changeable column if the stored version is still the expected one, and ends any claim. */
    static final String UPDATE = "UPDATE te_task SET "
            + CHANGEABLE.stream().map(c -> c + " = :" + c).collect(Collectors.joining(", "))
            + ", claim_owner = NULL, claim_until = NULL"
            + " WHERE tenant = :tenant AND id = :id AND version = :expected";

    /**
     * What {@link Task#dueForExecution} says, as a condition: a scheduled, active email or SMS task that has started, is
     * not being executed and has not failed (or its retry time has come).
     */
    private static final String DUE = "scheduled AND status IN " + ACTIVE_STATUSES
            + " AND task_type IN " + codes(List.of(TaskType.MANUAL_EMAIL, TaskType.SMS))
            + " AND execution_key IS NULL AND start_at <= :now AND (NOT failed OR retry_at <= :now)";

    /** What {@link Task#executionStale} says: an execution recorded before {@code :staleBefore} without an outcome. */
    private static final String STALE = "execution_key IS NOT NULL AND execution_started_at < :staleBefore";

    /** Nobody else holds an unexpired claim on the task. */
    private static final String UNCLAIMED = "(claim_until IS NULL OR claim_until < :nowBound)";

    static final String INSERT_EVENT = "INSERT INTO te_task_event (id, event_type, tenant, task_id, version, occurred_at)"
            + " VALUES (:id, :event_type, :tenant, :task_id, :version, :occurred_at)";

    static final String PENDING_EVENTS = "SELECT id, event_type, tenant, task_id, version, occurred_at FROM te_task_event"
            + " ORDER BY position LIMIT :limit";

    static final String DELETE_EVENTS = "DELETE FROM te_task_event WHERE id IN (<ids>)";

    static final String DELETE = "DELETE FROM te_task WHERE tenant = :tenant AND id = :id AND version = :expected";

    /**
     * The sequence-wide reassign: exactly {@link Task#reassignedBySequence} on every active task of the sequence, in one
     * statement. The change time never goes back: {@code GREATEST(updated_at, :now)}.
     */
    static String reassignSequence(Dialect dialect) {
        return "UPDATE te_task SET assigned_user_id = :assignee, version = version + 1, updated_at = GREATEST(updated_at, :now),"
                + " claim_owner = NULL, claim_until = NULL"
                + " WHERE tenant = :tenant AND sequence_id = :sequence AND status IN " + ACTIVE_STATUSES
                + dialect.activeSequenceRows();
    }

    /**
     * Claims up to {@code :limit} due tasks for {@code :owner} until {@code :leaseUntil}, oldest start first. Kept apart
     * from {@link #claimStale} so that PostgreSQL walks the due index in order and stops at the limit; the condition is
     * checked again by the UPDATE itself, so that two schedulers racing for a row never both get it.
     */
    static String claimDue(Dialect dialect) {
        return claim(dialect, DUE, "start_at, id");
    }

    /** Claims up to {@code :limit} executions that died with their worker, oldest first. */
    static String claimStale(Dialect dialect) {
        return claim(dialect, STALE, "execution_started_at, id");
    }

    private static String claim(Dialect dialect, String condition, String order) {
        String pick = "SELECT id FROM te_task WHERE " + condition + " AND " + UNCLAIMED + " ORDER BY " + order
                + " LIMIT :limit" + dialect.skipLocked();
        return dialect.updatePicked(pick, "UPDATE te_task SET claim_owner = :owner, claim_until = :leaseUntil WHERE id IN (%s) AND "
                + condition + " AND " + UNCLAIMED);
    }

    /** Binds every column of {@code task}; the statement names them as in {@link #INSERT}. */
    static <S extends SqlStatement<S>> S bind(S statement, Task task) {
        statement.bind("id", task.id().value())
                .bind("tenant", task.tenant().value())
                .bind("version", task.version())
                .bind("task_type", task.type().code())
                .bind("status", task.status().code())
                .bind("priority", task.priority().code())
                .bind("assigned_user_id", task.assignedUserId().value())
                .bind("creation_source", task.creationSource().code())
                .bind("created_at", SqlTimes.stored(task.createdAt()))
                .bind("updated_at", SqlTimes.stored(task.updatedAt()))
                .bind("start_at", SqlTimes.stored(task.startAt()))
                .bind("due_to", SqlTimes.stored(task.dueTo()))
                .bind("finished_at", SqlTimes.stored(task.finishedAt()))
                .bind("skipped_at", SqlTimes.stored(task.skippedAt()))
                .bind("reopened_at", SqlTimes.stored(task.reopenedAt()))
                .bind("failed", task.failed())
                .bind("scheduled", task.scheduled())
                .bind("body", task.template().body())
                .bind("attachment_ids", attachmentIds(task.template().attachmentIds()));
        code(statement, "linkedin_task_type", task.linkedInTaskType());
        code(statement, "reopen_reason", task.reopenReason());
        code(statement, "disposition", task.disposition());
        code(statement, "call_resolution", task.callResolution());
        text(statement, "failure_reason", task.failureReason());
        statement.bind("failed_attempts", task.failedAttempts());
        statement.bind("retry_at", SqlTimes.stored(task.retryAt()));
        text(statement, "retry_key", task.retryKey());
        statement.bind("template_literal", task.template().literal());
        Optional<Execution> execution = task.execution();
        text(statement, "execution_key", execution.map(Execution::idempotencyKey));
        statement.bind("execution_started_at", SqlTimes.stored(execution.map(Execution::startedAt)));
        text(statement, "execution_subject", execution.flatMap(e -> e.content().subject()));
        text(statement, "execution_body", execution.map(e -> e.content().body()));
        text(statement, "execution_target", execution.map(Execution::target));
        number(statement, "execution_account_id", execution.flatMap(Execution::emailAccount).map(EmailAccountId::value));
        number(statement, "contact_id", task.contactId().map(c -> c.value()));
        number(statement, "sequence_id", task.sequence().map(s -> s.sequenceId() == null ? null : s.sequenceId().value()));
        number(statement, "sequence_step_id", task.sequence().map(s -> s.stepId() == null ? null : s.stepId().value()));
        text(statement, "step_display_name", task.sequence().flatMap(s -> s.stepDisplayName()));
        text(statement, "subject", task.template().subject());
        return statement;
    }

    static String attachmentIds(List<Long> ids) {
        return ids.stream().map(String::valueOf).collect(Collectors.joining(","));
    }

    static List<Long> attachmentIds(String stored) {
        if (stored.isEmpty()) {
            return List.of();
        }
        String[] parts = stored.split(",", -1);
        Long[] ids = new Long[parts.length];
        for (int i = 0; i < parts.length; i++) {
            ids[i] = Long.parseLong(parts[i]);
        }
        return List.of(ids);
    }

    static String codes(List<? extends WireEnum> values) {
        return values.stream().mapToInt(WireEnum::code).sorted().mapToObj(Integer::toString)
                .collect(Collectors.joining(", ", "(", ")"));
    }

    private static void code(SqlStatement<?> statement, String name, Optional<? extends WireEnum> value) {
        if (value.isPresent()) {
            statement.bind(name, value.get().code());
        } else {
            statement.bindNull(name, Types.SMALLINT);
        }
    }

    private static void number(SqlStatement<?> statement, String name, Optional<Long> value) {
        if (value.isPresent()) {
            statement.bind(name, value.get().longValue());
        } else {
            statement.bindNull(name, Types.BIGINT);
        }
    }

    private static void text(SqlStatement<?> statement, String name, Optional<String> value) {
        if (value.isPresent()) {
            statement.bind(name, value.get());
        } else {
            statement.bindNull(name, Types.VARCHAR);
        }
    }
}
