package dev.taskengine.adapter.jdbi;

import static dev.taskengine.adapter.jdbi.TaskSql.Column.*;

import dev.taskengine.adapter.jdbi.TaskSql.Column;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.SequenceStepId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.TraceContext;
import dev.taskengine.domain.UserId;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Rebuilds a task from a {@code te_task} row through the aggregate's {@link Task#stored()} builder, which re-checks its
 * structural invariants. Explicit on purpose: no reflection per row, and every statement it maps selects
 * {@link TaskSql#COLUMNS}, so each column is read at its {@link Column#position()} in that one list, never looked up
 * by name. Enum codes are read back through {@link StoredCodes}.
 *
 * <p>A row the builder refuses, or that holds a code no enum knows, was not written by this store: it is reported
 * as {@link CorruptRowException} naming the row, never silently skipped.
 */
final class TaskRowMapper implements RowMapper<Task> {
    static final TaskRowMapper INSTANCE = new TaskRowMapper();

    private TaskRowMapper() {}

    @Override
    public Task map(ResultSet rs, StatementContext ctx) throws SQLException {
        return read(rs);
    }

    /** Reads a task from the current row of a result set of {@link TaskSql#COLUMNS}. */
    static Task read(ResultSet rs) throws SQLException {
        long rowId = rs.getLong(ID.position());
        try {
            CreationSource source =
                    code(rs, CREATION_SOURCE, StoredCodes.CREATION_SOURCE).orElseThrow();
            return Task.stored()
                    .id(TaskId.of(rowId))
                    .tenant(TenantId.of(rs.getString(TENANT.position())))
                    .version(rs.getLong(VERSION.position()))
                    .type(code(rs, TASK_TYPE, StoredCodes.TASK_TYPE).orElseThrow())
                    .linkedInTaskType(code(rs, LINKEDIN_TASK_TYPE, StoredCodes.LINKEDIN_TASK_TYPE)
                            .orElse(null))
                    .status(code(rs, STATUS, StoredCodes.STATUS).orElseThrow())
                    .priority(code(rs, PRIORITY, StoredCodes.PRIORITY).orElseThrow())
                    .contactId(optionalLong(rs, CONTACT_ID).map(ContactId::of).orElse(null))
                    .assignedUserId(UserId.of(rs.getLong(ASSIGNED_USER_ID.position())))
                    .creationSource(source)
                    .sequence(
                            source == CreationSource.SEQUENCE
                                    ? new SequenceRef(
                                            optionalLong(rs, SEQUENCE_ID)
                                                    .map(SequenceId::of)
                                                    .orElse(null),
                                            optionalLong(rs, SEQUENCE_STEP_ID)
                                                    .map(SequenceStepId::of)
                                                    .orElse(null),
                                            Optional.ofNullable(rs.getString(STEP_DISPLAY_NAME.position())))
                                    : null)
                    .createdAt(time(rs, CREATED_AT).orElseThrow())
                    .updatedAt(time(rs, UPDATED_AT).orElseThrow())
                    .startAt(time(rs, START_AT).orElseThrow())
                    .dueTo(time(rs, DUE_TO).orElseThrow())
                    .finishedAt(time(rs, FINISHED_AT).orElse(null))
                    .skippedAt(time(rs, SKIPPED_AT).orElse(null))
                    .reopenedAt(time(rs, REOPENED_AT).orElse(null))
                    .reopenReason(
                            code(rs, REOPEN_REASON, StoredCodes.REOPEN_REASON).orElse(null))
                    .disposition(code(rs, DISPOSITION, StoredCodes.DISPOSITION).orElse(null))
                    .callResolution(code(rs, CALL_RESOLUTION, StoredCodes.CALL_RESOLUTION)
                            .orElse(null))
                    .failed(rs.getBoolean(FAILED.position()))
                    .failureReason(rs.getString(FAILURE_REASON.position()))
                    .failedAttempts(rs.getInt(FAILED_ATTEMPTS.position()))
                    .retryAt(time(rs, RETRY_AT).orElse(null))
                    .retryKey(rs.getString(RETRY_KEY.position()))
                    .scheduled(rs.getBoolean(SCHEDULED.position()))
                    .template(new Template(
                            Optional.ofNullable(rs.getString(SUBJECT.position())),
                            rs.getString(BODY.position()),
                            TaskSql.attachmentIds(rs.getString(ATTACHMENT_IDS.position())),
                            rs.getBoolean(TEMPLATE_LITERAL.position())))
                    .execution(execution(rs).orElse(null))
                    .deferral(deferral(rs).orElse(null))
                    .remindAt(time(rs, REMIND_AT).orElse(null))
                    .snoozedUntil(time(rs, SNOOZED_UNTIL).orElse(null))
                    .pausedUntil(time(rs, PAUSED_UNTIL).orElse(null))
                    .trace(TraceContext.stored(
                            rs.getString(TRACE_PARENT.position()), rs.getString(TRACE_STATE.position())))
                    .build();
        } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
            throw new CorruptRowException(rowId, e);
        }
    }

    private static Optional<Execution> execution(ResultSet rs) throws SQLException {
        String key = rs.getString(EXECUTION_KEY.position());
        if (key == null) {
            return Optional.empty();
        }
        return Optional.of(new Execution(
                key,
                time(rs, EXECUTION_STARTED_AT).orElseThrow(),
                new Content(
                        Optional.ofNullable(rs.getString(EXECUTION_SUBJECT.position())),
                        rs.getString(EXECUTION_BODY.position())),
                rs.getString(EXECUTION_TARGET.position()),
                optionalLong(rs, EXECUTION_ACCOUNT_ID).map(EmailAccountId::of),
                Optional.ofNullable(rs.getString(EXECUTION_SMS_SENDER.position()))));
    }

    private static Optional<Deferral> deferral(ResultSet rs) throws SQLException {
        Optional<Instant> until = time(rs, DEFERRED_UNTIL);
        return until.isEmpty()
                ? Optional.empty()
                : Optional.of(new Deferral(until.get(), rs.getString(DEFERRAL_REASON.position())));
    }

    private static Optional<Long> optionalLong(ResultSet rs, Column column) throws SQLException {
        long value = rs.getLong(column.position());
        return rs.wasNull() ? Optional.empty() : Optional.of(value);
    }

    private static Optional<Instant> time(ResultSet rs, Column column) throws SQLException {
        return Optional.ofNullable(rs.getObject(column.position(), OffsetDateTime.class))
                .map(SqlTimes::read);
    }

    private static <E extends Enum<E>> Optional<E> code(ResultSet rs, Column column, StoredCodes.Codes<E> codes)
            throws SQLException {
        int code = rs.getInt(column.position());
        return rs.wasNull() ? Optional.empty() : Optional.of(codes.constant(code));
    }

    /** A stored row that does not make a valid task: data written around this store, a bug, never an outage. */
    static final class CorruptRowException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CorruptRowException(long id, RuntimeException cause) {
            super("te_task row " + id + " does not make a valid task: " + cause.getMessage(), cause);
        }
    }
}
