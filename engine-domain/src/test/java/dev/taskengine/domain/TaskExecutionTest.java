package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.EXECUTION;
import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.START_AT;
import static dev.taskengine.domain.Fixtures.UPDATED_AT;
import static dev.taskengine.domain.Fixtures.stored;
import static dev.taskengine.domain.Fixtures.storedIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.vavr.control.Either;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Executing an email or SMS task: the execution is recorded before the message goes to the sender
 * ({@link Task#executionStarted}), then its outcome ({@link Task#executionSucceeded}, {@link Task#executionFailed});
 * a task that cannot be sent as it stands is refused ({@link Task#executionRefused}); the scheduler asks
 * {@link Task#dueForExecution} and recovery asks {@link Task#executionStale}.
 */
class TaskExecutionTest {
    private static final TemplateEngine TEMPLATES = TemplateEngine.create();

    /** A stored task with {@link Fixtures#EXECUTION} under way. */
    private static Task executing() {
        return stored().executing().build();
    }

    @Nested
    class ExecutionStarted {
        @Test
        void recordsTheExecutionAndKeepsTheTaskActive() {
            Task task = storedIn(TaskStatus.IN_PROGRESS);

            Task started = task.executionStarted(EXECUTION, NOW).get();

            assertThat(started.execution()).contains(EXECUTION);
            assertThat(started.executing()).isTrue();
            assertThat(started.status()).isEqualTo(TaskStatus.IN_PROGRESS);
            assertThat(started.times().finishedAt()).isEmpty();
            assertThat(started.fields().template()).isEqualTo(task.fields().template());
            assertThat(started.version()).isEqualTo(task.version() + 1);
        }

        @ParameterizedTest
        @EnumSource(
                value = TaskType.class,
                names = {"MANUAL_EMAIL", "SMS"},
                mode = EnumSource.Mode.EXCLUDE)
        void refusesATypeThatIsNotExecuted(TaskType type) {
            Task task = stored().userTask(type).build();

            TaskError error = task.executionStarted(EXECUTION, NOW).getLeft();

            assertThat(error).isEqualTo(new TaskError.NotExecutable(task.id(), type));
            assertThat(error.code()).isEqualTo("task.notExecutable");
        }

        @ParameterizedTest
        @EnumSource(
                value = TaskStatus.class,
                names = {"FINISHED", "SKIPPED", "CANCELLED", "SEQUENCE_DETACHED", "ARCHIVED"})
        void refusesAClosedTask(TaskStatus status) {
            TaskError error = storedIn(status).executionStarted(EXECUTION, NOW).getLeft();

            assertThat(error).isEqualTo(new TaskError.IllegalTransition(TaskAction.EXECUTE, status));
            assertThat(error.code()).isEqualTo("task.illegalTransition");
        }

        @Test
        void refusesASecondStartWhileOneIsUnderWay() {
            Task task = executing();

            TaskError error = task.executionStarted(Fixtures.execution(Content.of(null, "Hi again"), NOW), NOW)
                    .getLeft();

            assertThat(error).isEqualTo(new TaskError.ExecutionUnderWay(task.id()));
            assertThat(error.code()).isEqualTo("task.executionUnderWay");
        }
    }

    @Nested
    class WhileAnExecutionIsUnderWay {
        static Stream<Arguments> actions() {
            return Stream.of(
                    action("start", t -> t.start(NOW)),
                    action("update", t -> t.update(TaskUpdate.from(t), TEMPLATES, NOW)),
                    action("reassign", t -> t.reassign(UserId.of(8), NOW)),
                    action("complete", t -> t.complete(Completion.done(), NOW)),
                    action("skip", t -> t.skip(NOW)),
                    action("cancel", t -> t.cancel(NOW)),
                    action("detach", t -> t.detach(NOW)),
                    action("delete", t -> t.allows(TaskAction.DELETE)),
                    action("executionRefused", t -> t.executionRefused("no email address", NOW)));
        }

        private static Arguments action(String name, Function<Task, Either<TaskError, Task>> action) {
            return Arguments.of(name, action);
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("actions")
        void everyLifecycleActionIsRefused(String name, Function<Task, Either<TaskError, Task>> action) {
            Task task = executing();

            TaskError error = action.apply(task).getLeft();

            assertThat(error).isEqualTo(new TaskError.ExecutionUnderWay(task.id()));
            assertThat(error.code()).isEqualTo("task.executionUnderWay");
        }

        @Test
        void theRefusalSaysToTryAgainOnceTheExecutionIsRecorded() {
            assertThat(executing().skip(NOW).getLeft().message())
                    .isEqualTo("task 42 is being executed; try again once the execution is recorded");
        }

        @Test
        void aTaskWithoutExecutionIsNotExecuting() {
            assertThat(storedIn(TaskStatus.NEW).executing()).isFalse();
        }
    }

    @Nested
    class ExecutionSucceeded {
        @Test
        void finishesTheTaskAndSetsFinishedAt() {
            Task sent = executing().executionSucceeded(NOW).get();

            assertThat(sent.status()).isEqualTo(TaskStatus.FINISHED);
            assertThat(sent.times().finishedAt()).contains(NOW);
            assertThat(sent.times().updatedAt()).isEqualTo(NOW);
        }

        @Test
        void replacesTheTemplateByTheExecutionsContentKeepingAttachmentIds() {
            Task task = stored().with(
                            t -> t.template = Template.of("Hi {{firstName}}", "Dear {{firstName}}", List.of(31L, 32L)))
                    .executing()
                    .build();

            Task sent = task.executionSucceeded(NOW).get();

            assertThat(sent.fields().template())
                    .isEqualTo(new Template(Optional.of("Hello Ada"), "Hi Ada", List.of(31L, 32L), true));
        }

        @Test
        void keepsTheSentContentAsLiteralTextThatIsNeverRenderedAgain() {
            Task sent = stored().executing().build().executionSucceeded(NOW).get();

            assertThat(sent.fields().template().literal()).isTrue();
        }

        @Test
        void contentWithoutSubjectLeavesNoSubject() {
            Task task = stored().with(
                            t -> t.execution = Optional.of(Fixtures.execution(Content.of(null, "Hi Ada"), UPDATED_AT)))
                    .build();

            assertThat(task.executionSucceeded(NOW).get().fields().template().subject())
                    .isEmpty();
        }

        @Test
        void clearsTheFailureAndTheRetryTime() {
            Task task = stored().failedWith("timeout")
                    .executing()
                    .with(t -> t.retryAt = Optional.of(NOW))
                    .build();

            Task sent = task.executionSucceeded(NOW).get();

            assertThat(sent.failure().failed()).isFalse();
            assertThat(sent.failure().reason()).isEmpty();
            assertThat(sent.failure().retryAt()).isEmpty();
        }

        @Test
        void clearsTheExecution() {
            Task sent = executing().executionSucceeded(NOW).get();

            assertThat(sent.execution()).isEmpty();
            assertThat(sent.executing()).isFalse();
        }

        @Test
        void withoutAnExecutionUnderWayIsABug() {
            Task task = storedIn(TaskStatus.IN_PROGRESS);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> task.executionSucceeded(NOW))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no execution under way");
        }
    }

    @Nested
    class ExecutionFailed {
        @Test
        void keepsTheTaskActiveWithItsTemplate() {
            Task task = stored().in(TaskStatus.IN_PROGRESS).executing().build();

            Task failed = task.executionFailed("timeout", NOW).get();

            assertThat(failed.status()).isEqualTo(TaskStatus.IN_PROGRESS);
            assertThat(failed.times().finishedAt()).isEmpty();
            assertThat(failed.fields().template()).isEqualTo(task.fields().template());
        }

        @Test
        void marksTheTaskFailedWithTheReason() {
            Task failed = executing().executionFailed("mailbox full", NOW).get();

            assertThat(failed.failure().failed()).isTrue();
            assertThat(failed.failure().reason()).contains("mailbox full");
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = {" ", "\t\n"})
        void aBlankReasonBecomesUnknownFailure(String reason) {
            Task failed = executing().executionFailed(reason, NOW).get();

            assertThat(failed.failure().reason()).contains("unknown failure");
        }

        @Test
        void countsOneMoreFailedAttempt() {
            Task task = stored().failedWith("timeout")
                    .with(t -> t.failedAttempts = 2)
                    .executing()
                    .build();

            assertThat(task.executionFailed("timeout", NOW).get().failure().attempts())
                    .isEqualTo(3);
        }

        @Test
        void theFirstFailureCountsOneAttempt() {
            assertThat(executing()
                            .executionFailed("timeout", NOW)
                            .get()
                            .failure()
                            .attempts())
                    .isEqualTo(1);
        }

        @Test
        void setsTheRetryTimeTruncatedToMicroseconds() {
            Task failed = executing()
                    .executionFailed("timeout", Retry.at(Instant.parse("2024-05-06T10:20:30.123456789Z")), NOW)
                    .get();

            assertThat(failed.failure().retryAt()).contains(Instant.parse("2024-05-06T10:20:30.123456Z"));
        }

        @Test
        void withoutARetryTimeNoRetryIsPlanned() {
            Task task = stored().failedWith("timeout")
                    .with(t -> t.retryAt = Optional.of(NOW))
                    .executing()
                    .build();

            assertThat(task.executionFailed("timeout", NOW).get().failure().retryAt())
                    .isEmpty();
        }

        @Test
        void clearsTheExecution() {
            Task failed = executing()
                    .executionFailed("timeout", Retry.at(NOW.plusSeconds(300)), NOW)
                    .get();

            assertThat(failed.execution()).isEmpty();
            assertThat(failed.executing()).isFalse();
        }

        @Test
        void withoutAnExecutionUnderWayIsABug() {
            Task task = storedIn(TaskStatus.NEW);

            org.assertj.core.api.Assertions.assertThatThrownBy(() -> task.executionFailed("timeout", NOW))
                    .isInstanceOf(IllegalStateException.class)
                    .hasMessageContaining("no execution under way");
        }
    }

    @Nested
    class ExecutionRefused {
        @Test
        void marksTheTaskFailedWithTheReasonAndKeepsItActive() {
            Task refused = storedIn(TaskStatus.IN_PROGRESS)
                    .executionRefused("no email address", NOW)
                    .get();

            assertThat(refused.failure().failed()).isTrue();
            assertThat(refused.failure().reason()).contains("no email address");
            assertThat(refused.status()).isEqualTo(TaskStatus.IN_PROGRESS);
        }

        @Test
        void plansNoRetry() {
            Task task = stored().failedWith("timeout")
                    .with(t -> t.retryAt = Optional.of(NOW))
                    .build();

            assertThat(task.executionRefused("no email address", NOW)
                            .get()
                            .failure()
                            .retryAt())
                    .isEmpty();
        }

        @Test
        void countsOneMoreFailedAttempt() {
            Task task = stored().failedWith("timeout")
                    .with(t -> t.failedAttempts = 4)
                    .build();

            assertThat(task.executionRefused("no email address", NOW)
                            .get()
                            .failure()
                            .attempts())
                    .isEqualTo(5);
        }

        @ParameterizedTest
        @NullAndEmptySource
        @ValueSource(strings = " ")
        void aBlankReasonBecomesCannotBeExecuted(String reason) {
            assertThat(storedIn(TaskStatus.NEW)
                            .executionRefused(reason, NOW)
                            .get()
                            .failure()
                            .reason())
                    .contains("cannot be executed");
        }

        @Test
        void aRefusedScheduledTaskIsNoLongerDue() {
            Task task = stored().with(t -> t.scheduled = true).build();

            assertThat(task.executionRefused("no email address", NOW).get().dueForExecution(START_AT))
                    .isFalse();
        }

        @ParameterizedTest
        @EnumSource(
                value = TaskStatus.class,
                names = {"FINISHED", "SKIPPED", "CANCELLED", "SEQUENCE_DETACHED", "ARCHIVED"})
        void isRefusedOnAClosedTask(TaskStatus status) {
            assertThat(storedIn(status)
                            .executionRefused("no email address", NOW)
                            .getLeft())
                    .isEqualTo(new TaskError.IllegalTransition(TaskAction.EXECUTE, status));
        }
    }

    @Nested
    class DueForExecution {
        /** Scheduled, sequence ManualEmail, new, no execution, not failed: due from {@link Fixtures#START_AT}. */
        private Fixtures.StoredTask scheduled() {
            return stored().with(t -> t.scheduled = true);
        }

        @Test
        void aScheduledActiveEmailTaskIsDueAtItsStartTime() {
            assertThat(scheduled().build().dueForExecution(START_AT)).isTrue();
        }

        @Test
        void aScheduledSmsTaskIsDue() {
            assertThat(scheduled().userTask(TaskType.SMS).build().dueForExecution(START_AT))
                    .isTrue();
        }

        @Test
        void anInProgressTaskIsDue() {
            assertThat(scheduled().in(TaskStatus.IN_PROGRESS).build().dueForExecution(START_AT))
                    .isTrue();
        }

        @Test
        void aTaskThatIsNotScheduledIsNotDue() {
            assertThat(stored().with(t -> t.scheduled = false).build().dueForExecution(START_AT))
                    .isFalse();
        }

        @ParameterizedTest
        @EnumSource(
                value = TaskType.class,
                names = {"MANUAL_EMAIL", "SMS"},
                mode = EnumSource.Mode.EXCLUDE)
        void aTypeThatIsNotExecutedIsNotDue(TaskType type) {
            assertThat(scheduled().userTask(type).build().dueForExecution(START_AT))
                    .isFalse();
        }

        @ParameterizedTest
        @EnumSource(
                value = TaskStatus.class,
                names = {"FINISHED", "SKIPPED", "CANCELLED", "SEQUENCE_DETACHED", "ARCHIVED"})
        void aClosedTaskIsNotDue(TaskStatus status) {
            assertThat(scheduled().in(status).build().dueForExecution(START_AT)).isFalse();
        }

        @Test
        void aTaskBeingExecutedIsNotDue() {
            assertThat(scheduled().executing().build().dueForExecution(START_AT))
                    .isFalse();
        }

        @Test
        void aTaskIsNotDueBeforeItsStartTime() {
            assertThat(scheduled().build().dueForExecution(START_AT.minusNanos(1000)))
                    .isFalse();
        }

        @Test
        void aFailedTaskWithoutRetryIsNotDue() {
            assertThat(scheduled().failedWith("timeout").build().dueForExecution(START_AT.plusSeconds(3600)))
                    .isFalse();
        }

        @Test
        void aFailedTaskIsNotDueBeforeItsRetryTime() {
            Instant retryAt = START_AT.plusSeconds(600);
            Task task = scheduled()
                    .failedWith("timeout")
                    .with(t -> t.retryAt = Optional.of(retryAt))
                    .build();

            assertThat(task.dueForExecution(retryAt.minusSeconds(1))).isFalse();
        }

        @Test
        void aFailedTaskIsDueAgainAtItsRetryTime() {
            Instant retryAt = START_AT.plusSeconds(600);
            Task task = scheduled()
                    .failedWith("timeout")
                    .with(t -> t.retryAt = Optional.of(retryAt))
                    .build();

            assertThat(task.dueForExecution(retryAt)).isTrue();
        }

        @Test
        void aRetryTimeDoesNotMakeATaskDueBeforeItsStartTime() {
            Task task = scheduled()
                    .failedWith("timeout")
                    .with(t -> t.retryAt = Optional.of(START_AT.minusSeconds(600)))
                    .build();

            assertThat(task.dueForExecution(START_AT.minusSeconds(1))).isFalse();
        }
    }

    @Nested
    class ExecutionStale {
        @Test
        void anExecutionStartedBeforeTheCutOffIsStale() {
            assertThat(executing().executionStale(UPDATED_AT.plusSeconds(1))).isTrue();
        }

        @Test
        void anExecutionStartedAtTheCutOffIsNotStale() {
            assertThat(executing().executionStale(UPDATED_AT)).isFalse();
        }

        @Test
        void anExecutionStartedAfterTheCutOffIsNotStale() {
            assertThat(executing().executionStale(UPDATED_AT.minusSeconds(1))).isFalse();
        }

        @Test
        void aTaskWithoutExecutionIsNeverStale() {
            assertThat(storedIn(TaskStatus.NEW).executionStale(NOW.plusSeconds(86_400)))
                    .isFalse();
        }
    }

    @Nested
    class FailureBookkeeping {
        private Task failedAwaitingRetry() {
            return stored().failedWith("timeout")
                    .with(t -> {
                        t.failedAttempts = 3;
                        t.retryAt = Optional.of(NOW.plusSeconds(600));
                    })
                    .build();
        }

        @Test
        void updateClearsTheFailure() {
            Task updated = failedAwaitingRetry()
                    .update(TaskUpdate.from(failedAwaitingRetry()), TEMPLATES, NOW)
                    .get();

            assertThat(updated.failure().failed()).isFalse();
            assertThat(updated.failure().reason()).isEmpty();
        }

        @Test
        void updateResetsTheFailedAttempts() {
            Task updated = failedAwaitingRetry()
                    .update(TaskUpdate.from(failedAwaitingRetry()), TEMPLATES, NOW)
                    .get();

            assertThat(updated.failure().attempts()).isZero();
        }

        @Test
        void updateClearsTheRetryTime() {
            Task updated = failedAwaitingRetry()
                    .update(TaskUpdate.from(failedAwaitingRetry()), TEMPLATES, NOW)
                    .get();

            assertThat(updated.failure().retryAt()).isEmpty();
        }

        @Test
        void reopenClearsTheFailureSoThatAScheduledTaskIsDueAgain() {
            Task reopened = failedAwaitingRetry()
                    .complete(Completion.done(), NOW)
                    .get()
                    .reopen(ReopenReason.MANUAL, NOW)
                    .get();

            assertThat(reopened.failure().failed()).isFalse();
            assertThat(reopened.failure().reason()).isEmpty();
            assertThat(reopened.failure().attempts()).isZero();
        }

        @Test
        void completeClearsTheRetryTime() {
            assertThat(failedAwaitingRetry()
                            .complete(Completion.done(), NOW)
                            .get()
                            .failure()
                            .retryAt())
                    .isEmpty();
        }

        static Stream<Arguments> closingActions() {
            return Stream.of(
                    Arguments.of("skip", (Function<Task, Either<TaskError, Task>>) t -> t.skip(NOW)),
                    Arguments.of("cancel", (Function<Task, Either<TaskError, Task>>) t -> t.cancel(NOW)),
                    Arguments.of("detach", (Function<Task, Either<TaskError, Task>>) t -> t.detach(NOW)));
        }

        @ParameterizedTest(name = "{0}")
        @MethodSource("closingActions")
        void closingAFailedTaskThatAwaitsARetryClearsTheRetryTime(
                String name, Function<Task, Either<TaskError, Task>> action) {
            Task closed = action.apply(failedAwaitingRetry()).get();

            assertThat(closed.active()).isFalse();
            assertThat(closed.failure().retryAt()).isEmpty();
        }
    }
}
