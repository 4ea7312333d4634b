package dev.taskengine.adapter.jdbi;

import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.Reopening;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.store.Lease;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.util.Arrays;
import java.util.Collections;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The {@code te_task} table as SQL: its columns, the statements on one task, and how a task's fields are bound.
 *
 * <p>Enums are stored as the codes {@link StoredCodes} fixes for this table; attachment ids as their decimal values
 * joined by commas, the empty string for none.
 */
final class TaskSql {
    private TaskSql() {}

    /** How one column takes its value from a task, by position on a prepared statement. */
    @FunctionalInterface
    private interface Binder {
        void bind(PreparedStatement statement, int position, Task task) throws SQLException;
    }

    /**
     * Every column, in table order, each with how it is bound: the one place that says which field goes to which column.
     * A statement that selects {@link #COLUMNS} has each column at {@link #position()}, which {@link TaskRowMapper} reads.
     */
    enum Column {
        ID("id", (s, i, t) -> s.setLong(i, t.id().value())),
        TENANT("tenant", (s, i, t) -> s.setString(i, t.tenant().value())),
        VERSION("version", (s, i, t) -> s.setLong(i, t.version())),
        TASK_TYPE("task_type", (s, i, t) -> s.setInt(i, StoredCodes.TASK_TYPE.code(t.type()))),
        LINKEDIN_TASK_TYPE(
                "linkedin_task_type",
                (s, i, t) ->
                        code(s, i, StoredCodes.LINKEDIN_TASK_TYPE, t.fields().linkedInTaskType())),
        STATUS("status", (s, i, t) -> s.setInt(i, StoredCodes.STATUS.code(t.status()))),
        PRIORITY(
                "priority",
                (s, i, t) -> s.setInt(i, StoredCodes.PRIORITY.code(t.fields().priority()))),
        CONTACT_ID(
                "contact_id", (s, i, t) -> number(s, i, t.fields().contactId().map(ContactId::value))),
        ASSIGNED_USER_ID(
                "assigned_user_id", (s, i, t) -> s.setLong(i, t.assignedUserId().value())),
        CREATION_SOURCE(
                "creation_source",
                (s, i, t) ->
                        s.setInt(i, StoredCodes.CREATION_SOURCE.code(t.origin().source()))),
        SEQUENCE_ID(
                "sequence_id",
                (s, i, t) -> number(
                        s,
                        i,
                        t.origin()
                                .sequence()
                                .map(q -> q.sequenceId() == null
                                        ? null
                                        : q.sequenceId().value()))),
        SEQUENCE_STEP_ID(
                "sequence_step_id",
                (s, i, t) -> number(
                        s,
                        i,
                        t.origin()
                                .sequence()
                                .map(q -> q.stepId() == null ? null : q.stepId().value()))),
        STEP_DISPLAY_NAME(
                "step_display_name",
                (s, i, t) -> text(s, i, t.origin().sequence().flatMap(SequenceRef::stepDisplayName))),
        CREATED_AT("created_at", (s, i, t) -> SqlTimes.set(s, i, t.times().createdAt())),
        UPDATED_AT("updated_at", (s, i, t) -> SqlTimes.set(s, i, t.times().updatedAt())),
        START_AT("start_at", (s, i, t) -> SqlTimes.set(s, i, t.schedule().startAt())),
        DUE_TO("due_to", (s, i, t) -> SqlTimes.set(s, i, t.schedule().dueTo())),
        FINISHED_AT("finished_at", (s, i, t) -> SqlTimes.set(s, i, t.times().finishedAt())),
        SKIPPED_AT("skipped_at", (s, i, t) -> SqlTimes.set(s, i, t.times().skippedAt())),
        REOPENED_AT("reopened_at", (s, i, t) -> SqlTimes.set(s, i, t.reopening().map(Reopening::at))),
        REOPEN_REASON(
                "reopen_reason",
                (s, i, t) -> code(s, i, StoredCodes.REOPEN_REASON, t.reopening().map(Reopening::reason))),
        DISPOSITION(
                "disposition",
                (s, i, t) -> code(s, i, StoredCodes.DISPOSITION, t.callOutcome().disposition())),
        FAILED("failed", (s, i, t) -> s.setBoolean(i, t.failure().failed())),
        SCHEDULED("scheduled", (s, i, t) -> s.setBoolean(i, t.schedule().scheduled())),
        SUBJECT("subject", (s, i, t) -> text(s, i, t.fields().template().subject())),
        BODY("body", (s, i, t) -> s.setString(i, t.fields().template().body())),
        ATTACHMENT_IDS(
                "attachment_ids",
                (s, i, t) -> s.setString(i, attachmentIds(t.fields().template().attachmentIds()))),
        CALL_RESOLUTION(
                "call_resolution",
                (s, i, t) ->
                        code(s, i, StoredCodes.CALL_RESOLUTION, t.callOutcome().callResolution())),
        FAILURE_REASON("failure_reason", (s, i, t) -> text(s, i, t.failure().reason())),
        FAILED_ATTEMPTS("failed_attempts", (s, i, t) -> s.setInt(i, t.failure().attempts())),
        RETRY_AT("retry_at", (s, i, t) -> SqlTimes.set(s, i, t.failure().retryAt())),
        EXECUTION_KEY("execution_key", (s, i, t) -> text(s, i, t.execution().map(Execution::idempotencyKey))),
        EXECUTION_STARTED_AT(
                "execution_started_at",
                (s, i, t) -> SqlTimes.set(s, i, t.execution().map(Execution::startedAt))),
        EXECUTION_SUBJECT(
                "execution_subject",
                (s, i, t) -> text(s, i, t.execution().flatMap(e -> e.content().subject()))),
        EXECUTION_BODY(
                "execution_body",
                (s, i, t) -> text(s, i, t.execution().map(e -> e.content().body()))),
        EXECUTION_TARGET(
                "execution_target", (s, i, t) -> text(s, i, t.execution().map(Execution::target))),
        EXECUTION_ACCOUNT_ID(
                "execution_account_id",
                (s, i, t) -> number(
                        s, i, t.execution().flatMap(Execution::emailAccount).map(EmailAccountId::value))),
        RETRY_KEY("retry_key", (s, i, t) -> text(s, i, t.failure().retryKey())),
        TEMPLATE_LITERAL(
                "template_literal",
                (s, i, t) -> s.setBoolean(i, t.fields().template().literal())),
        EXECUTION_SMS_SENDER(
                "execution_sms_sender", (s, i, t) -> text(s, i, t.execution().flatMap(Execution::smsSender))),
        DEFERRED_UNTIL(
                "deferred_until", (s, i, t) -> SqlTimes.set(s, i, t.deferral().map(Deferral::until))),
        DEFERRAL_REASON("deferral_reason", (s, i, t) -> text(s, i, t.deferral().map(Deferral::reason))),
        /** Derived: {@link Task#nextExecutionAt()}, written with every change so that the claim can walk its index. */
        NEXT_EXECUTION_AT("next_execution_at", (s, i, t) -> SqlTimes.set(s, i, t.nextExecutionAt())),
        REMIND_AT("remind_at", (s, i, t) -> SqlTimes.set(s, i, t.fields().remindAt())),
        SNOOZED_UNTIL("snoozed_until", (s, i, t) -> SqlTimes.set(s, i, t.snoozedUntil())),
        PAUSED_UNTIL("paused_until", (s, i, t) -> SqlTimes.set(s, i, t.pausedUntil())),
        /** Derived: {@link Task#hiddenUntil()}, so that a task is hidden at a time exactly when this column is later. */
        HIDDEN_UNTIL("hidden_until", (s, i, t) -> SqlTimes.set(s, i, t.hiddenUntil())),
        TRACE_PARENT("trace_parent", (s, i, t) -> text(s, i, t.trace().traceparent())),
        TRACE_STATE("trace_state", (s, i, t) -> text(s, i, t.trace().tracestate()));

