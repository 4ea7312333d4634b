package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.DUE_TO;
import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.START_AT;
import static dev.taskengine.domain.Fixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

/** The rep's working day in the domain: snooze, reschedule, contact pause, reminders and the stale rule. */
class TaskWorkdayTest {
    private static final Instant LATER = NOW.plus(Duration.ofDays(2));

    private static Task task() {
        return stored().build();
    }

    private static Task scheduledEmail() {
        return stored().with(t -> t.scheduled = true).build();
    }

    private static String onlyCode(io.vavr.control.Either<TaskError, Task> result) {
        TaskError.InvalidInput invalid = (TaskError.InvalidInput) result.getLeft();
        assertThat(invalid.violations()).hasSize(1);
        return invalid.violations().get(0).code();
    }

    @Nested
    class Snooze {
        @Test
        void aSnoozedTaskIsHiddenUntilItsSnoozeEnds() {
            Task snoozed = task().snooze(LATER, NOW).get();

            assertThat(snoozed.snoozedUntil()).contains(LATER);
            assertThat(snoozed.hiddenAt(NOW)).isTrue();
            assertThat(snoozed.hiddenAt(LATER)).isFalse();
        }

        @Test
        void aSnoozeEndsAfterNow() {
            assertThat(onlyCode(task().snooze(NOW, NOW))).isEqualTo("task.snoozedUntil.notInFuture");
        }

        @Test
        void aSnoozeNeedsItsEnd() {
            assertThat(onlyCode(task().snooze(null, NOW))).isEqualTo("task.snoozedUntil.required");
        }

        @Test
        void aSnoozeEndsWithinWhatEveryStoreKeeps() {
            assertThat(onlyCode(task().snooze(Instant.parse("+10000-01-01T00:00:00Z"), NOW)))
                    .isEqualTo("task.snoozedUntil.afterLatest");
        }

        @Test
        void aTaskUnderExecutionIsNotSnoozed() {
            Task executing = stored().executing().build();

            assertThat(executing.snooze(LATER, NOW).getLeft()).isInstanceOf(TaskError.ExecutionUnderWay.class);
        }

        @Test
        void unsnoozeEndsTheSnoozeNow() {
            Task back = task().snooze(LATER, NOW).get().unsnooze(NOW).get();

            assertThat(back.snoozedUntil()).isEmpty();
            assertThat(back.hiddenAt(NOW)).isFalse();
        }

        @Test
        void aTaskThatIsNotSnoozedCannotBeUnsnoozed() {
            assertThat(onlyCode(task().unsnooze(NOW))).isEqualTo("task.snoozedUntil.notSnoozed");
        }

        @Test
        void aSnoozedScheduledTaskIsExecutedOnceItsSnoozeEnds() {
            Instant afterStart = START_AT.plus(Duration.ofHours(5));
            Task snoozed = scheduledEmail().snooze(afterStart, NOW).get();

            assertThat(snoozed.nextExecutionAt()).contains(afterStart);
            assertThat(snoozed.dueForExecution(START_AT)).isFalse();
            assertThat(snoozed.dueForExecution(afterStart)).isTrue();
        }

        @Test
        void aSnoozeEndingBeforeTheStartDoesNotMoveTheExecution() {
            Task snoozed = scheduledEmail().snooze(NOW.plusSeconds(60), NOW).get();

            assertThat(snoozed.nextExecutionAt()).contains(START_AT);
        }
    }

    @Nested
    class Reschedule {
        @Test
        void aShiftMovesStartAndDueByTheSameTime() {
            Task moved = task().reschedule(dev.taskengine.domain.Reschedule.by(Duration.ofHours(3)), NOW)
                    .get();

            assertThat(moved.schedule().startAt()).isEqualTo(START_AT.plus(Duration.ofHours(3)));
            assertThat(moved.schedule().dueTo()).isEqualTo(DUE_TO.plus(Duration.ofHours(3)));
        }

