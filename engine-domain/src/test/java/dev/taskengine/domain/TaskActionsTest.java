package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.DUE_TO;
import static dev.taskengine.domain.Fixtures.EXECUTION;
import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.stored;
import static dev.taskengine.domain.Fixtures.storedIn;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What the lifecycle actions change besides status and times. */
class TaskActionsTest {
    private static final TemplateEngine TEMPLATES = TemplateEngine.create();

    @Test
    void completingACallStoresItsDisposition() {
        Task call = stored().userTask(TaskType.CALL).build();

        Task done = call.complete(Completion.withDisposition(Disposition.NO_ANSWER), NOW)
                .get();

        assertThat(done.callOutcome().disposition()).contains(Disposition.NO_ANSWER);
    }

    @Test
    void completingACallStoresItsCallResolution() {
        Task call = stored().userTask(TaskType.CALL).build();

        Task done = call.complete(Completion.withCallResolution(CallResolution.POSITIVE), NOW)
                .get();

        assertThat(done.callOutcome().callResolution()).contains(CallResolution.POSITIVE);
    }

    @Test
    void completingACallStoresItsDispositionAndCallResolutionTogether() {
        Task call = stored().userTask(TaskType.CALL).build();

        Task done = call.complete(
                        Completion.withCallResolution(CallResolution.NEGATIVE).andDisposition(Disposition.ANSWERED),
                        NOW)
                .get();

        assertThat(done.callOutcome().disposition()).contains(Disposition.ANSWERED);
        assertThat(done.callOutcome().callResolution()).contains(CallResolution.NEGATIVE);
    }

    @Test
    void aSequenceTaskMayFinishItsProspectInTheSequence() {
        Task task = storedIn(TaskStatus.IN_PROGRESS);

        Task done = task.complete(Completion.done().finishingProspectInSequence(), NOW)
                .get();

        assertThat(done.status()).isEqualTo(TaskStatus.FINISHED);
    }

    @Test
    void executionSucceededReplacesTheTemplateByTheSentContentAndKeepsAttachments() {
        Task task = storedIn(TaskStatus.NEW);

        Task sent =
                Fixtures.execute(task, Content.of("Hello Ada", "Hi Ada"), NOW).get();

        assertThat(sent.fields().template())
                .isEqualTo(new Template(Optional.of("Hello Ada"), "Hi Ada", List.of(31L), true));
    }

    @Test
    void executionSucceededClearsTheFailedMark() {
        Task failed = stored().failedWith("timeout").build();

        assertThat(Fixtures.execute(failed, Content.of(null, "Hi Ada"), NOW)
                        .get()
                        .failure()
                        .failed())
                .isFalse();
    }

    @Test
    void aFailedExecutionMarksTheTaskFailedAndKeepsItActive() {
        Task task = storedIn(TaskStatus.IN_PROGRESS);

        Task failed = task.executionStarted(EXECUTION, NOW)
                .get()
                .executionFailed("timeout", NOW)
                .get();

        assertThat(failed.failure().failed()).isTrue();
        assertThat(failed.status()).isEqualTo(TaskStatus.IN_PROGRESS);
        assertThat(failed.fields().template()).isEqualTo(task.fields().template());
    }

    @Test
    void anExecutionOfAClosedTaskIsRefused() {
        assertThat(storedIn(TaskStatus.FINISHED)
                        .executionStarted(EXECUTION, NOW)
                        .getLeft())
                .isEqualTo(new TaskError.IllegalTransition(TaskAction.EXECUTE, TaskStatus.FINISHED));
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskType.class,
            names = {"MANUAL_EMAIL", "SMS"},
            mode = EnumSource.Mode.EXCLUDE)
    void onlyEmailAndSmsTasksAreExecuted(TaskType type) {
        Task task = stored().userTask(type).build();

        assertThat(task.executionStarted(EXECUTION, NOW).getLeft())
                .isEqualTo(new TaskError.NotExecutable(task.id(), type));
        assertThat(task.executionRefused("no address", NOW).getLeft())
                .isEqualTo(new TaskError.NotExecutable(task.id(), type));
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskType.class,
            names = {"MANUAL_EMAIL", "SMS"})
    void emailAndSmsTasksAreExecutable(TaskType type) {
        Task task = stored().userTask(type).build();

        assertThat(task.executable().isRight()).isTrue();
    }

