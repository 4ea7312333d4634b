package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.START_AT;
import static dev.taskengine.domain.Fixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A scheduled send the sending policy deferred: when the task may be executed next, and what ends the deferral. */
class TaskDeferralTest {
    private static final Instant LATER = START_AT.plus(Duration.ofHours(3));
    private static final Deferral OUTSIDE_WINDOW = new Deferral(LATER, SendingDecision.OUTSIDE_WINDOW);

    private static Fixtures.StoredTask scheduled() {
        return stored().with(t -> t.scheduled = true);
    }

    private static Task deferred() {
        return scheduled().build().deferred(OUTSIDE_WINDOW, START_AT).get();
    }

    @Test
    void aScheduledTaskIsNextExecutedAtItsStart() {
        assertThat(scheduled().build().nextExecutionAt()).contains(START_AT);
    }

    @Test
    void aDeferredTaskIsNextExecutedWhenItsDeferralEnds() {
        assertThat(deferred().nextExecutionAt()).contains(LATER);
    }

    @Test
    void aDeferredTaskIsNotDueBeforeItsDeferralEnds() {
        assertThat(deferred().dueForExecution(LATER.minusNanos(1000))).isFalse();
        assertThat(deferred().dueForExecution(LATER)).isTrue();
    }

    @Test
    void aDeferralBeforeTheStartLeavesTheStartAsTheNextTime() {
        Task task = scheduled()
                .build()
                .deferred(new Deferral(START_AT.minusSeconds(60), SendingDecision.MINIMUM_GAP), NOW)
                .get();
        assertThat(task.nextExecutionAt()).contains(START_AT);
    }

    @Test
    void aFailedTaskWithItsRetryPlannedIsNextExecutedAtTheLaterOfRetryAndDeferral() {
        Task task = scheduled()
                .failedWith("timeout")
                .with(t -> t.retryAt = Optional.of(LATER.plusSeconds(60)))
                .build();
        assertThat(task.nextExecutionAt()).contains(LATER.plusSeconds(60));
    }

    @Test
    void aFailedTaskWithoutARetryIsNeverExecutedByTheScheduler() {
        assertThat(scheduled().failedWith("refused").build().nextExecutionAt()).isEmpty();
    }

    @Test
    void aTaskThatIsNotScheduledIsNeverExecutedByTheScheduler() {
        assertThat(stored().with(t -> t.scheduled = false).build().nextExecutionAt())
                .isEmpty();
    }

    @Test
    void aTaskBeingExecutedHasNoNextExecution() {
        assertThat(scheduled().executing().build().nextExecutionAt()).isEmpty();
    }

    @Test
    void aDeferralIsANewVersionKeepingEverythingElse() {
        Task task = scheduled().build();
        Task deferred = task.deferred(OUTSIDE_WINDOW, START_AT).get();
        assertThat(deferred.version()).isEqualTo(task.version() + 1);
        assertThat(deferred.deferral()).contains(OUTSIDE_WINDOW);
        assertThat(deferred.fields()).isEqualTo(task.fields());
        assertThat(deferred.status()).isEqualTo(task.status());
    }

    @Test
    void aTaskThatIsNotEmailOrSmsCannotBeDeferred() {
        Task call = scheduled().userTask(TaskType.CALL).build();
        assertThat(call.deferred(OUTSIDE_WINDOW, NOW).getLeft())
                .isEqualTo(new TaskError.NotExecutable(call.id(), TaskType.CALL));
    }

    @Test
    void aClosedTaskCannotBeDeferred() {
        Task finished = scheduled().in(TaskStatus.FINISHED).build();
        assertThat(finished.deferred(OUTSIDE_WINDOW, NOW).getLeft()).isInstanceOf(TaskError.IllegalTransition.class);
    }

    @Test
    void anExecutionUnderWayCanBeDeferredAndKeepsItsExecution() {
        Task executing = scheduled().executing().build();
        Task deferred = executing.deferred(OUTSIDE_WINDOW, NOW).get();
        assertThat(deferred.execution()).isEqualTo(executing.execution());
        assertThat(deferred.deferral()).contains(OUTSIDE_WINDOW);
    }

    @Test
    void startingTheExecutionEndsTheDeferral() {
        Task started = deferred().executionStarted(Fixtures.EXECUTION, LATER).get();
        assertThat(started.deferral()).isEmpty();
    }

    @Test
    void aTakenOverExecutionKeepsItsKeyAndEndsItsDeferral() {
        Task deferredExecution =
                scheduled().executing().build().deferred(OUTSIDE_WINDOW, NOW).get();
        Task takenOver = deferredExecution.executionTakenOver(LATER);
        assertThat(takenOver.execution()).isEqualTo(deferredExecution.execution());
        assertThat(takenOver.deferral()).isEmpty();
        assertThat(takenOver.version()).isEqualTo(deferredExecution.version() + 1);
    }

    @Test
    void reassigningEndsTheDeferralForTheNewAssigneesAccount() {
        assertThat(deferred().reassign(UserId.of(99), LATER).get().deferral()).isEmpty();
    }

    @Test
    void skippingEndsTheDeferral() {
        assertThat(deferred().skip(LATER).get().deferral()).isEmpty();
    }

    @Test
    void aDeferralEndsOnTheStoresPrecisionRoundedUpNeverDown() {
        Instant nanos = Instant.parse("2026-03-02T10:00:00.000000001Z");
        assertThat(new Deferral(nanos, SendingDecision.MINIMUM_GAP).until())
                .isEqualTo(Instant.parse("2026-03-02T10:00:00.000001Z"));
    }

    @Test
    void onlyAnActiveEmailOrSmsTaskCarriesADeferral() {
        Task deferred = deferred();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new Task(
                        deferred.id(),
                        deferred.tenant(),
                        deferred.version(),
                        TaskStatus.FINISHED,
                        deferred.fields(),
                        deferred.assignedUserId(),
                        deferred.origin(),
                        new Times(
                                deferred.times().createdAt(),
                                deferred.times().updatedAt(),
                                Optional.of(deferred.times().updatedAt()),
                                Optional.empty()),
                        deferred.reopening(),
                        deferred.callOutcome(),
                        deferred.failure(),
                        Optional.empty(),
                        deferred.deferral(),
                        java.util.Optional.empty(),
                        java.util.Optional.empty(),
                        TraceContext.NONE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("deferred");
    }
}
