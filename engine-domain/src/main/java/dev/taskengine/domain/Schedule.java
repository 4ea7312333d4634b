package dev.taskengine.domain;

import java.time.Instant;

/**
 * When a task is to be done: it starts at {@code startAt}, is due at {@code dueTo}, and, when {@code scheduled}, the
 * engine executes it (email and SMS) once it has started. Times may be null in a command: {@link Task#create} and
 * {@link Task#update} report what is missing.
 */
public record Schedule(Instant startAt, Instant dueTo, boolean scheduled) {
    public Schedule withTimes(Instant newStartAt, Instant newDueTo) {
        return new Schedule(newStartAt, newDueTo, scheduled);
    }

    public Schedule withScheduled(boolean value) {
        return new Schedule(startAt, dueTo, value);
    }

    /** The same schedule at the precision every store keeps. */
    Schedule micros() {
        return new Schedule(TaskRules.micros(startAt), TaskRules.micros(dueTo), scheduled);
    }
}
