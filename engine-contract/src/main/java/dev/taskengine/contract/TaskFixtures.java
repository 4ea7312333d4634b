package dev.taskengine.contract;

import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.TraceContext;
import dev.taskengine.domain.UserId;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Test data shared by the contract suites and adapter tests: fresh tenants, and tasks in any state. */
public final class TaskFixtures {
    /** A fixed "now" for tests, with microsecond precision. */
    public static final Instant NOW = Instant.parse("2026-03-02T09:30:00.123456Z");

    private TaskFixtures() {}

    /** A tenant no other test uses, so a shared database needs no cleanup between tests. */
    public static TenantId freshTenant() {
        return TenantId.of("t-" + UUID.randomUUID());
    }

    /** A valid to-do for {@code tenant}, assigned to user 7, starting at {@link #NOW}. */
    public static NewTask.Builder newToDo(TenantId tenant) {
        return NewTask.builder()
                .tenant(tenant)
                .type(TaskType.TO_DO)
                .assignee(UserId.of(7))
                .startAt(NOW)
                .dueTo(NOW.plus(1, ChronoUnit.DAYS))
                .template(Template.of("Prepare the quarterly review"));
    }

    /** A stored task in {@code status} with consistent timestamps, built directly (as a store rebuilds one). */
    public static Task stored(TenantId tenant, TaskId id, TaskStatus status) {
        return new TaskBuilder(tenant, id).status(status).build();
    }

    public static TaskBuilder task(TenantId tenant, TaskId id) {
        return new TaskBuilder(tenant, id);
    }

    /**
     * A call that is finished with a disposition after having been reopened, in a sequence, with every optional field
     * set: the widest task the aggregate allows.
     */
    public static Task everyFieldSet(TenantId tenant, TaskId id) {
        Instant created = NOW.minus(3, ChronoUnit.DAYS);
        return Task.stored()
                .id(id)
                .tenant(tenant)
                .version(5)
                .type(TaskType.CALL)
                .status(TaskStatus.FINISHED)
                .priority(Priority.HOT)
                .contactId(ContactId.of(42))
                .assignedUserId(UserId.of(9))
                .creationSource(CreationSource.SEQUENCE)
                .sequence(SequenceRef.of(300, 301, "Step 2 - Call"))
                .createdAt(created)
                .updatedAt(NOW)
                .startAt(created.plus(1, ChronoUnit.HOURS))
                .dueTo(created.plus(2, ChronoUnit.DAYS))
                .finishedAt(NOW)
                .reopenedAt(NOW.minus(1, ChronoUnit.HOURS))
                .reopenReason(ReopenReason.REMINDER_RULE)
                .disposition(Disposition.VOICEMAIL_LEFT)
                .callResolution(CallResolution.TO_CALL)
                .failed(true)
                .failureReason("line busy — ünïcødé")
                .failedAttempts(3)
                .scheduled(true)
                .template(Template.of(
                        "Call {{firstName}} — ünïcødé ✓", "Line 1\nLine 2 \"quoted\" 'single' <b>", List.of(11L, 12L)))
                .build();
    }

    /**
     * An email task whose earlier execution failed and is retried later, with a new execution under way: every
     * execution field set.
     */
    public static Task executingEmail(TenantId tenant, TaskId id) {
        Execution execution = new Execution(
                tenant + "/" + id + "/4",
                NOW.minus(2, ChronoUnit.MINUTES),
                new Content(Optional.of("Pilot — ready"), "<p>Hi Ada, ready ✓</p>"),
                "ada@example.com",
                Optional.of(EmailAccountId.of(77)));
        return Task.stored()
                .id(id)
                .tenant(tenant)
                .version(4)
                .type(TaskType.MANUAL_EMAIL)
                .status(TaskStatus.IN_PROGRESS)
                .priority(Priority.EXTRA)
                .contactId(ContactId.of(1))
                .assignedUserId(UserId.of(9))
                .creationSource(CreationSource.USER)
                .createdAt(NOW.minus(1, ChronoUnit.DAYS))
                .updatedAt(NOW.minus(2, ChronoUnit.MINUTES))
                .startAt(NOW.minus(1, ChronoUnit.HOURS))
                .dueTo(NOW.plus(1, ChronoUnit.DAYS))
                .failed(true)
                .failureReason("timeout")
                .failedAttempts(1)
                .retryAt(NOW.plus(5, ChronoUnit.MINUTES))
                .retryKey(tenant + "/" + id + "/2")
                .scheduled(true)
                .template(Template.of("Pilot — {{company}}", "<p>Hi {{firstName}}</p>", List.of(5L)))
                .execution(execution)
                .build();
    }

    /** A stored LinkedIn task with its LinkedIn action. */
    public static Task linkedIn(TenantId tenant, TaskId id) {
        return new TaskBuilder(tenant, id)
                .type(TaskType.LINKED_IN)
                .linkedIn(LinkedInTaskType.IN_MAIL)
                .build();
    }