        private final String sql;
        private final Binder binder;

        Column(String sql, Binder binder) {
            this.sql = sql;
            this.binder = binder;
        }

        /** The column's name in {@code te_task}. */
        String sql() {
            return sql;
        }

        /** The 1-based position of this column in {@link #COLUMNS}. */
        int position() {
            return ordinal() + 1;
        }
    }

    /** Every column but id and tenant, which identify a task and never change, in table order. */
    private static final List<Column> CHANGEABLE = List.copyOf(EnumSet.range(Column.VERSION, Column.TRACE_STATE));

    /** Every column, in table order, as a select list; {@link TaskRowMapper} reads rows of exactly this list. */
    static final String COLUMNS =
            Arrays.stream(Column.values()).map(Column::sql).collect(Collectors.joining(", "));

    /** The codes of the active statuses (new, in progress), as a SQL list. */
    static final String ACTIVE_STATUSES = StoredCodes.STATUS.sqlList(List.of(TaskStatus.NEW, TaskStatus.IN_PROGRESS));

    /** Stores a new task: parameters are the columns of {@link #COLUMNS}, see {@link #bindInsert}. */
    static final String INSERT = "INSERT INTO te_task (" + COLUMNS + ") VALUES ("
            + Arrays.stream(Column.values()).map(c -> "?").collect(Collectors.joining(", ")) + ")";

