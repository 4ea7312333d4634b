package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.CREATED_AT;
import static dev.taskengine.domain.Fixtures.START_AT;
import static dev.taskengine.domain.Fixtures.UPDATED_AT;
import static dev.taskengine.domain.Fixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Rebuilding a stored task ({@link Task#stored()}, the canonical constructor) refuses a corrupt one: a bug or a damaged
 * row, never a user's mistake, so it throws.
 */
class TaskInvariantsTest {

    private static void assertCorrupt(Fixtures.StoredTask task, String invariant) {
        assertThatThrownBy(task::build)
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("corrupt task: " + invariant);
    }

    @ParameterizedTest
    @EnumSource(TaskStatus.class)
    void aTaskWithConsistentTimesIsAccepted(TaskStatus status) {
        assertThat(stored().in(status).build().status()).isEqualTo(status);
    }

    @Test
    void anArchivedTaskMayCarryItsSkipTime() {
        Task task = stored().in(TaskStatus.ARCHIVED)
                .with(t -> {
                    t.finishedAt = Optional.empty();
                    t.skippedAt = Optional.of(UPDATED_AT);
                })
                .build();

        assertThat(task.times().skippedAt()).contains(UPDATED_AT);
    }

    @Test
    void anArchivedTaskMayCarryNeitherTime() {
        Task task = stored().in(TaskStatus.ARCHIVED)
                .with(t -> t.finishedAt = Optional.empty())
                .build();

        assertThat(task.times().finishedAt()).isEmpty();
    }

    @Test
    void anArchivedTaskCannotCarryBothFinishAndSkipTimes() {
        assertCorrupt(
                stored().in(TaskStatus.ARCHIVED).with(t -> t.skippedAt = Optional.of(UPDATED_AT)),
                "a task was finished or skipped, not both");
    }

    @Test
    void versionStartsAtOne() {
        assertCorrupt(stored().with(t -> t.version = 0), "version starts at 1");
    }

    @Test
    void aFinishedTaskWithoutFinishTimeIsCorrupt() {
        assertCorrupt(
                stored().in(TaskStatus.FINISHED).with(t -> t.finishedAt = Optional.empty()),
                "finishedAt is set exactly when the task is (or was, before archiving) finished");
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskStatus.class,
            names = {"NEW", "IN_PROGRESS", "SKIPPED", "CANCELLED", "SEQUENCE_DETACHED"})
    void aFinishTimeOnATaskThatIsNotFinishedIsCorrupt(TaskStatus status) {
        assertCorrupt(
                stored().in(status).with(t -> t.finishedAt = Optional.of(UPDATED_AT)),
                "finishedAt is set exactly when the task is (or was, before archiving) finished");
    }

    @Test
    void aSkippedTaskWithoutSkipTimeIsCorrupt() {
        assertCorrupt(
                stored().in(TaskStatus.SKIPPED).with(t -> t.skippedAt = Optional.empty()),
                "skippedAt is set exactly when the task is (or was, before archiving) skipped");
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskStatus.class,
            names = {"NEW", "IN_PROGRESS", "CANCELLED", "SEQUENCE_DETACHED"})
    void aSkipTimeOnATaskThatIsNotSkippedIsCorrupt(TaskStatus status) {
        assertCorrupt(
                stored().in(status).with(t -> t.skippedAt = Optional.of(UPDATED_AT)),
                "skippedAt is set exactly when the task is (or was, before archiving) skipped");
    }

    @Test
    void aDispositionOnATaskThatIsNotACallIsCorrupt() {
        assertCorrupt(
                stored().userTask(TaskType.TO_DO)
                        .in(TaskStatus.FINISHED)
                        .with(t -> t.disposition = Optional.of(Disposition.ANSWERED)),
                "only finished calls carry a disposition");
    }

    @Test
    void aDispositionOnAnUnfinishedCallIsCorrupt() {
        assertCorrupt(
                stored().userTask(TaskType.CALL)
                        .in(TaskStatus.NEW)
                        .with(t -> t.disposition = Optional.of(Disposition.ANSWERED)),
                "only finished calls carry a disposition");
    }

    @Test
    void aFinishedCallMayCarryADisposition() {
        Task call = stored().userTask(TaskType.CALL)
                .in(TaskStatus.FINISHED)
                .with(t -> t.disposition = Optional.of(Disposition.NO_ANSWER))
                .build();

        assertThat(call.callOutcome().disposition()).contains(Disposition.NO_ANSWER);
    }

    @Test
    void aCallResolutionOnATaskThatIsNotACallIsCorrupt() {
        assertCorrupt(
                stored().userTask(TaskType.TO_DO)
                        .in(TaskStatus.FINISHED)
                        .with(t -> t.callResolution = Optional.of(CallResolution.POSITIVE)),
                "only finished calls carry a call resolution");
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskStatus.class,
            names = {"NEW", "IN_PROGRESS", "SKIPPED", "CANCELLED", "SEQUENCE_DETACHED"})
    void aCallResolutionOnAnUnfinishedCallIsCorrupt(TaskStatus status) {
        assertCorrupt(
                stored().userTask(TaskType.CALL)
                        .in(status)
                        .with(t -> t.callResolution = Optional.of(CallResolution.POSITIVE)),
                "only finished calls carry a call resolution");
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskStatus.class,
            names = {"FINISHED", "ARCHIVED"})
    void aFinishedCallMayCarryACallResolution(TaskStatus status) {
        Task call = stored().userTask(TaskType.CALL)
                .in(status)
                .with(t -> t.callResolution = Optional.of(CallResolution.TO_CALL))
                .build();

        assertThat(call.callOutcome().callResolution()).contains(CallResolution.TO_CALL);
    }

    @Test
    void aFailedTaskWithoutFailureReasonIsCorrupt() {
        assertCorrupt(
                stored().with(t -> t.failed = true), "a failed task carries its failure reason, and only a failed one");
    }

    @Test
    void aFailureReasonOnATaskThatHasNotFailedIsCorrupt() {
        assertCorrupt(
                stored().with(t -> t.failureReason = Optional.of("timeout")),
                "a failed task carries its failure reason, and only a failed one");
    }

    @Test
    void aFailedTaskCarriesItsFailureReason() {
        Task task = stored().failedWith("timeout").build();

        assertThat(task.failure().failed()).isTrue();
        assertThat(task.failure().reason()).contains("timeout");
    }

    @Test
    void negativeFailedAttemptsAreCorrupt() {
        assertCorrupt(stored().with(t -> t.failedAttempts = -1), "failed attempts are not negative");
    }

    @Test
    void aRetryTimeOnATaskThatHasNotFailedIsCorrupt() {
        assertCorrupt(
                stored().with(t -> t.retryAt = Optional.of(START_AT)), "only an active failed task waits for a retry");
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskStatus.class,
            names = {"FINISHED", "SKIPPED", "CANCELLED", "SEQUENCE_DETACHED", "ARCHIVED"})
    void aRetryTimeOnAClosedFailedTaskIsCorrupt(TaskStatus status) {
        assertCorrupt(
                stored().in(status).failedWith("timeout").with(t -> t.retryAt = Optional.of(START_AT)),
                "only an active failed task waits for a retry");
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskStatus.class,
            names = {"NEW", "IN_PROGRESS"})
    void anActiveFailedTaskMayWaitForARetry(TaskStatus status) {
        Task task = stored().in(status)
                .failedWith("timeout")
                .with(t -> t.retryAt = Optional.of(START_AT))
                .build();

        assertThat(task.failure().retryAt()).contains(START_AT);
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskStatus.class,
            names = {"FINISHED", "SKIPPED", "CANCELLED", "SEQUENCE_DETACHED", "ARCHIVED"})
    void anExecutionOnAClosedTaskIsCorrupt(TaskStatus status) {
        assertCorrupt(stored().in(status).executing(), "only an active email or SMS task is being executed");
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskType.class,
            names = {"MANUAL_EMAIL", "SMS"},
            mode = EnumSource.Mode.EXCLUDE)
    void anExecutionOnATaskThatIsNotEmailOrSmsIsCorrupt(TaskType type) {
        assertCorrupt(stored().userTask(type).executing(), "only an active email or SMS task is being executed");
    }

    @ParameterizedTest
    @EnumSource(
            value = TaskType.class,
            names = {"MANUAL_EMAIL", "SMS"})
    void anActiveEmailOrSmsTaskMayBeExecuting(TaskType type) {
        Task task =
                stored().userTask(type).in(TaskStatus.IN_PROGRESS).executing().build();

        assertThat(task.executing()).isTrue();
        assertThat(task.execution()).contains(Fixtures.EXECUTION);
    }

    @Test
    void dueToEqualToStartAtIsCorrupt() {
        assertCorrupt(stored().with(t -> t.dueTo = START_AT), "dueTo is after startAt");
    }

    @Test
    void updatedAtBeforeCreatedAtIsCorrupt() {
        assertCorrupt(
                stored().with(t -> t.updatedAt = CREATED_AT.minusSeconds(1)), "updatedAt is not before createdAt");
    }

    @Test
    void aLinkedInTaskTypeOnAnotherTypeIsCorrupt() {
        assertCorrupt(
                stored().with(t -> t.linkedInTaskType = Optional.of(LinkedInTaskType.CONNECT)),
                "only LinkedIn tasks carry a LinkedIn task type");
    }

    @Test
    void aSequenceTaskWithoutSequenceIsCorrupt() {
        assertCorrupt(
                stored().with(t -> t.sequence = Optional.empty()), "sequence tasks, and only they, carry a sequence");
    }

    @Test
    void aUserTaskWithASequenceIsCorrupt() {
        assertCorrupt(
                stored().with(t -> t.creationSource = CreationSource.USER),
                "sequence tasks, and only they, carry a sequence");
    }

    @Test
    void aReopenTimeWithoutReasonIsCorrupt() {
        assertCorrupt(stored().with(t -> t.reopenedAt = Optional.of(UPDATED_AT)), "a reopened task carries its reason");
    }

    @Test
    void aReopenReasonWithoutTimeIsCorrupt() {
        assertCorrupt(
                stored().with(t -> t.reopenReason = Optional.of(ReopenReason.MANUAL)),
                "a reopened task carries its reason");
    }

    @Test
    void aTaskWithoutTemplateBodyIsCorrupt() {
        assertThatThrownBy(
                        () -> stored().with(t -> t.template = Template.of(null)).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("template.body");
    }

    @Test
    void aMissingExecutionFieldIsCorrupt() {
        Task t = stored().build();
        assertThatThrownBy(() -> new Task(
                        t.id(),
                        t.tenant(),
                        t.version(),
                        t.status(),
                        t.fields(),
                        t.assignedUserId(),
                        t.origin(),
                        t.times(),
                        t.reopening(),
                        t.callOutcome(),
                        t.failure(),
                        null,
                        t.deferral(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        TraceContext.NONE))
                .isInstanceOf(NullPointerException.class)
                .hasMessage("execution");
    }

    @Test
    void aMissingFieldIsCorrupt() {
        assertThatThrownBy(() -> stored().with(t -> t.tenant = null).build())
                .isInstanceOf(NullPointerException.class)
                .hasMessage("tenant");
    }
}
