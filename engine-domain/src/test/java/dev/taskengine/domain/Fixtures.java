package dev.taskengine.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * Shared test data: fixed instants (the domain never reads a clock), a valid new task, and a builder for stored tasks
 * that goes through {@link Task#stored()}.
 */
final class Fixtures {
    private Fixtures() {}

    static final Instant CREATED_AT = Instant.parse("2024-05-01T09:00:00Z");
    static final Instant UPDATED_AT = Instant.parse("2024-05-02T09:00:00Z");
    static final Instant NOW = Instant.parse("2024-05-06T10:15:30Z");
    static final Instant START_AT = Instant.parse("2024-05-07T09:00:00Z");
    static final Instant DUE_TO = Instant.parse("2024-05-08T17:00:00Z");

    static final TenantId TENANT = TenantId.of("acme");
    static final UserId ASSIGNEE = UserId.of(7);
    static final ContactId CONTACT = ContactId.of(11);
    static final SequenceRef SEQUENCE = SequenceRef.of(5, 6, "Step 2 - Email");

    /** The content a fixture execution sends. */
    static final Content SENT = Content.of("Hello Ada", "Hi Ada");

    /** An email execution recorded when the stored fixture was last updated. */
    static final Execution EXECUTION =
            new Execution("task-42-attempt-1", UPDATED_AT, SENT, "ada@example.com", Optional.of(EmailAccountId.of(3)));

    /** An execution of {@code content} started at {@code startedAt}. */
    static Execution execution(Content content, Instant startedAt) {
        return new Execution(
                "task-42-attempt-1", startedAt, content, "ada@example.com", Optional.of(EmailAccountId.of(3)));
    }

    /** Executes {@code task} in the engine's two steps: the execution is recorded, then its success. */
    static io.vavr.control.Either<TaskError, Task> execute(Task task, Content content, Instant now) {
        return task.executionStarted(execution(content, now), now).flatMap(started -> started.executionSucceeded(now));
    }

    /**
     * The same stored task (same version and times) with {@code execution} under way, as the store would load it; for
     * tests of a single transition out of the under-way state.
     */
    static Task underWay(Task task, Execution execution) {
        return new Task(
                task.id(),
                task.tenant(),
                task.version(),
                task.status(),
                task.fields(),
                task.assignedUserId(),
                task.origin(),
                task.times(),
                task.reopening(),
                task.callOutcome(),
                task.failure(),
                Optional.of(execution),
                task.deferral(),
                java.util.Optional.empty(),
                java.util.Optional.empty(),
                task.trace());
    }

    /** A valid user-created to-do: no contact, no variables. */
    static NewTask.Builder newToDo() {
        return NewTask.builder()
                .tenant(TENANT)
                .type(TaskType.TO_DO)
                .assignee(ASSIGNEE)
                .priority(Priority.TODAY)
                .startAt(START_AT)
                .dueTo(DUE_TO)
                .template(Template.of("Call back about the pricing question"));
    }

    /** A valid sequence email with variables and its contact. */
    static NewTask.Builder newSequenceEmail() {
        return NewTask.builder()
                .tenant(TENANT)
                .type(TaskType.MANUAL_EMAIL)
                .sequence(SEQUENCE)
                .contact(CONTACT)
                .assignee(ASSIGNEE)
                .priority(Priority.HOT)
                .startAt(START_AT)
                .dueTo(DUE_TO)
                .template(Template.of("Hello {{firstName}}", "Hi {{firstName}}, about {{company}}"));
    }

    /** A stored sequence ManualEmail task, new, version 3; change what a test needs, then {@link StoredTask#build()}. */
    static StoredTask stored() {
        return new StoredTask();
    }

    /** A stored sequence ManualEmail task in {@code status}, with the timestamps that status requires. */
    static Task storedIn(TaskStatus status) {
        return stored().in(status).build();
    }

    static final class StoredTask {
        TaskId id = TaskId.of(42);
        TenantId tenant = TENANT;
        long version = 3;
        TaskType type = TaskType.MANUAL_EMAIL;
        Optional<LinkedInTaskType> linkedInTaskType = Optional.empty();
        TaskStatus status = TaskStatus.NEW;
        Priority priority = Priority.TODAY;
        Optional<ContactId> contactId = Optional.of(CONTACT);
        UserId assignedUserId = ASSIGNEE;
        CreationSource creationSource = CreationSource.SEQUENCE;
        Optional<SequenceRef> sequence = Optional.of(SEQUENCE);
        Instant createdAt = CREATED_AT;
        Instant updatedAt = UPDATED_AT;
        Instant startAt = START_AT;
        Instant dueTo = DUE_TO;
        Optional<Instant> finishedAt = Optional.empty();
        Optional<Instant> skippedAt = Optional.empty();
        Optional<Instant> reopenedAt = Optional.empty();
        Optional<ReopenReason> reopenReason = Optional.empty();
        Optional<Disposition> disposition = Optional.empty();
        Optional<CallResolution> callResolution = Optional.empty();
        boolean failed;
        Optional<String> failureReason = Optional.empty();
        int failedAttempts;
        Optional<Instant> retryAt = Optional.empty();
        boolean scheduled;
        Template template = Template.of("Hello {{firstName}}", "Hi {{firstName}}", java.util.List.of(31L));
        Optional<Execution> execution = Optional.empty();
        Optional<Instant> remindAt = Optional.empty();
        Optional<Instant> snoozedUntil = Optional.empty();
        Optional<Instant> pausedUntil = Optional.empty();

        /** Sets the status and the finish or skip time it needs (an archived task was finished). */
        StoredTask in(TaskStatus value) {
            status = value;
            finishedAt = value == TaskStatus.FINISHED || value == TaskStatus.ARCHIVED
                    ? Optional.of(UPDATED_AT)
                    : Optional.empty();
            skippedAt = value == TaskStatus.SKIPPED ? Optional.of(UPDATED_AT) : Optional.empty();
            return this;
        }

        /** A user-created task of {@code value} with no sequence (and no contact-bound variables). */
        StoredTask userTask(TaskType value) {
            type = value;
            creationSource = CreationSource.USER;
            sequence = Optional.empty();
            return this;
        }

        /** Marks the task failed with {@code reason} after one failed attempt (no retry planned). */
        StoredTask failedWith(String reason) {
            failed = true;
            failureReason = Optional.of(reason);
            failedAttempts = Math.max(failedAttempts, 1);
            return this;
        }

        /** Records {@link #EXECUTION} as under way. */
        StoredTask executing() {
            execution = Optional.of(EXECUTION);
            return this;
        }

        StoredTask with(java.util.function.Consumer<StoredTask> change) {
            change.accept(this);
            return this;
        }

        Task build() {
            return Task.stored()
                    .id(id)
                    .tenant(tenant)
                    .version(version)
                    .status(status)
                    .type(type)
                    .linkedInTaskType(linkedInTaskType.orElse(null))
                    .contactId(contactId.orElse(null))
                    .priority(priority)
                    .startAt(startAt)
                    .dueTo(dueTo)
                    .scheduled(scheduled)
                    .template(template)
                    .assignedUserId(assignedUserId)
                    .creationSource(creationSource)
                    .sequence(sequence.orElse(null))
                    .createdAt(createdAt)
                    .updatedAt(updatedAt)
                    .finishedAt(finishedAt.orElse(null))
                    .skippedAt(skippedAt.orElse(null))
                    .reopenedAt(reopenedAt.orElse(null))
                    .reopenReason(reopenReason.orElse(null))
                    .disposition(disposition.orElse(null))
                    .callResolution(callResolution.orElse(null))
                    .failed(failed)
                    .failureReason(failureReason.orElse(null))
                    .failedAttempts(failedAttempts)
                    .retryAt(retryAt.orElse(null))
                    .execution(execution.orElse(null))
                    .remindAt(remindAt.orElse(null))
                    .snoozedUntil(snoozedUntil.orElse(null))
                    .pausedUntil(pausedUntil.orElse(null))
                    .build();
        }
    }
}
