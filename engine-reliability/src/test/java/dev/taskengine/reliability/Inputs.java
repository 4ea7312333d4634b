package dev.taskengine.reliability;

import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.reliability.Command.Change;
import dev.taskengine.reliability.Command.CompletionKind;
import dev.taskengine.reliability.Command.ContentKind;
import dev.taskengine.reliability.Command.Create;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Turns generated commands into the engine's input values; the engine and the model both get exactly these. */
final class Inputs {
    static final Instant BEFORE_EARLIEST = Instant.parse("2014-12-31T23:59:59Z");

    private Inputs() {}

    static NewTask newTask(Create c, TenantId tenant, Instant now) {
        NewTask.Builder b =
                NewTask.builder().tenant(tenant).assignee(UserId.of(c.user())).scheduled(c.scheduled());
        switch (c.kind()) {
            case TO_DO -> b.type(TaskType.TO_DO).template(Template.of(ModelTemplates.TO_DO));
            case CALL_GRACE ->
                b.type(TaskType.CALL).contact(ContactId.of(2)).template(Template.of(ModelTemplates.CALL));
            case LINKED_IN_ADA ->
                b.type(TaskType.LINKED_IN)
                        .linkedInTaskType(LinkedInTaskType.CONNECT)
                        .contact(ContactId.of(1))
                        .template(Template.of(ModelTemplates.LINKED_IN));
            case EMAIL_ADA -> email(b, 1);
            case EMAIL_GRACE -> email(b, 2);
            case SMS_ADA -> b.type(TaskType.SMS).contact(ContactId.of(1)).template(Template.of(ModelTemplates.SMS));
            case SMS_GRACE -> b.type(TaskType.SMS).contact(ContactId.of(2)).template(Template.of(ModelTemplates.SMS));
            case SEQ1_EMAIL -> email(b, 1).sequence(SequenceRef.of(1, 1, "Step 1"));
            case SEQ1_CALL ->
                b.type(TaskType.CALL)
                        .contact(ContactId.of(1))
                        .template(Template.of(ModelTemplates.CALL))
                        .sequence(SequenceRef.of(1, 2, "Step 2"));
            case SEQ2_SMS ->
                b.type(TaskType.SMS)
                        .contact(ContactId.of(2))
                        .template(Template.of(ModelTemplates.SMS))
                        .sequence(SequenceRef.of(2, 1, "Step 1"));
            case SEQ2_EMAIL -> email(b, 1).sequence(SequenceRef.of(2, 2, "Step 2 - Email"));
        }
        Instant start = now.plus(Duration.ofMinutes(c.startMinutes()));
        b.startAt(start).dueTo(start.plus(1, ChronoUnit.DAYS));
        NewTask built = b.build();
        return switch (c.flaw()) {
            case NONE -> built;
            case DUE_EQUALS_START -> with(built, b2 -> b2.dueTo(start));
            case DUE_WITHIN_A_MICROSECOND -> {
                Instant micro = start.truncatedTo(ChronoUnit.MICROS);
                yield with(built, b2 -> b2.startAt(micro).dueTo(micro.plusNanos(500)));
            }
            case BEFORE_EARLIEST ->
                with(built, b2 -> b2.startAt(BEFORE_EARLIEST).dueTo(BEFORE_EARLIEST.plus(1, ChronoUnit.DAYS)));
            case BLANK_BODY ->
                new NewTask(
                        built.tenant(),
                        built.assignedUserId(),
                        built.creationSource(),
                        built.sequence(),
                        built.fields()
                                .withTemplate(Template.of(
                                        built.fields().template().subject().orElse(null), ModelTemplates.BLANK, null)));
            case PARTIAL_BODY ->
                new NewTask(
                        built.tenant(),
                        built.assignedUserId(),
                        built.creationSource(),
                        built.sequence(),
                        built.fields()
                                .withTemplate(Template.of(
                                        built.fields().template().subject().orElse(null),
                                        ModelTemplates.PARTIAL,
                                        null)));
            case ZERO_ASSIGNEE -> with(built, b2 -> b2.assignee(UserId.of(0)));
            case UNKNOWN_CONTACT -> with(built, b2 -> b2.contact(World.UNKNOWN_CONTACT));
            case NO_CONTACT ->
                new NewTask(
                        built.tenant(),
                        built.assignedUserId(),
                        built.creationSource(),
                        built.sequence(),
                        built.fields().withContact(null));
        };
    }

