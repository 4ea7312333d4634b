package dev.taskengine.domain;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * What happened to a task: the type of a write's history entry and of the event that agrees with it. Every write of a
 * task records exactly one of these.
 */
public enum TaskEventType {
    CREATED,
    UPDATED,
    REASSIGNED,
    STARTED,
    /** The execution was recorded, before its message goes to the sender (or taken over after its engine died). */
    EXECUTION_STARTED,
    /** The sending policy deferred the scheduled send; the reason says why. */
    DEFERRED,
    EXECUTED,
    EXECUTION_FAILED,
    COMPLETED,
    SKIPPED,
    CANCELLED,
    DETACHED,
    REOPENED,
    ARCHIVED,
    DELETED,
    SNOOZED,
    UNSNOOZED,
    RESCHEDULED,
    /** The task's contact was paused; the task is held until the pause ends. */
    PAUSED,
    /** The task's contact was resumed before its pause ended. */
    RESUMED,
    /** A note was added; the task itself did not change. */
    NOTE_ADDED,
    /** The task's reminder time came: the reminder is emitted once, and the reminder time cleared. */
    REMINDED;

    private static final Map<String, TaskEventType> BY_EVENT_NAME =
            Stream.of(values()).collect(Collectors.toUnmodifiableMap(TaskEventType::eventName, Function.identity()));

    private final String wireName = lowerCamel(name());

    /** The type in lower camel case, as history shows it: {@code NOTE_ADDED} is {@code noteAdded}. */
    public String wireName() {
        return wireName;
    }

    /**
     * The type's name outside the process, as events carry it (a webhook's and the outbox's {@code type}, a
     * subscription's event types): {@code task.} and the wire name, such as {@code task.completed}.
     */
    public String eventName() {
        return "task." + wireName;
    }

    /** The type whose {@link #eventName()} is {@code name}, if there is one. */
    public static Optional<TaskEventType> ofEventName(String name) {
        return Optional.ofNullable(name == null ? null : BY_EVENT_NAME.get(name));
    }

    private static String lowerCamel(String constant) {
        String[] words = constant.toLowerCase(Locale.ROOT).split("_");
        StringBuilder camel = new StringBuilder(words[0]);
        for (int i = 1; i < words.length; i++) {
            camel.append(Character.toUpperCase(words[i].charAt(0))).append(words[i], 1, words[i].length());
        }
        return camel.toString();
    }
}
