package dev.taskengine.domain;

import java.time.LocalDate;
import java.util.Arrays;
import java.util.Objects;
import java.util.Set;

/**
 * The dates on which nothing is sent automatically. A date is judged in the recipient's zone (or, without one, in the
 * zone of the {@link SendingWindows}): the whole local day, midnight to midnight, is closed.
 */
public record Holidays(Set<LocalDate> dates) {
    private static final Holidays NONE = new Holidays(Set.of());

    public Holidays {
        dates = Set.copyOf(Objects.requireNonNull(dates, "dates"));
    }

    /** No holiday. */
    public static Holidays none() {
        return NONE;
    }

    public static Holidays of(LocalDate... dates) {
        return new Holidays(Set.copyOf(Arrays.asList(dates)));
    }

    public boolean contains(LocalDate date) {
        return dates.contains(date);
    }
}
