package dev.taskengine.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.UUID;

/**
 * What one write did to one task, kept in the task's history in the same transaction as the write: who did it
 * ({@code actor}), when, what happened ({@code type}), the status before and after (absent before a creation and after a
 * deletion), every field that changed with its old and new value, the reason where there is one (a reopen's reason, the
 * stale rule's, a deferral's, a failure's) and, for {@link TaskEventType#NOTE_ADDED}, the note's text. The event of the
 * same write has the same id, type, version, time and actor: both are made from this entry.
 *
 * @param version the task's version after the write (the deleted version for a deletion; the current one for a note,
 *                which changes no version)
 */
public record HistoryEntry(
        UUID id,
        TenantId tenant,
        TaskId taskId,
        long version,
        Instant at,
        Actor actor,
        TaskEventType type,
        Optional<TaskStatus> statusBefore,
        Optional<TaskStatus> statusAfter,
        List<FieldChange> changes,
        Optional<String> reason,
        Optional<String> note) {

    public HistoryEntry {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(at, "at");
        Objects.requireNonNull(actor, "actor");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(statusBefore, "statusBefore");
        Objects.requireNonNull(statusAfter, "statusAfter");
        changes = List.copyOf(changes);
        Objects.requireNonNull(reason, "reason");
        Objects.requireNonNull(note, "note");
        if (note.isPresent() != (type == TaskEventType.NOTE_ADDED)) {
            throw new IllegalArgumentException("a note entry, and only one, carries the note's text");
        }
    }

    /** The entry of a created task: every field it has a value for, from none. */
    public static HistoryEntry created(UUID id, Task task, Actor actor) {
        return new HistoryEntry(
                id,
                task.tenant(),
                task.id(),
                task.version(),
                task.times().createdAt(),
                actor,
                TaskEventType.CREATED,
                Optional.empty(),
                Optional.of(task.status()),
                FieldChange.between(null, task),
                Optional.empty(),
                Optional.empty());
    }

    /** The entry of a change from {@code before} to {@code after} (the next version), at the change's time. */
    public static HistoryEntry changed(UUID id, TaskEventType type, Task before, Task after, Actor actor) {
        if (!before.id().equals(after.id()) || !before.tenant().equals(after.tenant())) {
            throw new IllegalArgumentException("a change is of one task");
        }
        return new HistoryEntry(
                id,
                after.tenant(),
                after.id(),
                after.version(),
                after.times().updatedAt(),
                actor,
                type,
                Optional.of(before.status()),
                Optional.of(after.status()),
                FieldChange.between(before, after),
                Optional.empty(),
                Optional.empty());
    }

    /** The entry of a deleted task, at {@code now}. */
    public static HistoryEntry deleted(UUID id, Task task, Actor actor, Instant now) {
        return new HistoryEntry(
                id,
                task.tenant(),
                task.id(),
                task.version(),
                TaskRules.micros(now),
                actor,
                TaskEventType.DELETED,
                Optional.of(task.status()),
                Optional.empty(),
                List.of(),
                Optional.empty(),
                Optional.empty());
    }

    /**
     * The entry of a note {@code actor} adds to {@code task} at {@code now}: {@code text} is 1 to
     * {@link Limits#NOTE_MAX_CHARS} characters of plain text (see {@link #noteViolations}), or the answer is every
     * violation.
     */
    public static io.vavr.control.Either<TaskError, HistoryEntry> note(
            UUID id, Task task, Actor actor, Instant now, String text) {
        List<Violation> violations = noteViolations(text);
        if (!violations.isEmpty()) {
            return io.vavr.control.Either.left(new TaskError.InvalidInput(violations));
        }
        return io.vavr.control.Either.right(new HistoryEntry(
                id,
                task.tenant(),
                task.id(),
                task.version(),
                TaskRules.micros(now),
                actor,
                TaskEventType.NOTE_ADDED,
                Optional.of(task.status()),
                Optional.of(task.status()),
                List.of(),
                Optional.empty(),
                Optional.of(text)));
    }

    /** What is wrong with {@code text} as a note: blank, longer than {@link Limits#NOTE_MAX_CHARS}, control characters. */
    public static List<Violation> noteViolations(String text) {
        if (text == null || text.isBlank()) {
            return List.of(Violation.of("note.text.required", "/text", "a note has text"));
        }
        return Texts.check("/text", text, Limits.NOTE_MAX_CHARS).stream()
                .map(v -> Violation.of(v.code().replaceFirst("^task\\.", "note."), v.pointer(), v.message()))
                .toList();
    }

    /** The same entry with {@code value} as its reason. */
    public HistoryEntry withReason(String value) {
        return new HistoryEntry(
                id,
                tenant,
                taskId,
                version,
                at,
                actor,
                type,
                statusBefore,
                statusAfter,
                changes,
                Optional.of(value),
                note);
    }
}
