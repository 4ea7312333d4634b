package dev.taskengine.domain;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * How a reschedule moves a task's times: {@link #by shifting both} start and due time by a duration, {@link #startingAt
 * starting at} a time (the due time keeps its distance from the start), or {@link #dueAt moving only the due time}.
 * The new times pass every rule a task's times pass ({@code startAt} on or after 2015, {@code dueTo} after
 * {@code startAt}), or that task is refused.
 */
public record Reschedule(Optional<Duration> shift, Optional<Instant> startAt, Optional<Instant> dueTo) {
    public Reschedule {
        Objects.requireNonNull(shift, "shift");
        Objects.requireNonNull(startAt, "startAt");
        Objects.requireNonNull(dueTo, "dueTo");
        int given = (shift.isPresent() ? 1 : 0) + (startAt.isPresent() ? 1 : 0) + (dueTo.isPresent() ? 1 : 0);
        if (given != 1) {
            throw new IllegalArgumentException(
                    "a reschedule shifts, sets the start, or sets the due time: one of them");
        }
    }

    public static Reschedule by(Duration shift) {
        return new Reschedule(Optional.of(shift), Optional.empty(), Optional.empty());
    }

    public static Reschedule startingAt(Instant startAt) {
        return new Reschedule(Optional.empty(), Optional.of(startAt), Optional.empty());
    }

    public static Reschedule dueAt(Instant dueTo) {
        return new Reschedule(Optional.empty(), Optional.empty(), Optional.of(dueTo));
    }

    /** The schedule moved as this says, or null for a time no store can keep (beyond any instant). */
    Schedule applyTo(Schedule schedule) {
        try {
            if (shift.isPresent()) {
                return schedule.withTimes(
                        schedule.startAt().plus(shift.get()), schedule.dueTo().plus(shift.get()));
            }
            if (startAt.isPresent()) {
                Duration length = Duration.between(schedule.startAt(), schedule.dueTo());
                return schedule.withTimes(startAt.get(), startAt.get().plus(length));
            }
            return schedule.withTimes(schedule.startAt(), dueTo.get());
        } catch (DateTimeException | ArithmeticException beyondAnyInstant) {
            return null;
        }
    }
}
