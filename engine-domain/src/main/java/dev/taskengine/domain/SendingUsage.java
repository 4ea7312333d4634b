package dev.taskengine.domain;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Objects;

/**
 * What one sending account has sent recently: the instants of its sends, oldest first. Those of the last 24 hours
 * suffice for {@link SendingPolicy}; older ones are harmless.
 */
public record SendingUsage(List<Instant> sends) {
    private static final SendingUsage NONE = new SendingUsage(List.of());

    public SendingUsage {
        Objects.requireNonNull(sends, "sends");
        sends = sends.stream()
                .map(s -> Objects.requireNonNull(s, "a send"))
                .sorted()
                .toList();
    }

    /** Nothing sent. */
    public static SendingUsage none() {
        return NONE;
    }

    public static SendingUsage of(Instant... sends) {
        return new SendingUsage(Arrays.asList(sends));
    }

    public static SendingUsage of(Collection<Instant> sends) {
        return new SendingUsage(List.copyOf(sends));
    }
}
