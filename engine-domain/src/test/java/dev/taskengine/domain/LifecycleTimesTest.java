package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.EXECUTION;
import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.UPDATED_AT;
import static dev.taskengine.domain.Fixtures.stored;
import static dev.taskengine.domain.Fixtures.storedIn;
import static dev.taskengine.domain.Fixtures.underWay;
import static org.assertj.core.api.Assertions.assertThat;

import io.vavr.control.Either;
import java.time.Instant;
import java.util.Optional;
import java.util.function.BiFunction;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** What each transition does to the task's times and version. The time of a change is always passed in. */
class LifecycleTimesTest {
    private static final TemplateEngine TEMPLATES = TemplateEngine.create();

    @Test
    void completeSetsFinishedAtAndUpdatedAtToNow() {
        Task done = storedIn(TaskStatus.IN_PROGRESS)
                .complete(Completion.done(), NOW)
                .get();

        assertThat(done.times().finishedAt()).contains(NOW);
        assertThat(done.times().updatedAt()).isEqualTo(NOW);
    }

    @Test
    void executionSucceededSetsFinishedAtAndUpdatedAtToNow() {
        Task sent = Fixtures.execute(storedIn(TaskStatus.NEW), Content.of("Hello Ada", "Hi Ada"), NOW)
                .get();

        assertThat(sent.times().finishedAt()).contains(NOW);
        assertThat(sent.times().updatedAt()).isEqualTo(NOW);
    }

    @Test
    void skipSetsSkippedAtAndUpdatedAtToNow() {
        Task skipped = storedIn(TaskStatus.NEW).skip(NOW).get();

        assertThat(skipped.times().skippedAt()).contains(NOW);
        assertThat(skipped.times().updatedAt()).isEqualTo(NOW);
        assertThat(skipped.times().finishedAt()).isEmpty();
    }

    @Test
    void reopenClearsFinishedAtAndDispositionAndRecordsWhenAndWhy() {
        Task answeredCall = stored().userTask(TaskType.CALL)
                .in(TaskStatus.FINISHED)
                .with(t -> t.disposition = Optional.of(Disposition.ANSWERED))
                .build();

        Task reopened = answeredCall.reopen(ReopenReason.REMINDER_RULE, NOW).get();

        assertThat(reopened.status()).isEqualTo(TaskStatus.NEW);
        assertThat(reopened.times().finishedAt()).isEmpty();
        assertThat(reopened.callOutcome().disposition()).isEmpty();
        assertThat(reopened.reopening().map(Reopening::at)).contains(NOW);
        assertThat(reopened.reopening().map(Reopening::reason)).contains(ReopenReason.REMINDER_RULE);
    }

    @Test
    void reopenClearsTheCallResolution() {
        Task resolvedCall = stored().userTask(TaskType.CALL)
                .in(TaskStatus.FINISHED)
                .with(t -> t.callResolution = Optional.of(CallResolution.TO_CALL))
                .build();

        Task reopened = resolvedCall.reopen(ReopenReason.MANUAL, NOW).get();

        assertThat(reopened.callOutcome().callResolution()).isEmpty();
    }

    @Test
    void reopenClearsSkippedAt() {
        Task reopened =
                storedIn(TaskStatus.SKIPPED).reopen(ReopenReason.MANUAL, NOW).get();

        assertThat(reopened.times().skippedAt()).isEmpty();
        assertThat(reopened.reopening().map(Reopening::at)).contains(NOW);
        assertThat(reopened.reopening().map(Reopening::reason)).contains(ReopenReason.MANUAL);
    }

    @Test
    void aReopenedTaskKeepsItsReopenTimeWhenItIsDoneAgain() {
        Instant later = NOW.plusSeconds(3600);
        Task reopened =
                storedIn(TaskStatus.SKIPPED).reopen(ReopenReason.MANUAL, NOW).get();

        Task doneAgain = reopened.complete(Completion.done(), later).get();

        assertThat(doneAgain.times().finishedAt()).contains(later);
        assertThat(doneAgain.reopening().map(Reopening::at)).contains(NOW);
        assertThat(doneAgain.reopening().map(Reopening::reason)).contains(ReopenReason.MANUAL);
    }

    @Test
    void archiveKeepsFinishedAt() {
        Task archived = storedIn(TaskStatus.FINISHED).archive(NOW).get();

        assertThat(archived.times().finishedAt()).contains(UPDATED_AT);
        assertThat(archived.times().updatedAt()).isEqualTo(NOW);
    }

    @Test
    void archiveKeepsSkippedAt() {
        Task archived = storedIn(TaskStatus.SKIPPED).archive(NOW).get();

        assertThat(archived.times().skippedAt()).contains(UPDATED_AT);
        assertThat(archived.times().finishedAt()).isEmpty();
    }