    /** Builds stored tasks; every field has a sensible default. */
    public static final class TaskBuilder {
        private final TenantId tenant;
        private final TaskId id;
        private TaskType type = TaskType.TO_DO;
        private LinkedInTaskType linkedIn;
        private TaskStatus status = TaskStatus.NEW;
        private Priority priority = Priority.TODAY;
        private ContactId contact;
        private UserId assignee = UserId.of(7);
        private SequenceRef sequence;
        private Instant createdAt = NOW.minus(1, ChronoUnit.DAYS);
        private Instant updatedAt = NOW.minus(1, ChronoUnit.DAYS);
        private Instant startAt = NOW;
        private Instant dueTo = NOW.plus(1, ChronoUnit.DAYS);
        private boolean scheduled;
        private long version = 1;
        private String failureReason;
        private Instant retryAt;
        private Execution execution;
        private Instant remindAt;
        private Instant snoozedUntil;
        private Instant pausedUntil;
        private TraceContext trace = TraceContext.NONE;

        private TaskBuilder(TenantId tenant, TaskId id) {
            this.tenant = tenant;
            this.id = id;
        }

        public TaskBuilder type(TaskType value) {
            this.type = value;
            return this;
        }

        public TaskBuilder linkedIn(LinkedInTaskType value) {
            this.linkedIn = value;
            return this;
        }

        public TaskBuilder status(TaskStatus value) {
            this.status = value;
            return this;
        }

        public TaskBuilder priority(Priority value) {
            this.priority = value;
            return this;
        }

        public TaskBuilder contact(long value) {
            this.contact = ContactId.of(value);
            return this;
        }

        public TaskBuilder assignee(long value) {
            this.assignee = UserId.of(value);
            return this;
        }

        public TaskBuilder sequence(long sequenceId, long stepId) {
            this.sequence = SequenceRef.of(sequenceId, stepId, "Step " + stepId);
            return this;
        }

        public TaskBuilder createdAt(Instant value) {
            this.createdAt = value;
            this.updatedAt = value;
            return this;
        }

        public TaskBuilder updatedAt(Instant value) {
            this.updatedAt = value;
            return this;
        }

        public TaskBuilder startAt(Instant value) {
            this.startAt = value;
            return this;
        }

        public TaskBuilder dueTo(Instant value) {
            this.dueTo = value;
            return this;
        }

        public TaskBuilder scheduled(boolean value) {
            this.scheduled = value;
            return this;
        }

        public TaskBuilder version(long value) {
            this.version = value;
            return this;
        }

        /** Marks the last execution failed with {@code reason}; {@code retryAt} may be null (no retry planned). */
        public TaskBuilder failed(String reason, Instant retryAt) {
            this.failureReason = reason;
            this.retryAt = retryAt;
            return this;
        }

        public TaskBuilder executing(Execution value) {
            this.execution = value;
            return this;
        }

        /** Until when the (active) task is snoozed. */
        public TaskBuilder snoozedUntil(Instant value) {
            this.snoozedUntil = value;
            return this;
        }

        /** Until when the (active) task is held for its paused contact. */
        public TaskBuilder pausedUntil(Instant value) {
            this.pausedUntil = value;
            return this;
        }

        /** The trace context kept with the task. */
        public TaskBuilder trace(TraceContext value) {
            this.trace = value;
            return this;
        }

        /** When the assignee is reminded of the (active) task. */
        public TaskBuilder remindAt(Instant value) {
            this.remindAt = value;
            return this;
        }

        public Task build() {
            Optional<Instant> finished = status == TaskStatus.FINISHED ? Optional.of(updatedAt) : Optional.empty();
            Optional<Instant> skipped = status == TaskStatus.SKIPPED ? Optional.of(updatedAt) : Optional.empty();
            return Task.stored()
                    .id(id)
                    .tenant(tenant)
                    .version(version)
                    .type(type)
                    .linkedInTaskType(linkedIn)
                    .status(status)
                    .priority(priority)
                    .contactId(contact)
                    .assignedUserId(assignee)
                    .creationSource(sequence == null ? CreationSource.USER : CreationSource.SEQUENCE)
                    .sequence(sequence)
                    .createdAt(createdAt)
                    .updatedAt(updatedAt)
                    .startAt(startAt)
                    .dueTo(dueTo)
                    .finishedAt(status == TaskStatus.FINISHED ? updatedAt : null)
                    .skippedAt(status == TaskStatus.SKIPPED ? updatedAt : null)
                    .failed(failureReason != null)
                    .failureReason(failureReason)
                    .failedAttempts(failureReason == null ? 0 : 1)
                    .retryAt(retryAt)
                    .scheduled(scheduled)
                    .template(Template.of("Task " + id))
                    .execution(execution)
                    .remindAt(remindAt)
                    .snoozedUntil(snoozedUntil)
                    .pausedUntil(pausedUntil)
                    .trace(trace)
                    .build();
        }
    }
}
