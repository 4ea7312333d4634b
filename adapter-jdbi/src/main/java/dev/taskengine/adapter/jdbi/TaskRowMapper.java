package dev.taskengine.adapter.jdbi;

import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.SequenceStepId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.WireEnum;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.Optional;
import org.jdbi.v3.core.mapper.RowMapper;
import org.jdbi.v3.core.statement.StatementContext;

/**
 * Rebuilds a task from a {@code te_task} row through the aggregate's canonical constructor, which re-checks its
 * structural invariants. Explicit on purpose: no reflection per row, and every statement it maps selects
 * {@link TaskSql#COLUMNS}, so columns are read at positions fixed once, never looked up by name.
 *
 * <p>A row the constructor refuses, or that holds a code no enum knows, was not written by this store: it is reported
 * as {@link CorruptRowException} naming the row, never silently skipped.
 */
final class TaskRowMapper implements RowMapper<Task> {
    static final TaskRowMapper INSTANCE = new TaskRowMapper();

    private TaskRowMapper() {}

    private static final Positions POSITIONS = new Positions();

    @Override
    public Task map(ResultSet rs, StatementContext ctx) throws SQLException {
        return POSITIONS.map(rs);
    }

    /** Reads a task from the current row of a result set of {@link TaskSql#COLUMNS}. */
    static Task read(ResultSet rs) throws SQLException {
        return POSITIONS.map(rs);
    }

    /** The positions of the columns in {@link TaskSql#COLUMNS}. */
    private static final class Positions {
        private final int id;
        private final int tenant;
        private final int version;
        private final int taskType;
        private final int linkedInTaskType;
        private final int status;
        private final int priority;
        private final int contactId;
        private final int assignedUserId;
        private final int creationSource;
        private final int sequenceId;
        private final int sequenceStepId;
        private final int stepDisplayName;
        private final int createdAt;
        private final int updatedAt;
        private final int startAt;
        private final int dueTo;
        private final int finishedAt;
        private final int skippedAt;
        private final int reopenedAt;
        private final int reopenReason;
        private final int disposition;
        private final int failed;
        private final int scheduled;
        private final int subject;
        private final int body;
        private final int attachmentIds;
        private final int callResolution;
        private final int failureReason;
        private final int failedAttempts;
        private final int retryAt;
        private final int executionKey;
        private final int executionStartedAt;
        private final int executionSubject;
        private final int executionBody;
        private final int executionTarget;
        private final int executionAccountId;
        private final int retryKey;
        private final int templateLiteral;

        Positions() {
            id = TaskSql.position("id");
            tenant = TaskSql.position("tenant");
            version = TaskSql.position("version");
            taskType = TaskSql.position("task_type");
            linkedInTaskType = TaskSql.position("linkedin_task_type");
            status = TaskSql.position("status");
            priority = TaskSql.position("priority");
            contactId = TaskSql.position("contact_id");
            assignedUserId = TaskSql.position("assigned_user_id");
            creationSource = TaskSql.position("creation_source");
            sequenceId = TaskSql.position("sequence_id");
            sequenceStepId = TaskSql.position("sequence_step_id");
            stepDisplayName = TaskSql.position("step_display_name");
            createdAt = TaskSql.position("created_at");
            updatedAt = TaskSql.position("updated_at");
            startAt = TaskSql.position("start_at");
            dueTo = TaskSql.position("due_to");
            finishedAt = TaskSql.position("finished_at");
            skippedAt = TaskSql.position("skipped_at");
            reopenedAt = TaskSql.position("reopened_at");
            reopenReason = TaskSql.position("reopen_reason");
            disposition = TaskSql.position("disposition");
            failed = TaskSql.position("failed");
            scheduled = TaskSql.position("scheduled");
            subject = TaskSql.position("subject");
            body = TaskSql.position("body");
            attachmentIds = TaskSql.position("attachment_ids");
            callResolution = TaskSql.position("call_resolution");
            failureReason = TaskSql.position("failure_reason");
            failedAttempts = TaskSql.position("failed_attempts");
            retryAt = TaskSql.position("retry_at");
            executionKey = TaskSql.position("execution_key");
            executionStartedAt = TaskSql.position("execution_started_at");
            executionSubject = TaskSql.position("execution_subject");
            executionBody = TaskSql.position("execution_body");
            executionTarget = TaskSql.position("execution_target");
            executionAccountId = TaskSql.position("execution_account_id");
            retryKey = TaskSql.position("retry_key");
            templateLiteral = TaskSql.position("template_literal");
        }