    @Test
    void archiveKeepsTheDispositionOfAFinishedCall() {
        Task answeredCall = stored().userTask(TaskType.CALL)
                .in(TaskStatus.FINISHED)
                .with(t -> t.disposition = Optional.of(Disposition.VOICEMAIL_LEFT))
                .build();

        assertThat(answeredCall.archive(NOW).get().callOutcome().disposition()).contains(Disposition.VOICEMAIL_LEFT);
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("transitions")
    void everyTransitionIncrementsVersionByExactlyOneAndSetsUpdatedAt(
            String action, TaskStatus from, BiFunction<Task, Instant, Either<TaskError, Task>> transition) {
        Task task = storedIn(from);

        Task changed = transition.apply(task, NOW).get();

        assertThat(changed.version()).isEqualTo(task.version() + 1);
        assertThat(changed.times().updatedAt()).isEqualTo(NOW);
        assertThat(changed.times().createdAt()).isEqualTo(task.times().createdAt());
    }

    @ParameterizedTest(name = "{0} from {1}")
    @MethodSource("transitions")
    void aNowEarlierThanUpdatedAtNeverMovesUpdatedAtBackwards(
            String action, TaskStatus from, BiFunction<Task, Instant, Either<TaskError, Task>> transition) {
        Task task = storedIn(from);
        Instant earlier = task.times().updatedAt().minusSeconds(60);

        Task changed = transition.apply(task, earlier).get();

        assertThat(changed.times().updatedAt()).isEqualTo(task.times().updatedAt());
        assertThat(changed.version()).isEqualTo(task.version() + 1);
    }

    @Test
    void aFinishTimeStampedWithAnEarlierNowIsTheLastUpdateTime() {
        Task task = storedIn(TaskStatus.NEW);

        Task done = task.complete(Completion.done(), task.times().updatedAt().minusSeconds(60))
                .get();

        assertThat(done.times().finishedAt()).contains(task.times().updatedAt());
    }

    @Test
    void changeTimesAreTruncatedToMicroseconds() {
        Instant withNanos = Instant.parse("2024-05-06T10:15:30.123456789Z");

        Task done =
                storedIn(TaskStatus.NEW).complete(Completion.done(), withNanos).get();

        Instant micros = Instant.parse("2024-05-06T10:15:30.123456Z");
        assertThat(done.times().updatedAt()).isEqualTo(micros);
        assertThat(done.times().finishedAt()).contains(micros);
    }

    @Test
    void createTruncatesEveryTimeToMicroseconds() {
        NewTask command = Fixtures.newToDo()
                .startAt(Instant.parse("2024-05-07T09:00:00.000000999Z"))
                .dueTo(Instant.parse("2024-05-08T17:00:00.123456789Z"))
                .build();

        Task task = Task.create(command, TEMPLATES, Instant.parse("2024-05-06T10:15:30.987654321Z"), () -> TaskId.of(1))
                .get();

        assertThat(task.times().createdAt()).isEqualTo(Instant.parse("2024-05-06T10:15:30.987654Z"));
        assertThat(task.times().updatedAt()).isEqualTo(task.times().createdAt());
        assertThat(task.schedule().startAt()).isEqualTo(Instant.parse("2024-05-07T09:00:00Z"));
        assertThat(task.schedule().dueTo()).isEqualTo(Instant.parse("2024-05-08T17:00:00.123456Z"));
    }

    @Test
    void updateTruncatesNewTimesToMicroseconds() {
        Task task = storedIn(TaskStatus.NEW);
        TaskUpdate update = TaskUpdate.from(task)
                .withTimes(
                        Instant.parse("2024-06-01T08:00:00.111111999Z"),
                        Instant.parse("2024-06-02T08:00:00.222222999Z"));

        Task updated = task.update(update, TEMPLATES, NOW).get();

        assertThat(updated.schedule().startAt()).isEqualTo(Instant.parse("2024-06-01T08:00:00.111111Z"));
        assertThat(updated.schedule().dueTo()).isEqualTo(Instant.parse("2024-06-02T08:00:00.222222Z"));
    }

    @Test
    void aNewTaskStartsAtVersionOneAndStatusNew() {
        Task task = Task.create(Fixtures.newToDo().build(), TEMPLATES, NOW, () -> TaskId.of(99))
                .get();

        assertThat(task.id()).isEqualTo(TaskId.of(99));
        assertThat(task.version()).isEqualTo(1);
        assertThat(task.status()).isEqualTo(TaskStatus.NEW);
        assertThat(task.times().createdAt()).isEqualTo(NOW);
        assertThat(task.times().updatedAt()).isEqualTo(NOW);
    }

    static Stream<Arguments> transitions() {
        return Stream.of(
                transition("start", TaskStatus.NEW, Task::start),
                transition("update", TaskStatus.IN_PROGRESS, (t, now) -> t.update(TaskUpdate.from(t), TEMPLATES, now)),
                transition("reassign", TaskStatus.NEW, (t, now) -> t.reassign(UserId.of(8), now)),
                transition(
                        "executionStarted",
                        TaskStatus.IN_PROGRESS,
                        (t, now) -> t.executionStarted(Fixtures.execution(Content.of("Hello", "Hi"), now), now)),
                transition(
                        "executionSucceeded",
                        TaskStatus.IN_PROGRESS,
                        (t, now) -> underWay(t, EXECUTION).executionSucceeded(now)),
                transition(
                        "executionFailed",
                        TaskStatus.NEW,
                        (t, now) -> underWay(t, EXECUTION).executionFailed("timeout", now)),
                transition("executionRefused", TaskStatus.NEW, (t, now) -> t.executionRefused("no email address", now)),
                transition("complete", TaskStatus.NEW, (t, now) -> t.complete(Completion.done(), now)),
                transition("skip", TaskStatus.IN_PROGRESS, Task::skip),
                transition("cancel", TaskStatus.NEW, Task::cancel),
                transition("detach", TaskStatus.NEW, Task::detach),
                transition("reopen", TaskStatus.FINISHED, (t, now) -> t.reopen(ReopenReason.MANUAL, now)),
                transition("reopen", TaskStatus.SKIPPED, (t, now) -> t.reopen(ReopenReason.MANUAL, now)),
                transition("archive", TaskStatus.CANCELLED, Task::archive),
                transition(
                        "reassignedBySequence",
                        TaskStatus.NEW,
                        (t, now) -> Either.right(t.reassignedBySequence(UserId.of(8), now))));
    }

    private static Arguments transition(
            String name, TaskStatus from, BiFunction<Task, Instant, Either<TaskError, Task>> transition) {
        return Arguments.of(name, from, transition);
    }
}