    /** Reads one task: parameters tenant, id. */
    static final String FIND = "SELECT " + COLUMNS + " FROM te_task WHERE tenant = ? AND id = ?";

    /** The tasks of a tenant among ids: parameters tenant, an array of ids. */
    static final String FIND_ALL = "SELECT " + COLUMNS + " FROM te_task WHERE tenant = ? AND id = ANY(?)";

    static final String FIND_VERSION = "SELECT version FROM te_task WHERE tenant = ? AND id = ?";

    /** {@link #FIND_VERSION}, locking the row for the transaction. */
    static final String LOCK_VERSION = FIND_VERSION + " FOR UPDATE";

    /**
     * Replaces every changeable column if the stored version is still the expected one, and ends any claim or leaves the
     * task claimed under the write's lease; see {@link #bindUpdate}.
     */
    static final String UPDATE = "UPDATE te_task SET "
            + CHANGEABLE.stream().map(c -> c.sql() + " = ?").collect(Collectors.joining(", "))
            + ", claim_owner = ?, claim_until = ?"
            + " WHERE tenant = ? AND id = ? AND version = ?";

    /** Extends a claim its owner still holds: parameters lease end, tenant, id, owner. */
    static final String RENEW_LEASE =
            "UPDATE te_task SET claim_until = ? WHERE tenant = ? AND id = ? AND claim_owner = ?";

    /** Binds every column of {@code task} to {@link #INSERT}. */
    static void bindInsert(PreparedStatement statement, Task task) throws SQLException {
        for (Column column : Column.values()) {
            column.binder.bind(statement, column.position(), task);
        }
    }

    /** Binds {@code changed}, the lease it leaves the task under (none: the claim ends) and the version it replaces to {@link #UPDATE}. */
    static void bindUpdate(PreparedStatement statement, Task changed, long expectedVersion, Optional<Lease> lease)
            throws SQLException {
        int next = bindChangeable(statement, 1, changed);
        statement.setString(next, lease.map(Lease::owner).orElse(null));
        SqlTimes.set(statement, next + 1, lease.map(Lease::until));
        statement.setString(next + 2, changed.tenant().value());
        statement.setLong(next + 3, changed.id().value());
        statement.setLong(next + 4, expectedVersion);
    }

