package dev.taskengine.domain;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * One field of a task that a write changed, with its value before and after as text (absent when the field had or has
 * none). Field names are the Reply dialect's ({@code assignedUserId}, {@code startAt}, {@code template.body}, …); times
 * are ISO-8601 instants, enums their wire names.
 */
public record FieldChange(String field, Optional<String> before, Optional<String> after) {
    public FieldChange {
        Objects.requireNonNull(field, "field");
        Objects.requireNonNull(before, "before");
        Objects.requireNonNull(after, "after");
    }

    /** The fields {@link #between} compares, in the order it lists them. */
    public static final List<String> FIELDS = List.of(
            "taskType",
            "linkedInTaskType",
            "contactId",
            "assignedUserId",
            "priority",
            "startAt",
            "dueTo",
            "scheduled",
            "remindAt",
            "template.subject",
            "template.body",
            "template.attachmentIdList",
            "snoozedUntil",
            "pausedUntil",
            "deferredUntil",
            "failureReason");

    /** A compared field: its value in a task (compared as it is), and that value as text (made only when it changed). */
    private record Field(Function<Task, Optional<?>> value, Function<Object, String> text) {
        static Field of(Function<Task, Optional<?>> value) {
            return new Field(value, String::valueOf);
        }
    }

    private static final List<Field> VALUES = List.of(
            new Field(t -> Optional.of(t.type()), v -> ((TaskType) v).wireName()),
            new Field(t -> t.fields().linkedInTaskType(), v -> ((LinkedInTaskType) v).wireName()),
            Field.of(t -> t.fields().contactId()),
            Field.of(t -> Optional.of(t.assignedUserId())),
            new Field(t -> Optional.of(t.fields().priority()), v -> ((Priority) v).wireName()),
            Field.of(t -> Optional.of(t.schedule().startAt())),
            Field.of(t -> Optional.of(t.schedule().dueTo())),
            Field.of(t -> Optional.of(t.schedule().scheduled())),
            Field.of(t -> t.fields().remindAt()),
            Field.of(t -> t.fields().template().subject()),
            Field.of(t -> Optional.of(t.fields().template().body())),
            new Field(
                    t -> t.fields().template().attachmentIds().isEmpty()
                            ? Optional.empty()
                            : Optional.of(t.fields().template().attachmentIds()),
                    v -> ((List<?>) v).stream().map(String::valueOf).collect(Collectors.joining(","))),
            Field.of(Task::snoozedUntil),
            Field.of(Task::pausedUntil),
            Field.of(t -> t.deferral().map(Deferral::until)),
            Field.of(t -> t.failure().reason()));

    /**
     * Every field whose value differs between {@code before} and {@code after}, in {@link #FIELDS} order; a task's
     * creation ({@code before} null) lists every field it has a value for, its deletion ({@code after} null) nothing.
     */
    public static List<FieldChange> between(Task before, Task after) {
        if (after == null) {
            return List.of();
        }
        List<FieldChange> changes = new ArrayList<>();
        for (int i = 0; i < FIELDS.size(); i++) {
            Field field = VALUES.get(i);
            Optional<?> was = before == null ? Optional.empty() : field.value().apply(before);
            Optional<?> is = field.value().apply(after);
            if (!was.equals(is)) {
                changes.add(new FieldChange(FIELDS.get(i), was.map(field.text()), is.map(field.text())));
            }
        }
        return List.copyOf(changes);
    }
}
