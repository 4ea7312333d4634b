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
        return new Task(id, tenant, 5, TaskType.CALL, Optional.empty(), TaskStatus.FINISHED, Priority.HOT,
                Optional.of(ContactId.of(42)), UserId.of(9), CreationSource.SEQUENCE,
                Optional.of(SequenceRef.of(300, 301, "Step 2 - Call")), created, NOW,
                created.plus(1, ChronoUnit.HOURS), created.plus(2, ChronoUnit.DAYS), Optional.of(NOW),
                Optional.empty(), Optional.of(NOW.minus(1, ChronoUnit.HOURS)), Optional.of(ReopenReason.REMINDER_RULE),
                Optional.of(Disposition.VOICEMAIL_LEFT), Optional.of(CallResolution.TO_CALL), true,
                Optional.of("line busy — ünïcødé"), 3, Optional.empty(), Optional.empty(), true,
                new Template(Optional.of("Call {{firstName}} — ünïcødé ✓"), "Line 1\nLine 2 \"quoted\" 'single' <b>", List.of(11L, 12L)),
                Optional.empty());
    }

    /**
     * An email task whose earlier execution failed and is retried later, with a new execution under way: every
     * execution field set.
     */
    public static Task executingEmail(TenantId tenant, TaskId id) {
        Execution execution = new Execution(tenant + "/" + id + "/4", NOW.minus(2, ChronoUnit.MINUTES),
                new Content(Optional.of("Pilot — ready"), "<p>Hi Ada, ready ✓</p>"), "ada@example.com",
                Optional.of(EmailAccountId.of(77)));
        return new Task(id, tenant, 4, TaskType.MANUAL_EMAIL, Optional.empty(), TaskStatus.IN_PROGRESS, Priority.EXTRA,
                Optional.of(ContactId.of(1)), UserId.of(9), CreationSource.USER, Optional.empty(), NOW.minus(1, ChronoUnit.DAYS),
                NOW.minus(2, ChronoUnit.MINUTES), NOW.minus(1, ChronoUnit.HOURS), NOW.plus(1, ChronoUnit.DAYS), Optional.empty(),
                Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), Optional.empty(), true,
                Optional.of("timeout"), 1, Optional.of(NOW.plus(5, ChronoUnit.MINUTES)), Optional.of(tenant + "/" + id + "/2"), true,
                new Template(Optional.of("Pilot — {{company}}"), "<p>Hi {{firstName}}</p>", List.of(5L)), Optional.of(execution));
    }

    /** A stored LinkedIn task with its LinkedIn action. */
    public static Task linkedIn(TenantId tenant, TaskId id) {
        return new TaskBuilder(tenant, id).type(TaskType.LINKED_IN).linkedIn(LinkedInTaskType.IN_MAIL).build();
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

        public Task build() {
            Optional<Instant> finished = status == TaskStatus.FINISHED ? Optional.of(updatedAt) : Optional.empty();
            Optional<Instant> skipped = status == TaskStatus.SKIPPED ? Optional.of(updatedAt) : Optional.empty();
            return new Task(id, tenant, version, type, Optional.ofNullable(linkedIn), status, priority,
                    Optional.ofNullable(contact), assignee, sequence == null ? CreationSource.USER : CreationSource.SEQUENCE,
                    Optional.ofNullable(sequence), createdAt, updatedAt, startAt, dueTo, finished, skipped, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), failureReason != null, Optional.ofNullable(failureReason),
                    failureReason == null ? 0 : 1, Optional.ofNullable(retryAt), Optional.empty(), scheduled, Template.of("Task " + id),
                    Optional.ofNullable(execution));
        }
    }
}