        @Test
        void startingAtKeepsTheDistanceToTheDueTime() {
            Instant start = Instant.parse("2024-06-01T08:00:00Z");

            Task moved = task().reschedule(dev.taskengine.domain.Reschedule.startingAt(start), NOW)
                    .get();

            assertThat(moved.schedule().startAt()).isEqualTo(start);
            assertThat(moved.schedule().dueTo()).isEqualTo(start.plus(Duration.between(START_AT, DUE_TO)));
        }

        @Test
        void aShiftBefore2015IsRefused() {
            assertThat(onlyCode(
                            task().reschedule(dev.taskengine.domain.Reschedule.by(Duration.ofDays(-365 * 10)), NOW)))
                    .isEqualTo("task.startAt.beforeEarliest");
        }

        @Test
        void aDueTimeNotAfterTheStartIsRefused() {
            assertThat(onlyCode(task().reschedule(dev.taskengine.domain.Reschedule.dueAt(START_AT), NOW)))
                    .isEqualTo("task.dueTo.notAfterStartAt");
        }

        @Test
        void aShiftBeyondAnyInstantIsRefusedNotThrown() {
            assertThat(task().reschedule(dev.taskengine.domain.Reschedule.by(Duration.ofSeconds(Long.MAX_VALUE)), NOW)
                            .isLeft())
                    .isTrue();
        }

        @Test
        void aRescheduleDecidesTheSendAgain() {
            Task deferred = scheduledEmail()
                    .deferred(new Deferral(START_AT.plusSeconds(600), "sending.outsideWindow"), NOW)
                    .get();

            Task moved = deferred.reschedule(dev.taskengine.domain.Reschedule.by(Duration.ofHours(1)), NOW)
                    .get();

            assertThat(moved.deferral()).isEmpty();
        }
    }

    @Nested
    class Pause {
        @Test
        void aPausedTaskIsHeldLikeASnooze() {
            Task paused = scheduledEmail()
                    .paused(START_AT.plus(Duration.ofDays(1)), NOW)
                    .get();

            assertThat(paused.hiddenAt(START_AT)).isTrue();
            assertThat(paused.nextExecutionAt()).contains(START_AT.plus(Duration.ofDays(1)));
        }

        @Test
        void theLaterOfSnoozeAndPauseHidesTheTask() {
            Task both = task().snooze(LATER, NOW)
                    .get()
                    .paused(LATER.plusSeconds(60), NOW)
                    .get();

            assertThat(both.hiddenUntil()).contains(LATER.plusSeconds(60));
            assertThat(both.hiddenAt(LATER)).isTrue();
        }

        @Test
        void aPauseEndsAfterNow() {
            assertThat(onlyCode(task().paused(NOW.minusSeconds(1), NOW))).isEqualTo("contact.pausedUntil.notInFuture");
        }

        @Test
        void resumeEndsTheHoldAndKeepsASnooze() {
            Task resumed = task().snooze(LATER, NOW)
                    .get()
                    .paused(LATER, NOW)
                    .get()
                    .resumed(NOW)
                    .get();

            assertThat(resumed.pausedUntil()).isEmpty();
            assertThat(resumed.snoozedUntil()).contains(LATER);
        }

        @Test
        void aTaskThatIsNotPausedCannotBeResumed() {
            assertThat(onlyCode(task().resumed(NOW))).isEqualTo("task.pausedUntil.notPaused");
        }

        @Test
        void aTaskCreatedForAPausedContactStartsHeld() {
            Task created = Task.create(
                            Fixtures.newToDo().build(), TemplateEngine.create(), NOW, () -> TaskId.of(1), LATER)
                    .get();

            assertThat(created.pausedUntil()).contains(LATER);
            assertThat(created.version()).isEqualTo(1);
        }

        @Test
        void aPauseThatEndedDoesNotHoldANewTask() {
            Task created = Task.create(
                            Fixtures.newToDo().build(),
                            TemplateEngine.create(),
                            NOW,
                            () -> TaskId.of(1),
                            NOW.minusSeconds(1))
                    .get();

            assertThat(created.pausedUntil()).isEmpty();
        }

