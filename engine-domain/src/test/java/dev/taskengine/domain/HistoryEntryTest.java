package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.stored;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** What a write records: the fields that changed, with old and new values, and the status before and after. */
class HistoryEntryTest {
    private static final UUID ID = UUID.fromString("00000000-0000-0000-0000-000000000001");
    private static final Actor REP = Actor.user(7);

    @Test
    void aChangeRecordsExactlyTheFieldsThatChangedWithOldAndNewValues() {
        Task before = stored().build();
        Task after = before.update(
                        TaskUpdate.from(before)
                                .withPriority(Priority.HOT)
                                .withTimes(
                                        before.schedule().startAt().plus(Duration.ofHours(1)),
                                        before.schedule().dueTo()),
                        TemplateEngine.create(),
                        NOW)
                .get();

        HistoryEntry entry = HistoryEntry.changed(ID, TaskEventType.UPDATED, before, after, REP);

        assertThat(entry.changes())
                .containsExactly(
                        new FieldChange("priority", Optional.of("today"), Optional.of("hot")),
                        new FieldChange(
                                "startAt", Optional.of("2024-05-07T09:00:00Z"), Optional.of("2024-05-07T10:00:00Z")));
        assertThat(entry.statusBefore()).contains(TaskStatus.NEW);
        assertThat(entry.statusAfter()).contains(TaskStatus.NEW);
        assertThat(entry.version()).isEqualTo(after.version());
        assertThat(entry.at()).isEqualTo(after.times().updatedAt());
        assertThat(entry.actor()).isEqualTo(REP);
    }

    @Test
    void aReassignRecordsTheAssigneeBeforeAndAfter() {
        Task before = stored().build();
        Task after = before.reassign(UserId.of(8), NOW).get();

        assertThat(HistoryEntry.changed(ID, TaskEventType.REASSIGNED, before, after, REP)
                        .changes())
                .containsExactly(new FieldChange("assignedUserId", Optional.of("7"), Optional.of("8")));
    }

    @Test
    void aSnoozeRecordsItsEndFromNone() {
        Task before = stored().build();
        Instant until = NOW.plus(Duration.ofDays(1));
        Task after = before.snooze(until, NOW).get();

        assertThat(HistoryEntry.changed(ID, TaskEventType.SNOOZED, before, after, REP)
                        .changes())
                .containsExactly(new FieldChange("snoozedUntil", Optional.empty(), Optional.of(until.toString())));
    }

    @Test
    void aCreationRecordsEveryFieldItHasAValueFor() {
        Task created = stored().build();

        List<String> fields = HistoryEntry.created(ID, created, REP).changes().stream()
                .map(FieldChange::field)
                .toList();

        assertThat(fields)
                .containsExactly(
                        "taskType",
                        "contactId",
                        "assignedUserId",
                        "priority",
                        "startAt",
                        "dueTo",
                        "scheduled",
                        "template.subject",
                        "template.body",
                        "template.attachmentIdList");
        assertThat(HistoryEntry.created(ID, created, REP).statusBefore()).isEmpty();
    }

    @Test
    void aDeletionRecordsTheLastStatusAndNoFields() {
        HistoryEntry entry = HistoryEntry.deleted(ID, stored().build(), REP, NOW);

        assertThat(entry.statusBefore()).contains(TaskStatus.NEW);
        assertThat(entry.statusAfter()).isEmpty();
        assertThat(entry.changes()).isEmpty();
        assertThat(entry.type()).isEqualTo(TaskEventType.DELETED);
    }

    @Test
    void aNoteKeepsItsTextAndChangesNoVersion() {
        Task task = stored().build();

        HistoryEntry note =
                HistoryEntry.note(ID, task, REP, NOW, "Called, back on Monday").get();

        assertThat(note.note()).contains("Called, back on Monday");
        assertThat(note.version()).isEqualTo(task.version());
        assertThat(note.type()).isEqualTo(TaskEventType.NOTE_ADDED);
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void aBlankNoteIsRefused(String text) {
        assertThat(HistoryEntry.noteViolations(text))
                .extracting(Violation::code)
                .containsExactly("note.text.required");
    }

    @Test
    void aNoteLongerThanTheLimitIsRefused() {
        assertThat(HistoryEntry.noteViolations("x".repeat(Limits.NOTE_MAX_CHARS + 1)))
                .extracting(Violation::code)
                .containsExactly("note.text.tooLong");
    }

    @Test
    void aNoteWithAControlCharacterIsRefused() {
        assertThat(HistoryEntry.noteViolations("ring\u0007"))
                .extracting(Violation::code)
                .containsExactly("note.text.controlCharacter");
    }

    @Test
    void onlyANoteEntryCarriesNoteText() {
        HistoryEntry created = HistoryEntry.created(ID, stored().build(), REP);

        assertThatThrownBy(() -> new HistoryEntry(
                        created.id(),
                        created.tenant(),
                        created.taskId(),
                        created.version(),
                        created.at(),
                        created.actor(),
                        TaskEventType.UPDATED,
                        created.statusBefore(),
                        created.statusAfter(),
                        created.changes(),
                        Optional.empty(),
                        Optional.of("text")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void everyComparedFieldHasOneValueReader() {
        assertThat(FieldChange.FIELDS).doesNotHaveDuplicates().hasSize(16);
    }
}
