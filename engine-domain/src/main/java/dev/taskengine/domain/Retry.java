package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;

/** When the scheduler tries a failed execution again. */
public record Retry(Instant at) {
    public Retry {
        Objects.requireNonNull(at, "at");
    }

    public static Retry at(Instant at) {
        return new Retry(at);
    }
}