    private static int bindChangeable(PreparedStatement statement, int first, Task task) throws SQLException {
        int position = first;
        for (Column column : CHANGEABLE) {
            column.binder.bind(statement, position++, task);
        }
        return position;
    }

    /**
     * The least time a store keeps ({@link SqlTimes#FLOOR}), as a lower bound of the scheduler's time conditions. It
     * changes no answer; on H2, which has no partial indexes and puts NULLs first in an index, it starts each range
     * after the rows without that time (most of the table) instead of reading them all at every poll.
     */
    private static final String FLOOR = "TIMESTAMP WITH TIME ZONE '0001-01-01 00:00:00+00'";

    /**
     * What {@link Task#dueForExecution} says, as a condition on the column that stores {@link Task#nextExecutionAt()}:
     * its time has come (the column is null for a task the scheduler has nothing to do with).
     */
    private static final String DUE = "next_execution_at >= " + FLOOR + " AND next_execution_at <= :now";

    /**
     * An execution without outcome whose engine is taken to be gone (with {@link #UNCLAIMED}): one recorded under a lease
     * (by a scheduler; its owner stays on record) that expired unrenewed, or one recorded without a lease (by hand)
     * before {@code :staleBefore}, as {@link Task#executionStale} says; or a resend the sending policy deferred, once
     * its deferral ended.
     */
    private static final String STALE =
            "execution_started_at >= " + FLOOR + " AND execution_key IS NOT NULL AND (deferred_until IS NULL"
                    + " AND (claim_owner IS NOT NULL OR execution_started_at < :staleBefore) OR deferred_until <= :now)";

    /** Nobody else holds an unexpired claim on the task. */
    private static final String UNCLAIMED = "(claim_until IS NULL OR claim_until < :nowBound)";

    /**
     * An account's sends counted in the hours from one (since the epoch), those in the hours from a later one, and its
     * latest send after a time, in constant time (at most 25 rows of {@code te_send_hour} for a day and one index entry
     * of {@code te_send}): parameters tenant, account, the earlier hour; tenant, account, the later hour; tenant,
     * account, the time.
     */
    static final String COUNT_SENDS = "SELECT"
            + " (SELECT COALESCE(SUM(sends), 0) FROM te_send_hour WHERE tenant = ? AND account = ? AND epoch_hour >= ?),"
            + " (SELECT COALESCE(SUM(sends), 0) FROM te_send_hour WHERE tenant = ? AND account = ? AND epoch_hour >= ?),"
            + " (SELECT sent_at FROM te_send WHERE tenant = ? AND account = ? AND sent_at > ?"
            + " ORDER BY sent_at DESC LIMIT 1)";

    /** An account's latest counted sends after a time, latest first: parameters tenant, account, after, how many. */
    static final String RECENT_SENDS = "SELECT idempotency_key, sent_at FROM te_send WHERE tenant = ? AND account = ?"
            + " AND sent_at > ? ORDER BY sent_at DESC LIMIT ?";

    /** Forgets an account's sends counted before a time: parameters tenant, account, before. */
    static final String FORGET_SENDS = "DELETE FROM te_send WHERE tenant = ? AND account = ? AND sent_at < ?";

    /** Forgets an account's counts of the hours before an hour (since the epoch): parameters tenant, account, hour. */
    static final String FORGET_SEND_HOURS =
            "DELETE FROM te_send_hour WHERE tenant = ? AND account = ? AND epoch_hour < ?";

    /** The hour since the epoch (UTC) that {@code at} falls in, as {@code te_send_hour} counts it. */
    static long epochHour(java.time.Instant at) {
        return Math.floorDiv(at.getEpochSecond(), 3600);
    }

    /** Keeps an event in the outbox: parameters id, type, tenant, task id, version, time, actor, aggregate id, payload. */
    static String insertEvent(Dialect dialect) {
        return "INSERT INTO te_task_event (id, type, tenant, task_id, version, occurred_at, actor, aggregatetype,"
                + " aggregateid, payload) VALUES (?, ?, ?, ?, ?, ?, ?, 'task', ?, "
                + (dialect == Dialect.POSTGRESQL ? "CAST(? AS json)" : "?") + ")";
    }