        @Test
        void aTaskReopenedForAPausedContactIsHeld() {
            Task skipped = task().skip(NOW).get();

            Task reopened = skipped.reopen(ReopenReason.MANUAL, NOW, LATER).get();

            assertThat(reopened.pausedUntil()).contains(LATER);
        }
    }

    @Nested
    class Reminder {
        private final Task withReminder =
                stored().with(t -> t.remindAt = Optional.of(LATER)).build();

        @Test
        void aReminderIsDueAtItsTime() {
            assertThat(withReminder.reminderDue(LATER.minusSeconds(1))).isFalse();
            assertThat(withReminder.reminderDue(LATER)).isTrue();
        }

        @Test
        void remindingClearsTheReminderSoItIsEmittedOnce() {
            Task reminded = withReminder.reminded(LATER).get();

            assertThat(reminded.fields().remindAt()).isEmpty();
            assertThat(reminded.reminderDue(LATER)).isFalse();
        }

        @Test
        void aReminderNotDueIsNotEmitted() {
            assertThat(onlyCode(withReminder.reminded(NOW))).isEqualTo("task.remindAt.notDue");
        }

        @Test
        void closingATaskDropsItsReminderSnoozeAndPause() {
            Task held = withReminder.snooze(LATER, NOW).get().paused(LATER, NOW).get();

            Task done = held.complete(Completion.done(), NOW).get();

            assertThat(done.fields().remindAt()).isEmpty();
            assertThat(done.snoozedUntil()).isEmpty();
            assertThat(done.pausedUntil()).isEmpty();
            assertThat(done.reminded(LATER).getLeft()).isInstanceOf(TaskError.IllegalTransition.class);
        }

        @Test
        void aReminderBefore2015IsAViolationOfANewTask() {
            NewTask command = Fixtures.newToDo()
                    .remindAt(Instant.parse("2014-12-31T23:59:59Z"))
                    .build();

            assertThat(Task.create(command, TemplateEngine.create(), NOW, () -> TaskId.of(1))
                            .getLeft())
                    .isEqualTo(TaskError.InvalidInput.of(Violation.of(
                            "task.remindAt.beforeEarliest",
                            "/remindAt",
                            "must be on or after 2015-01-01T00:00:00Z, not 2014-12-31T23:59:59Z")));
        }
    }

    @Nested
    class Stale {
        private final StaleRule skipAfterADay = StaleRule.skipAfter(Duration.ofDays(1));
        private final Instant twoDaysLate = DUE_TO.plus(Duration.ofDays(2));

        @Test
        void aTaskOverdueByMoreThanTheRuleAllowsIsSkipped() {
            Task skipped = task().closedAsStale(skipAfterADay, twoDaysLate).get();

            assertThat(skipped.status()).isEqualTo(TaskStatus.SKIPPED);
            assertThat(skipped.times().skippedAt()).contains(twoDaysLate);
        }

        @Test
        void anArchivingRuleArchivesTheTaskAsSkipped() {
            Task archived = task().closedAsStale(StaleRule.archiveAfter(Duration.ofDays(1)), twoDaysLate)
                    .get();

            assertThat(archived.status()).isEqualTo(TaskStatus.ARCHIVED);
            assertThat(archived.times().skippedAt()).contains(twoDaysLate);
        }

        @Test
        void aTaskOverdueByLessIsNotStale() {
            assertThat(onlyCode(task().closedAsStale(skipAfterADay, DUE_TO.plus(Duration.ofHours(23)))))
                    .isEqualTo("task.dueTo.notStale");
        }

        @Test
        void aSnoozedTaskIsNotStale() {
            Task snoozed = task().snooze(twoDaysLate.plusSeconds(60), NOW).get();

            assertThat(skipAfterADay.takes(snoozed, twoDaysLate)).isFalse();
        }

        @Test
        void aTaskUnderExecutionIsNotStale() {
            assertThat(skipAfterADay.takes(stored().executing().build(), twoDaysLate))
                    .isFalse();
        }

        @Test
        void theRuleReasonIsStable() {
            assertThat(skipAfterADay.reason()).isEqualTo("staleRule: overdue by more than PT24H");
        }
    }
}
