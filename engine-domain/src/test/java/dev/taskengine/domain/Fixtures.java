package dev.taskengine.domain;

import java.time.Instant;
import java.util.Optional;

/**
 * Shared test data: fixed instants (the domain never reads a clock), a valid new task, and a builder for stored tasks
 * that goes through the canonical constructor.
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
        boolean failed;
        boolean scheduled;
        Template template = new Template(Optional.of("Hello {{firstName}}"), "Hi {{firstName}}", java.util.List.of(31L));

        /** Sets the status and the finish or skip time it needs (an archived task was finished). */
        StoredTask in(TaskStatus value) {
            status = value;
            finishedAt = value == TaskStatus.FINISHED || value == TaskStatus.ARCHIVED ? Optional.of(UPDATED_AT) : Optional.empty();
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

        StoredTask with(java.util.function.Consumer<StoredTask> change) {
            change.accept(this);
            return this;
        }

        Task build() {
            return new Task(id, tenant, version, type, linkedInTaskType, status, priority, contactId, assignedUserId,
                    creationSource, sequence, createdAt, updatedAt, startAt, dueTo, finishedAt, skippedAt, reopenedAt,
                    reopenReason, disposition, failed, scheduled, template);
        }
    }
}
