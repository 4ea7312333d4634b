package dev.taskengine.domain;

import java.time.Instant;
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

    private static final List<Function<Task, Optional<String>>> VALUES = List.of(
            t -> Optional.of(t.type().wireName()),
            t -> t.fields().linkedInTaskType().map(LinkedInTaskType::wireName),
            t -> t.fields().contactId().map(ContactId::toString),
            t -> Optional.of(t.assignedUserId().toString()),
            t -> Optional.of(t.fields().priority().wireName()),
            t -> Optional.of(t.schedule().startAt().toString()),
            t -> Optional.of(t.schedule().dueTo().toString()),
            t -> Optional.of(Boolean.toString(t.schedule().scheduled())),
            t -> t.fields().remindAt().map(Instant::toString),
            t -> t.fields().template().subject(),
            t -> Optional.of(t.fields().template().body()),
            t -> t.fields().template().attachmentIds().isEmpty()
                    ? Optional.empty()
                    : Optional.of(t.fields().template().attachmentIds().stream()
                            .map(String::valueOf)
                            .collect(Collectors.joining(","))),
            t -> t.snoozedUntil().map(Instant::toString),
            t -> t.pausedUntil().map(Instant::toString),
            t -> t.deferral().map(d -> d.until().toString()),
            t -> t.failure().reason());

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
            Function<Task, Optional<String>> value = VALUES.get(i);
            Optional<String> was = before == null ? Optional.empty() : value.apply(before);
            Optional<String> is = value.apply(after);
            if (!was.equals(is)) {
                changes.add(new FieldChange(FIELDS.get(i), was, is));
            }
        }
        return List.copyOf(changes);
    }
}
