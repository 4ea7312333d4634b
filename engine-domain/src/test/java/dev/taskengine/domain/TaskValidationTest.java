package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.CONTACT;
import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.SEQUENCE;
import static dev.taskengine.domain.Fixtures.START_AT;
import static dev.taskengine.domain.Fixtures.newSequenceEmail;
import static dev.taskengine.domain.Fixtures.newToDo;
import static dev.taskengine.domain.Fixtures.stored;
import static dev.taskengine.domain.Fixtures.storedIn;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import io.vavr.control.Either;
import java.time.Instant;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The validation rules of {@link Task#create}, {@link Task#update} and the other actions: one test per rule, each naming
 * the exact violation code and JSON pointer. A refused input produces no task.
 */
class TaskValidationTest {
    private static final TemplateEngine TEMPLATES = TemplateEngine.create();

    private static List<Violation> refused(NewTask.Builder command) {
        Either<TaskError, Task> result = Task.create(command.build(), TEMPLATES, NOW, () -> TaskId.of(1));
        assertThat(result.isLeft()).as("refused: %s", result).isTrue();
        assertThat(result.getLeft()).isInstanceOf(TaskError.InvalidInput.class);
        return ((TaskError.InvalidInput) result.getLeft()).violations();
    }

    private static Task created(NewTask.Builder command) {
        Either<TaskError, Task> result = Task.create(command.build(), TEMPLATES, NOW, () -> TaskId.of(1));
        assertThat(result.isRight()).as("accepted: %s", result).isTrue();
        return result.get();
    }

    private static List<Violation> invalid(Either<TaskError, Task> result) {
        assertThat(result.isLeft()).as("refused: %s", result).isTrue();
        assertThat(result.getLeft()).isInstanceOf(TaskError.InvalidInput.class);
        return ((TaskError.InvalidInput) result.getLeft()).violations();
    }

    private static void assertOnly(List<Violation> violations, String code, String pointer) {
        assertThat(violations).extracting(Violation::code, Violation::pointer).containsExactly(tuple(code, pointer));
    }

    private static String repeat(char c, int times) {
        return String.valueOf(c).repeat(times);
    }

    @Test
    void theFixturesAreValid() {
        assertThat(created(newToDo()).status()).isEqualTo(TaskStatus.NEW);
        assertThat(created(newSequenceEmail()).origin().sequence()).contains(SEQUENCE);
    }

    @Nested
    class RequiredFields {
        @Test
        void tenantIsRequired() {
            assertOnly(refused(newToDo().tenant(null)), "task.tenant.required", "/tenant");
        }

        @Test
        void taskTypeIsRequired() {
            List<Violation> violations = refused(newToDo().type(null));

            assertOnly(violations, "task.taskType.required", "/taskType");
            assertThat(violations.get(0).message()).contains("0 (toDo)", "9 (whatsApp)");
        }

        @Test
        void assigneeIsRequired() {
            assertOnly(refused(newToDo().assignee(null)), "task.assignedUserId.required", "/assignedUserId");
        }

        @Test
        void priorityIsRequired() {
            assertOnly(refused(newToDo().priority(null)), "task.priority.required", "/priority");
        }

        @Test
        void creationSourceIsRequired() {
            assertOnly(refused(newToDo().creationSource(null)), "task.creationSource.required", "/creationSource");
        }

        @Test
        void startAtIsRequired() {
            assertOnly(refused(newToDo().startAt(null)), "task.startAt.required", "/startAt");
        }

        @Test
        void dueToIsRequired() {
            assertOnly(refused(newToDo().dueTo(null)), "task.dueTo.required", "/dueTo");
        }

        @Test
        void templateIsRequired() {
            assertOnly(refused(newToDo().template(null)), "task.template.required", "/template");
        }

        @Test
        void templateBodyIsRequired() {
            assertOnly(
                    refused(newToDo().template(Template.of("Subject", null))),
                    "task.template.body.required",
                    "/template/body");
        }

        @Test
        void blankTemplateBodyIsRefused() {
            assertOnly(
                    refused(newToDo().template(Template.of(" \n\t "))),
                    "task.template.body.required",
                    "/template/body");
        }
    }

    @Nested
    class Times {
        @Test
        void startAtBefore2015IsRefused() {
            List<Violation> violations = refused(newToDo().startAt(Instant.parse("2014-12-31T23:59:59.999999Z")));

            assertOnly(violations, "task.startAt.beforeEarliest", "/startAt");
        }

        @Test
        void startAtExactlyOnFirstOf2015IsAccepted() {
            Task task = created(newToDo()
                    .startAt(Instant.parse("2015-01-01T00:00:00Z"))
                    .dueTo(Instant.parse("2015-01-02T00:00:00Z")));

            assertThat(task.schedule().startAt()).isEqualTo(Limits.EARLIEST_START);
        }

        @Test
        void dueToEqualToStartAtIsRefused() {
            assertOnly(refused(newToDo().startAt(START_AT).dueTo(START_AT)), "task.dueTo.notAfterStartAt", "/dueTo");
        }

        @Test
        void dueToBeforeStartAtIsRefused() {
            assertOnly(refused(newToDo().dueTo(START_AT.minusSeconds(1))), "task.dueTo.notAfterStartAt", "/dueTo");
        }

        @Test
        void dueToWithinTheSameMicrosecondAsStartAtIsRefused() {
            List<Violation> violations = refused(newToDo().startAt(START_AT).dueTo(START_AT.plusNanos(999)));

            assertOnly(violations, "task.dueTo.notAfterStartAt", "/dueTo");
        }

        @Test
        void dueToOneMicrosecondAfterStartAtIsAccepted() {
            Task task = created(newToDo().startAt(START_AT).dueTo(START_AT.plusNanos(1_000)));

            assertThat(task.schedule().dueTo()).isEqualTo(START_AT.plusNanos(1_000));
        }

        @Test
        void dueToAfterTheLatestStorableTimeIsRefused() {
            assertOnly(
                    refused(newToDo().dueTo(Instant.parse("9999-12-31T23:59:59.000001Z"))),
                    "task.dueTo.afterLatest",
                    "/dueTo");
        }

        @Test
        void dueToAtTheLatestStorableTimeIsAccepted() {
            assertThat(created(newToDo().dueTo(Instant.parse("9999-12-31T23:59:59Z")))
                            .schedule()
                            .dueTo())
                    .isEqualTo(Limits.LATEST_TIME);
        }

        @Test
        void startAtAfterTheLatestStorableTimeIsRefused() {
            List<Violation> violations = refused(
                    newToDo().startAt(Limits.LATEST_TIME.plusSeconds(1)).dueTo(Limits.LATEST_TIME.plusSeconds(2)));

            assertThat(violations)
                    .extracting(Violation::code, Violation::pointer)
                    .containsExactly(
                            tuple("task.startAt.afterLatest", "/startAt"), tuple("task.dueTo.afterLatest", "/dueTo"));
        }
    }

    @Nested
    class TypesAndSources {
        @ParameterizedTest
        @EnumSource(value = TaskType.class, names = "LINKED_IN", mode = EnumSource.Mode.EXCLUDE)
        void linkedInTaskTypeOnAnotherTypeIsRefused(TaskType type) {
            List<Violation> violations = refused(newToDo().type(type).linkedInTaskType(LinkedInTaskType.CONNECT));

            assertOnly(violations, "task.linkedInTaskType.notLinkedInTask", "/linkedInTaskType");
        }

        @Test
        void linkedInTaskTypeOnALinkedInTaskIsAccepted() {
            Task task = created(newToDo().type(TaskType.LINKED_IN).linkedInTaskType(LinkedInTaskType.IN_MAIL));

            assertThat(task.fields().linkedInTaskType()).contains(LinkedInTaskType.IN_MAIL);
        }

        @ParameterizedTest
        @EnumSource(value = CreationSource.class, names = "SEQUENCE", mode = EnumSource.Mode.EXCLUDE)
        void aTaskNotCreatedByASequenceCarriesNoSequence(CreationSource source) {
            List<Violation> violations = refused(newToDo().sequence(SEQUENCE).creationSource(source));

            assertOnly(violations, "task.sequenceId.notAllowed", "/sequenceId");
        }

        @Test
        void aSequenceTaskNeedsItsSequenceAndStep() {
            List<Violation> violations = refused(newToDo().creationSource(CreationSource.SEQUENCE));

            assertThat(violations)
                    .extracting(Violation::code, Violation::pointer)
                    .containsExactly(
                            tuple("task.sequenceId.required", "/sequenceId"),
                            tuple("task.sequenceStepId.required", "/sequenceStepId"));
        }

        @Test
        void aSequenceTaskNeedsItsSequenceId() {
            SequenceRef noSequence = new SequenceRef(null, SequenceStepId.of(6), Optional.empty());

            assertOnly(refused(newToDo().sequence(noSequence)), "task.sequenceId.required", "/sequenceId");
        }

        @Test
        void aSequenceTaskNeedsItsStepId() {
            SequenceRef noStep = new SequenceRef(SequenceId.of(5), null, Optional.empty());

            assertOnly(refused(newToDo().sequence(noStep)), "task.sequenceStepId.required", "/sequenceStepId");
        }
    }

    @Nested
    class Ids {
        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void assigneeIdMustBePositive(long id) {
            assertOnly(refused(newToDo().assignee(UserId.of(id))), "task.assignedUserId.invalid", "/assignedUserId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void contactIdMustBePositive(long id) {
            assertOnly(refused(newToDo().contact(ContactId.of(id))), "task.contactId.invalid", "/contactId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void sequenceIdMustBePositive(long id) {
            assertOnly(
                    refused(newToDo().sequence(SequenceRef.of(id, 6, null))), "task.sequenceId.invalid", "/sequenceId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void stepIdMustBePositive(long id) {
            assertOnly(
                    refused(newToDo().sequence(SequenceRef.of(5, id, null))),
                    "task.sequenceStepId.invalid",
                    "/sequenceStepId");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -1})
        void attachmentIdsMustBePositive(long id) {
            Template template = Template.of("See attached").withAttachments(List.of(31L, id));

            assertOnly(
                    refused(newToDo().template(template)),
                    "task.template.attachmentIdList.invalid",
                    "/template/attachmentIdList/1");
        }
    }

    @Nested
    class TextLimits {
        @Test
        void bodyOfTheMaximumLengthIsAccepted() {
            assertThat(created(newToDo().template(Template.of(repeat('a', Limits.BODY_MAX_CHARS))))
                            .fields()
                            .template()
                            .body())
                    .hasSize(Limits.BODY_MAX_CHARS);
        }

        @Test
        void bodyLongerThanTheMaximumIsRefused() {
            List<Violation> violations =
                    refused(newToDo().template(Template.of(repeat('a', Limits.BODY_MAX_CHARS + 1))));

            assertOnly(violations, "task.template.body.tooLong", "/template/body");
        }

        @Test
        void subjectOfTheMaximumLengthIsAccepted() {
            Template template = Template.of(repeat('s', Limits.SUBJECT_MAX_CHARS), "Body");

            assertThat(created(newToDo().template(template)).fields().template().subject())
                    .isPresent();
        }

        @Test
        void subjectLongerThanTheMaximumIsRefused() {
            Template template = Template.of(repeat('s', Limits.SUBJECT_MAX_CHARS + 1), "Body");

            assertOnly(refused(newToDo().template(template)), "task.template.subject.tooLong", "/template/subject");
        }

        @Test
        void stepDisplayNameOfTheMaximumLengthIsAccepted() {
            SequenceRef ref = SequenceRef.of(5, 6, repeat('n', Limits.STEP_DISPLAY_NAME_MAX_CHARS));

            assertThat(created(newSequenceEmail().sequence(ref)).origin().sequence())
                    .contains(ref);
        }

        @Test
        void stepDisplayNameLongerThanTheMaximumIsRefused() {
            SequenceRef ref = SequenceRef.of(5, 6, repeat('n', Limits.STEP_DISPLAY_NAME_MAX_CHARS + 1));

            assertOnly(
                    refused(newSequenceEmail().sequence(ref)),
                    "task.sequenceStepDisplayName.tooLong",
                    "/sequenceStepDisplayName");
        }

        @Test
        void aNulCharacterInTheBodyIsRefused() {
            assertOnly(
                    refused(newToDo().template(Template.of("Hi\u0000there"))),
                    "task.template.body.controlCharacter",
                    "/template/body");
        }

        @Test
        void aControlCharacterInTheSubjectIsRefused() {
            Template template = Template.of("Hello\u0007", "Body");

            assertOnly(
                    refused(newToDo().template(template)),
                    "task.template.subject.controlCharacter",
                    "/template/subject");
        }

        @Test
        void aControlCharacterInTheStepDisplayNameIsRefused() {
            SequenceRef ref = SequenceRef.of(5, 6, "Step\u001b2");

            assertOnly(
                    refused(newSequenceEmail().sequence(ref)),
                    "task.sequenceStepDisplayName.controlCharacter",
                    "/sequenceStepDisplayName");
        }

        @Test
        void tabsAndLineBreaksAreAccepted() {
            assertThat(created(newToDo().template(Template.of("Line one\r\n\tLine two\n")))
                            .fields()
                            .template()
                            .body())
                    .isEqualTo("Line one\r\n\tLine two\n");
        }

        @Test
        void anUnpairedHighSurrogateIsRefused() {
            assertOnly(
                    refused(newToDo().template(Template.of("Hi \uD83D there"))),
                    "task.template.body.malformedText",
                    "/template/body");
        }

        @Test
        void anUnpairedLowSurrogateIsRefused() {
            assertOnly(
                    refused(newToDo().template(Template.of("Hi \uDE00"))),
                    "task.template.body.malformedText",
                    "/template/body");
        }

        @Test
        void aHighSurrogateAtTheEndIsRefused() {
            assertOnly(
                    refused(newToDo().template(Template.of("Hi \uD83D"))),
                    "task.template.body.malformedText",
                    "/template/body");
        }

        @Test
        void aPairedSurrogateIsAccepted() {
            assertThat(created(newToDo().template(Template.of("Hi \uD83D\uDE00")))
                            .fields()
                            .template()
                            .body())
                    .isEqualTo("Hi 😀");
        }

        @Test
        void theMaximumNumberOfAttachmentsIsAccepted() {
            List<Long> ids =
                    LongStream.rangeClosed(1, Limits.ATTACHMENTS_MAX).boxed().toList();

            assertThat(created(newToDo().template(Template.of("See attached").withAttachments(ids)))
                            .fields()
                            .template()
                            .attachmentIds())
                    .hasSize(Limits.ATTACHMENTS_MAX);
        }

        @Test
        void moreAttachmentsThanTheMaximumAreRefused() {
            List<Long> ids = LongStream.rangeClosed(1, Limits.ATTACHMENTS_MAX + 1)
                    .boxed()
                    .toList();

            assertOnly(
                    refused(newToDo().template(Template.of("See attached").withAttachments(ids))),
                    "task.template.attachmentIdList.tooMany",
                    "/template/attachmentIdList");
        }
    }

    @Nested
    class Templates {
        @Test
        void aBodyThatDoesNotCompileIsRefused() {
            assertOnly(
                    refused(newToDo().template(Template.of("Hi {{firstName"))),
                    "task.template.body.syntax",
                    "/template/body");
        }

        @Test
        void aSubjectThatDoesNotCompileIsRefused() {
            Template template = Template.of("Hi {{#if x}}", "Body");

            assertOnly(refused(newToDo().template(template)), "task.template.subject.syntax", "/template/subject");
        }

        @Test
        void aBodyWithVariablesNeedsAContact() {
            List<Violation> violations = refused(newToDo().template(Template.of("Hi {{firstName}}")));

            assertOnly(violations, "task.contactId.requiredForVariables", "/contactId");
        }

        @Test
        void aSubjectWithVariablesNeedsAContact() {
            List<Violation> violations = refused(newToDo().template(Template.of("For {{company}}", "Plain body")));

            assertOnly(violations, "task.contactId.requiredForVariables", "/contactId");
        }

        @Test
        void aConditionOnAVariableNeedsAContact() {
            List<Violation> violations = refused(newToDo().template(Template.of("{{#if title}}Hello{{/if}}")));

            assertOnly(violations, "task.contactId.requiredForVariables", "/contactId");
        }

        @Test
        void aTemplateWithVariablesAndAContactIsAccepted() {
            assertThat(created(newToDo().contact(CONTACT).template(Template.of("Hi {{firstName}}")))
                            .fields()
                            .contactId())
                    .contains(CONTACT);
        }
    }

    @Nested
    class Updates {
        @ParameterizedTest
        @EnumSource(
                value = TaskStatus.class,
                names = {"NEW", "IN_PROGRESS"},
                mode = EnumSource.Mode.EXCLUDE)
        void onlyActiveTasksAreUpdated(TaskStatus status) {
            Task task = storedIn(status);

            assertThat(task.update(TaskUpdate.from(task), TEMPLATES, NOW).getLeft())
                    .isEqualTo(new TaskError.IllegalTransition(TaskAction.UPDATE, status));
        }

        @Test
        void anUpdateIsCheckedAgainstEveryRule() {
            Task task = storedIn(TaskStatus.NEW);

            List<Violation> violations =
                    invalid(task.update(TaskUpdate.from(task).withTimes(START_AT, START_AT), TEMPLATES, NOW));

            assertOnly(violations, "task.dueTo.notAfterStartAt", "/dueTo");
        }

        @Test
        void anUpdateWithAMissingTypeIsRefused() {
            Task task = stored().userTask(TaskType.TO_DO).build();

            assertOnly(
                    invalid(task.update(TaskUpdate.from(task).withType(null), TEMPLATES, NOW)),
                    "task.taskType.required",
                    "/taskType");
        }

        @Test
        void aSequenceTaskKeepsItsType() {
            Task task = storedIn(TaskStatus.NEW);

            List<Violation> violations =
                    invalid(task.update(TaskUpdate.from(task).withType(TaskType.SMS), TEMPLATES, NOW));

            assertOnly(violations, "task.taskType.fixedForSequenceTask", "/taskType");
        }

        @Test
        void aSequenceTaskKeepsItsContact() {
            Task task = storedIn(TaskStatus.NEW);

            List<Violation> violations =
                    invalid(task.update(TaskUpdate.from(task).withContact(ContactId.of(12)), TEMPLATES, NOW));

            assertOnly(violations, "task.contactId.fixedForSequenceTask", "/contactId");
        }

        @Test
        void aSequenceTaskCannotDropItsContact() {
            Task task = storedIn(TaskStatus.NEW);
            TaskUpdate update = TaskUpdate.from(task).withContact(null).withTemplate(Template.of("No variables here"));

            assertOnly(
                    invalid(task.update(update, TEMPLATES, NOW)), "task.contactId.fixedForSequenceTask", "/contactId");
        }

        @Test
        void aUserTaskMayChangeItsTypeAndContact() {
            Task task = stored().userTask(TaskType.TO_DO).build();

            Task updated = task.update(
                            TaskUpdate.from(task).withType(TaskType.CALL).withContact(ContactId.of(12)), TEMPLATES, NOW)
                    .get();

            assertThat(updated.type()).isEqualTo(TaskType.CALL);
            assertThat(updated.fields().contactId()).contains(ContactId.of(12));
        }
    }

    @Nested
    class OtherActions {
        @ParameterizedTest
        @EnumSource(value = TaskType.class, names = "CALL", mode = EnumSource.Mode.EXCLUDE)
        void onlyCallsCarryADisposition(TaskType type) {
            Task task = stored().userTask(type).build();

            List<Violation> violations = invalid(task.complete(Completion.withDisposition(Disposition.ANSWERED), NOW));

            assertOnly(violations, "task.disposition.notCallTask", "/disposition");
        }

        @ParameterizedTest
        @EnumSource(value = TaskType.class, names = "CALL", mode = EnumSource.Mode.EXCLUDE)
        void onlyCallsCarryACallResolution(TaskType type) {
            Task task = stored().userTask(type).build();

            List<Violation> violations =
                    invalid(task.complete(Completion.withCallResolution(CallResolution.POSITIVE), NOW));

            assertOnly(violations, "task.callResolution.notCallTask", "/callResolution");
        }

        @Test
        void onlySequenceTasksFinishTheirProspectInTheSequence() {
            Task task = stored().userTask(TaskType.MANUAL_EMAIL).build();

            List<Violation> violations = invalid(task.complete(Completion.done().finishingProspectInSequence(), NOW));

            assertOnly(violations, "task.finishProspectInSequence.notSequenceTask", "/finishProspectInSequence");
        }

        @Test
        void everyCompletionProblemIsReportedAtOnce() {
            Task task = stored().userTask(TaskType.TO_DO).build();
            Completion completion = Completion.withCallResolution(CallResolution.TO_CALL)
                    .andDisposition(Disposition.NO_ANSWER)
                    .finishingProspectInSequence();

            List<Violation> violations = invalid(task.complete(completion, NOW));

            assertThat(violations)
                    .extracting(Violation::code, Violation::pointer)
                    .containsExactlyInAnyOrder(
                            tuple("task.disposition.notCallTask", "/disposition"),
                            tuple("task.callResolution.notCallTask", "/callResolution"),
                            tuple("task.finishProspectInSequence.notSequenceTask", "/finishProspectInSequence"));
        }

        @Test
        void onlySequenceTasksAreDetached() {
            Task task = stored().userTask(TaskType.MANUAL_EMAIL).build();

            assertOnly(invalid(task.detach(NOW)), "task.sequenceId.notSequenceTask", "/sequenceId");
        }

        @Test
        void reopenNeedsAReason() {
            List<Violation> violations = invalid(storedIn(TaskStatus.FINISHED).reopen(null, NOW));

            assertOnly(violations, "task.reopenReason.required", "/reopenReason");
            assertThat(violations.get(0).message()).contains("0 (reminderRule)", "1 (manual)");
        }

        @ParameterizedTest
        @ValueSource(longs = {0, -7})
        void reassignToANonPositiveUserIsRefused(long id) {
            List<Violation> violations = invalid(storedIn(TaskStatus.NEW).reassign(UserId.of(id), NOW));

            assertOnly(violations, "task.assignedUserId.invalid", "/assignedUserId");
        }

        @Test
        void reassignToNoUserIsRefused() {
            assertOnly(
                    invalid(storedIn(TaskStatus.NEW).reassign(null, NOW)),
                    "task.assignedUserId.required",
                    "/assignedUserId");
        }
    }

    @Test
    void everyProblemIsReportedAtOnce() {
        NewTask command = new NewTask(
                null,
                UserId.of(0),
                CreationSource.SEQUENCE,
                Optional.empty(),
                new TaskFields(
                        null,
                        Optional.of(LinkedInTaskType.CONNECT),
                        Optional.of(ContactId.of(0)),
                        null,
                        new Schedule(
                                Instant.parse("2014-06-01T00:00:00Z"), Instant.parse("2014-05-01T00:00:00Z"), false),
                        Template.of("Hi\u0000", "Hi {{firstName", Collections.nCopies(Limits.ATTACHMENTS_MAX + 1, 1L)),
                        java.util.Optional.empty()));

        Either<TaskError, Task> result = Task.create(command, TEMPLATES, NOW, () -> TaskId.of(1));

        assertThat(invalid(result))
                .extracting(Violation::code)
                .containsExactlyInAnyOrder(
                        "task.tenant.required",
                        "task.assignedUserId.invalid",
                        "task.sequenceId.required",
                        "task.sequenceStepId.required",
                        "task.taskType.required",
                        "task.priority.required",
                        "task.contactId.invalid",
                        "task.startAt.beforeEarliest",
                        "task.dueTo.notAfterStartAt",
                        "task.template.body.syntax",
                        "task.template.subject.controlCharacter",
                        "task.template.attachmentIdList.tooMany");
        assertThat(result.getLeft().message()).startsWith("12 problem(s): ");
    }

    @Test
    void theIdSupplierIsNotCalledForAnInvalidInput() {
        AtomicInteger calls = new AtomicInteger();

        Task.create(newToDo().dueTo(START_AT).build(), TEMPLATES, NOW, () -> TaskId.of(calls.incrementAndGet()));

        assertThat(calls).hasValue(0);
    }

    @Test
    void theIdSupplierIsCalledOnceForAValidInput() {
        AtomicInteger calls = new AtomicInteger();

        Task task = Task.create(newToDo().build(), TEMPLATES, NOW, () -> TaskId.of(calls.incrementAndGet()))
                .get();

        assertThat(calls).hasValue(1);
        assertThat(task.id()).isEqualTo(TaskId.of(1));
    }

    @Test
    void anInvalidInputNamesAtLeastOneViolation() {
        assertThatThrownBy(() -> new TaskError.InvalidInput(List.of())).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void aLiteralTemplateIsCheckedAsTextOnlyAndNeedsNoContact() {
        NewTask task = NewTask.builder()
                .tenant(TenantId.of("acme"))
                .type(TaskType.TO_DO)
                .assignee(UserId.of(7))
                .startAt(java.time.Instant.parse("2026-03-02T09:00:00Z"))
                .dueTo(java.time.Instant.parse("2026-03-02T10:00:00Z"))
                .template(Template.literal(null, "Call about {{firstName"))
                .build();

        assertThat(Task.create(
                                task,
                                TemplateEngine.create(),
                                java.time.Instant.parse("2026-03-02T08:00:00Z"),
                                () -> TaskId.of(1))
                        .isRight())
                .isTrue();
    }
}