    static final String PENDING_EVENTS =
            "SELECT id, type, tenant, task_id, version, occurred_at, actor, payload FROM te_task_event"
                    + " ORDER BY position LIMIT :limit";

    /** How many tasks are due, counted up to a limit on the due index: parameters now, limit. */
    static final String DUE_BACKLOG =
            "SELECT count(*) FROM (SELECT 1 AS one FROM te_task WHERE " + DUE + " LIMIT :limit) d";

    /** When the oldest due task fell due: parameter now. */
    static final String DUE_OLDEST =
            "SELECT next_execution_at FROM te_task WHERE " + DUE + " ORDER BY next_execution_at LIMIT 1";

    /** How many events wait in the outbox, counted up to a limit: parameter limit. */
    static final String PENDING_BACKLOG = "SELECT count(*) FROM (SELECT 1 AS one FROM te_task_event LIMIT :limit) e";

    /** Published events, found by the outbox's unique key: parameters tenant and id of each event, in turn. */
    static String deleteEvents(int events) {
        return "DELETE FROM te_task_event WHERE (tenant, id) IN ("
                + String.join(", ", Collections.nCopies(events, "(?, ?)")) + ")";
    }

    /**
     * The same on PostgreSQL, the keys given as two arrays (the tenants, the ids) and joined with the outbox: a nested
     * loop of probes of its unique (tenant, id) even before PostgreSQL has statistics for the table, where an IN list of
     * ids was planned as a scan of the whole outbox.
     */
    static final String DELETE_EVENTS_POSTGRESQL = "DELETE FROM te_task_event e USING unnest(?::varchar[],"
            + " ?::uuid[]) AS p(tenant, id) WHERE e.tenant = p.tenant AND e.id = p.id";

    /**
     * The active tasks of a sequence, as {@link #REASSIGN_SEQUENCE} changes them, locked in id order for the transaction:
     * parameters tenant, sequence.
     */
    static final String LOCK_ACTIVE_OF_SEQUENCE = "SELECT " + COLUMNS
            + " FROM te_task WHERE tenant = ? AND sequence_id = ? AND status IN " + ACTIVE_STATUSES
            + " ORDER BY id FOR UPDATE";

    /**
     * Active tasks whose reminder time has come, across tenants, earliest first ({@link Task#reminderDue}): parameters
     * now, limit.
     */
    static final String DUE_REMINDERS = "SELECT " + COLUMNS + " FROM te_task WHERE remind_at >= " + FLOOR
            + " AND remind_at <= ? AND status IN "
            + ACTIVE_STATUSES + " AND execution_key IS NULL ORDER BY remind_at, id LIMIT ?";

    /** Until when a contact is paused: parameters tenant, contact. */
    static final String CONTACT_PAUSE = "SELECT paused_until FROM te_contact_pause WHERE tenant = ? AND contact_id = ?";

    /** The pauses of {@code contacts} contacts of one tenant: parameters tenant, then each contact. */
    static String contactPauses(int contacts) {
        return "SELECT contact_id, paused_until FROM te_contact_pause WHERE tenant = ? AND contact_id IN ("
                + String.join(", ", Collections.nCopies(contacts, "?")) + ")";
    }

    /** Ends a contact's pause: parameters tenant, contact. */
    static final String END_CONTACT_PAUSE = "DELETE FROM te_contact_pause WHERE tenant = ? AND contact_id = ?";

    /** Removes a task at the expected version: parameters tenant, id, expected version. */
    static final String DELETE = "DELETE FROM te_task WHERE tenant = ? AND id = ? AND version = ?";