        Task map(ResultSet rs) throws SQLException {
            long rowId = rs.getLong(id);
            try {
                CreationSource source = code(rs, creationSource, CreationSource.class).orElseThrow();
                Optional<SequenceRef> sequence = source == CreationSource.SEQUENCE
                        ? Optional.of(new SequenceRef(
                                optionalLong(rs, sequenceId).map(SequenceId::of).orElse(null),
                                optionalLong(rs, sequenceStepId).map(SequenceStepId::of).orElse(null),
                                Optional.ofNullable(rs.getString(stepDisplayName))))
                        : Optional.empty();
                return new Task(
                        TaskId.of(rowId),
                        TenantId.of(rs.getString(tenant)),
                        rs.getLong(version),
                        code(rs, taskType, TaskType.class).orElseThrow(),
                        code(rs, linkedInTaskType, LinkedInTaskType.class),
                        code(rs, status, TaskStatus.class).orElseThrow(),
                        code(rs, priority, Priority.class).orElseThrow(),
                        optionalLong(rs, contactId).map(ContactId::of),
                        UserId.of(rs.getLong(assignedUserId)),
                        source,
                        sequence,
                        time(rs, createdAt).orElseThrow(),
                        time(rs, updatedAt).orElseThrow(),
                        time(rs, startAt).orElseThrow(),
                        time(rs, dueTo).orElseThrow(),
                        time(rs, finishedAt),
                        time(rs, skippedAt),
                        time(rs, reopenedAt),
                        code(rs, reopenReason, ReopenReason.class),
                        code(rs, disposition, Disposition.class),
                        code(rs, callResolution, CallResolution.class),
                        rs.getBoolean(failed),
                        Optional.ofNullable(rs.getString(failureReason)),
                        rs.getInt(failedAttempts),
                        time(rs, retryAt),
                        Optional.ofNullable(rs.getString(retryKey)),
                        rs.getBoolean(scheduled),
                        new Template(Optional.ofNullable(rs.getString(subject)), rs.getString(body),
                                TaskSql.attachmentIds(rs.getString(attachmentIds)), rs.getBoolean(templateLiteral)),
                        execution(rs));
            } catch (IllegalArgumentException | java.util.NoSuchElementException e) {
                throw new CorruptRowException(rowId, e);
            }
        }

        private Optional<Execution> execution(ResultSet rs) throws SQLException {
            String key = rs.getString(executionKey);
            if (key == null) {
                return Optional.empty();
            }
            return Optional.of(new Execution(key, time(rs, executionStartedAt).orElseThrow(),
                    new Content(Optional.ofNullable(rs.getString(executionSubject)), rs.getString(executionBody)),
                    rs.getString(executionTarget), optionalLong(rs, executionAccountId).map(EmailAccountId::of)));
        }

        private static Optional<Long> optionalLong(ResultSet rs, int column) throws SQLException {
            long value = rs.getLong(column);
            return rs.wasNull() ? Optional.empty() : Optional.of(value);
        }

        private static Optional<Instant> time(ResultSet rs, int column) throws SQLException {
            return Optional.ofNullable(rs.getObject(column, OffsetDateTime.class)).map(SqlTimes::read);
        }

        /** Each enum's constants, read once ({@link Class#getEnumConstants} copies them on every call). */
        private static final ClassValue<Object[]> CONSTANTS = new ClassValue<>() {
            @Override
            protected Object[] computeValue(Class<?> type) {
                return type.getEnumConstants();
            }
        };

        private static <E extends Enum<E> & WireEnum> Optional<E> code(ResultSet rs, int column, Class<E> type)
                throws SQLException {
            int code = rs.getInt(column);
            if (rs.wasNull()) {
                return Optional.empty();
            }
            for (Object constant : CONSTANTS.get(type)) {
                if (((WireEnum) constant).code() == code) {
                    return Optional.of(type.cast(constant));
                }
            }
            throw new IllegalArgumentException("unknown " + type.getSimpleName() + " code " + code);
        }
    }

    /** A stored row that does not make a valid task: data written around this store, a bug, never an outage. */
    static final class CorruptRowException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        CorruptRowException(long id, RuntimeException cause) {
            super("te_task row " + id + " does not make a valid task: " + cause.getMessage(), cause);
        }
    }
}