    private interface Edit {
        void apply(NewTask.Builder b);
    }

    /** A copy of {@code task} with one builder edit. */
    private static NewTask with(NewTask task, Edit edit) {
        NewTask.Builder b = NewTask.builder()
                .tenant(task.tenant())
                .type(task.fields().type())
                .linkedInTaskType(task.fields().linkedInTaskType().orElse(null))
                .contact(task.fields().contactId().orElse(null))
                .assignee(task.assignedUserId())
                .creationSource(task.creationSource())
                .priority(task.fields().priority())
                .startAt(task.fields().schedule().startAt())
                .dueTo(task.fields().schedule().dueTo())
                .scheduled(task.fields().schedule().scheduled())
                .template(task.fields().template());
        task.sequence().ifPresent(b::sequence);
        edit.apply(b);
        return b.build();
    }

    private static NewTask.Builder email(NewTask.Builder b, long contact) {
        return b.type(TaskType.MANUAL_EMAIL)
                .contact(ContactId.of(contact))
                .template(Template.of(ModelTemplates.EMAIL_SUBJECT, ModelTemplates.EMAIL_BODY));
    }

    /** The full replacement an update sends: the task as read, with one change. */
    static TaskUpdate update(Change change, Task read, Instant now) {
        TaskUpdate same = TaskUpdate.from(read);
        return switch (change) {
            case PRIORITY_HOT -> same.withPriority(Priority.HOT);
            case PRIORITY_EXTRA -> same.withPriority(Priority.EXTRA);
            case RESCHEDULE -> same.withTimes(now.plus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)));
            case TIMES_EQUAL ->
                same.withTimes(read.schedule().startAt(), read.schedule().startAt());
            case BEFORE_EARLIEST ->
                same.withTimes(BEFORE_EARLIEST, read.schedule().dueTo());
            case PLAIN_BODY ->
                same.withTemplate(Template.of(
                        read.fields().template().subject().orElse(null),
                        ModelTemplates.PLAIN_UPDATE,
                        read.fields().template().attachmentIds()));
            case BLANK_BODY ->
                same.withTemplate(Template.of(
                        read.fields().template().subject().orElse(null),
                        ModelTemplates.BLANK,
                        read.fields().template().attachmentIds()));
            case PARTIAL_BODY ->
                same.withTemplate(Template.of(
                        read.fields().template().subject().orElse(null),
                        ModelTemplates.PARTIAL,
                        read.fields().template().attachmentIds()));
            case TYPE_TO_CALL -> same.withType(TaskType.CALL);
            case CONTACT_TO_GRACE -> same.withContact(ContactId.of(2));
            case DROP_CONTACT -> same.withContact(null);
            case TOGGLE_SCHEDULED -> same.withScheduled(!read.schedule().scheduled());
        };
    }

    static Completion completion(CompletionKind kind) {
        return switch (kind) {
            case DONE -> Completion.done();
            case ANSWERED -> Completion.withDisposition(Disposition.ANSWERED);
            case POSITIVE -> Completion.withCallResolution(CallResolution.POSITIVE);
            case FINISH_PROSPECT -> Completion.done().finishingProspectInSequence();
        };
    }

    static Optional<Content> content(ContentKind kind) {
        return switch (kind) {
            case RENDER -> Optional.empty();
            case GIVEN -> Optional.of(ModelTemplates.GIVEN);
            case GIVEN_BLANK -> Optional.of(ModelTemplates.GIVEN_BLANK);
        };
    }
}