    @Test
    void reassignChangesTheAssignee() {
        Task reassigned = storedIn(TaskStatus.NEW).reassign(UserId.of(8), NOW).get();

        assertThat(reassigned.assignedUserId()).isEqualTo(UserId.of(8));
    }

    @Test
    void aSequenceWideReassignChangesTheAssigneeAsANewVersion() {
        Task task = storedIn(TaskStatus.NEW);

        Task reassigned = task.reassignedBySequence(UserId.of(8), NOW);

        assertThat(reassigned.assignedUserId()).isEqualTo(UserId.of(8));
        assertThat(reassigned.version()).isEqualTo(task.version() + 1);
    }

    @Test
    void updateReplacesTheEditableFields() {
        Task task = stored().userTask(TaskType.TO_DO)
                .with(t -> t.template = Template.of("Call back"))
                .build();
        Instant start = Instant.parse("2024-06-01T08:00:00Z");
        Instant due = Instant.parse("2024-06-02T08:00:00Z");
        TaskUpdate update = TaskUpdate.from(task)
                .withType(TaskType.LINKED_IN)
                .withLinkedInTaskType(LinkedInTaskType.CONNECT)
                .withContact(ContactId.of(12))
                .withPriority(Priority.EXTRA)
                .withTimes(start, due)
                .withScheduled(true)
                .withTemplate(Template.of("Connect with {{firstName}}"));

        Task updated = task.update(update, TEMPLATES, NOW).get();

        assertThat(updated.type()).isEqualTo(TaskType.LINKED_IN);
        assertThat(updated.fields().linkedInTaskType()).contains(LinkedInTaskType.CONNECT);
        assertThat(updated.fields().contactId()).contains(ContactId.of(12));
        assertThat(updated.fields().priority()).isEqualTo(Priority.EXTRA);
        assertThat(updated.schedule().startAt()).isEqualTo(start);
        assertThat(updated.schedule().dueTo()).isEqualTo(due);
        assertThat(updated.schedule().scheduled()).isTrue();
        assertThat(updated.fields().template()).isEqualTo(Template.of("Connect with {{firstName}}"));
    }

    @Test
    void anUpdateReplacesTheEditableFieldsAsOneValue() {
        Task task = stored().userTask(TaskType.TO_DO).build();
        TaskUpdate update = TaskUpdate.from(task).withPriority(Priority.EXTRA).withScheduled(true);

        Task updated = task.update(update, TEMPLATES, NOW).get();

        assertThat(updated.fields()).isEqualTo(update.fields());
    }

    @Test
    void aCreatedTaskHoldsTheEditableFieldsItWasAskedFor() {
        NewTask command = Fixtures.newToDo().build();

        Task created = Task.create(command, TEMPLATES, NOW, () -> TaskId.of(1)).get();

        assertThat(created.fields()).isEqualTo(command.fields());
    }

    @Test
    void anActiveTaskPastItsDueTimeIsOverdue() {
        assertThat(storedIn(TaskStatus.IN_PROGRESS).overdueAt(DUE_TO.plusSeconds(1)))
                .isTrue();
    }

    @Test
    void aTaskIsNotOverdueAtItsDueTime() {
        assertThat(storedIn(TaskStatus.NEW).overdueAt(DUE_TO)).isFalse();
    }

    @Test
    void aClosedTaskIsNeverOverdue() {
        assertThat(storedIn(TaskStatus.FINISHED).overdueAt(DUE_TO.plusSeconds(86_400)))
                .isFalse();
    }

    @Test
    void newAndInProgressAreTheActiveStates() {
        assertThat(EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::active))
                .containsExactlyInAnyOrder(TaskStatus.NEW, TaskStatus.IN_PROGRESS);
    }

    @Test
    void finishedSkippedCancelledAndDetachedAreTheClosedStates() {
        assertThat(EnumSet.allOf(TaskStatus.class).stream().filter(TaskStatus::closed))
                .containsExactlyInAnyOrder(
                        TaskStatus.FINISHED, TaskStatus.SKIPPED, TaskStatus.CANCELLED, TaskStatus.SEQUENCE_DETACHED);
    }
}
