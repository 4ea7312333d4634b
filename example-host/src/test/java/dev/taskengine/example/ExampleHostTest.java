package dev.taskengine.example;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class ExampleHostTest {
    private static String transcript;

    @BeforeAll
    static void walkTheDay() {
        transcript = ExampleHost.transcript(
                Clock.fixed(Instant.parse("2026-03-02T08:00:00Z"), ZoneOffset.UTC),
                new dev.taskengine.adapter.memory.InMemoryTaskStore());
    }

    @Test
    void rendersContentWithTheContactsVariablesAndEscapesHtmlOnlyForEmail() {
        assertThat(transcript)
                .contains("[Pilot for Analytical Engines] Hi Ada, the pilot for Analytical Engines is ready.");
        assertThat(transcript).contains("Hello Ada, a quick idea for Analytical Engines.");
    }

    @Test
    void derivesDeliveryInfoByType() {
        assertThat(transcript).contains("ada@analytical.example").contains("+1 202 555 0102");
    }

    @Test
    void reassignsAWholeSequenceInOneStep() {
        assertThat(transcript).contains("sequence 501: 6 active tasks moved to Lee in one step");
    }

    @Test
    void answersABadRequestWithEveryViolation() {
        assertThat(transcript)
                .contains(
                        "task.assignedUserId.invalid",
                        "task.linkedInTaskType.notLinkedInTask",
                        "task.startAt.beforeEarliest",
                        "task.dueTo.notAfterStartAt",
                        "task.template.body.syntax");
    }

    @Test
    void refusesAnIllegalTransitionByName() {
        assertThat(transcript).contains("starting it again is refused: task.illegalTransition");
    }

    @Test
    void reportsBatchFailuresPerId() {
        assertThat(transcript).contains("999999 refused: task.notFound");
    }

    @Test
    void findsLeesTasksDueToday() {
        assertThat(transcript).contains("6 of 6 shown");
    }

    @Test
    void executesAScheduledEmailAutomaticallyAndMarksAFailingSmsFailed() {
        assertThat(transcript).containsPattern("\\d+\\s+manualEmail\\s+finished\\s+false\\s+-\\n");
        assertThat(transcript).containsPattern("\\d+\\s+sms\\s+new\\s+true\\s+carrier rejected the number");
        assertThat(transcript)
                .containsPattern(
                        "alan@bletchley.example\\s+1001\\s+acme-run-1/\\d+/2\\s+-\\s+Hi Alan, here is the deck.");
    }

    @Test
    void defersAScheduledEmailThatComesDueAfterHoursToTheNextMorningInTheContactsZone() {
        assertThat(transcript)
                .containsPattern("clock Mon 18:00 New York \\(Mon 23:00 UTC\\): manualEmail \\d+ due, still new,"
                        + " deferred until Tue 09:00 New York \\(sending.outsideWindow\\)\n");
    }

    @Test
    void sendsTheDeferredEmailWhenTheSchedulerPollsAfterTheWindowOpens() {
        assertThat(transcript)
                .containsPattern("clock moved to Tue 09:00 New York, pollOnce: manualEmail \\d+ finished,"
                        + " sent to katherine@langley.example\n");
    }

    @Test
    void hidesASnoozedTaskFromMyTasksNowAndShowsItAgainWhenTheSnoozeEnds() {
        assertThat(transcript)
                .containsPattern("Mon 08:00\\s+call (\\d+) snoozed until Mon 10:00\\s+(\\d+ )+\\d+\\s+\\1\\n")
                .containsPattern("Mon 10:00\\s+the snooze ends, nobody acts: back\\s+(\\d+ )+\\d+\\s+-\\n");
    }

    @Test
    void handsLeesActiveTasksToSamAndRiaRoundRobinAndKeepsHisFinishedTask() {
        assertThat(transcript)
                .containsPattern("manualEmail\\s+new\\s+Step 1 - Email\\s+Sam\\s+moved \\(v3\\)")
                .containsPattern("call\\s+new\\s+Step 2 - Call\\s+Ria\\s+moved \\(v4\\)")
                .containsPattern("linkedIn\\s+finished\\s+Step 3 - LinkedIn\\s+Lee\\s+not moved: finished")
                .contains("5 moved in 1 batch(es), 0 refused; Lee has 0 active tasks left");
    }

    @Test
    void aHandOverRunAgainMovesNoTaskTwice() {
        assertThat(transcript).contains("run again: 0 moved, no task moves twice");
    }

    @Test
    void printsTheHistoryOfATaskNewestFirstWithActorsChangesAndReasons() {
        String history = transcript.substring(transcript.indexOf("== 13."), transcript.indexOf("== 14."));
        assertThat(history)
                .containsSubsequence(
                        "Mia    reassigned  new -> new  assignedUserId Lee -> Ria",
                        "handOver: from user:13",
                        "Lee    note_added",
                        "Ada asked to be called after lunch",
                        "Lee    snoozed     new -> new  snoozedUntil - -> Mon 10:00",
                        "Sam    reassigned  new -> new  assignedUserId Sam -> Lee",
                        "Sam    created     - -> new    assignedUserId - -> Sam");
    }
}