    /**
     * The sequence-wide reassign: exactly {@link Task#reassignedBySequence} on every active task of the sequence, in one
     * statement, after {@link #LOCK_ACTIVE_OF_SEQUENCE} locked them in id order (so that two reassigns of one sequence
     * in different engines wait for each other instead of deadlocking). The change time never goes back:
     * {@code GREATEST(updated_at, :now)}.
     */
    static final String REASSIGN_SEQUENCE =
            "UPDATE te_task SET assigned_user_id = :assignee, version = version + 1, updated_at = GREATEST(updated_at, :now),"
                    // An execution under way keeps its lease: its engine is alive and still renewing it.
                    + " claim_owner = CASE WHEN execution_key IS NULL THEN NULL ELSE claim_owner END,"
                    + " claim_until = CASE WHEN execution_key IS NULL THEN NULL ELSE claim_until END"
                    // Only the rows locked before, in id order: a task that became active since is not this
                    // reassign's (it happened before its reopening), and the history has its row as it was.
                    + " WHERE tenant = :tenant AND id = ANY(:ids) AND status IN " + ACTIVE_STATUSES;

    /**
     * Claims up to {@code :limit} due tasks for {@code :owner} until {@code :leaseUntil}, oldest start first. Kept apart
     * from {@link #claimStale} so that PostgreSQL walks the due index in order and stops at the limit; the condition is
     * checked again by the UPDATE itself, so that two schedulers racing for a row never both get it.
     */
    static String claimDue(Dialect dialect) {
        return claim(dialect, DUE, "next_execution_at, id");
    }

    /** Claims up to {@code :limit} executions that died with their worker, oldest first. */
    static String claimStale(Dialect dialect) {
        return claim(dialect, STALE, "execution_started_at, id");
    }

    /** {@link #claimDue}, answering the claimed rows, per dialect, as a JDBC statement. */
    static final Map<Dialect, PositionalSql> CLAIM_DUE = perDialect(d -> d.returningChanged(claimDue(d)));

    /** {@link #claimStale}, answering the claimed rows, per dialect, as a JDBC statement. */
    static final Map<Dialect, PositionalSql> CLAIM_STALE = perDialect(d -> d.returningChanged(claimStale(d)));

    private static Map<Dialect, PositionalSql> perDialect(Function<Dialect, String> named) {
        Map<Dialect, PositionalSql> statements = new EnumMap<>(Dialect.class);
        for (Dialect dialect : Dialect.values()) {
            statements.put(dialect, PositionalSql.of(named.apply(dialect)));
        }
        return Collections.unmodifiableMap(statements);
    }

    private static String claim(Dialect dialect, String condition, String order) {
        // The pick runs across tenants; the UPDATE then finds each picked row by its key, (tenant, id).
        String pick = "SELECT tenant, id FROM te_task WHERE " + condition + " AND " + UNCLAIMED + " ORDER BY " + order
                + " LIMIT :limit" + dialect.skipLocked();
        return dialect.updatePicked(
                pick,
                "UPDATE te_task SET claim_owner = :owner, claim_until = :leaseUntil"
                        + " WHERE (tenant, id) IN (%s) AND " + condition + " AND " + UNCLAIMED);
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

    private static <E extends Enum<E>> void code(
            PreparedStatement statement, int position, StoredCodes.Codes<E> codes, Optional<E> value)
            throws SQLException {
        if (value.isPresent()) {
            statement.setInt(position, codes.code(value.get()));
        } else {
            statement.setNull(position, Types.SMALLINT);
        }
    }

    private static void number(PreparedStatement statement, int position, Optional<Long> value) throws SQLException {
        if (value.isPresent()) {
            statement.setLong(position, value.get());
        } else {
            statement.setNull(position, Types.BIGINT);
        }
    }

    private static void text(PreparedStatement statement, int position, Optional<String> value) throws SQLException {
        if (value.isPresent()) {
            statement.setString(position, value.get());
        } else {
            statement.setNull(position, Types.VARCHAR);
        }
    }
}
