package dev.taskengine.example;

import java.time.Clock;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

/** A clock the example moves by hand, so that a deferred send can be shown coming due without waiting for it. */
final class SettableClock extends Clock {
    private final AtomicReference<Instant> now;
    private final ZoneId zone;

    SettableClock(Instant start) {
        this(new AtomicReference<>(Objects.requireNonNull(start, "start")), ZoneOffset.UTC);
    }

    private SettableClock(AtomicReference<Instant> now, ZoneId zone) {
        this.now = now;
        this.zone = zone;
    }

    /** Moves this clock, and every clock {@link #withZone} made from it, to {@code value}. */
    void set(Instant value) {
        now.set(Objects.requireNonNull(value, "value"));
    }

    @Override
    public Instant instant() {
        return now.get();
    }

    @Override
    public ZoneId getZone() {
        return zone;
    }

    @Override
    public Clock withZone(ZoneId value) {
        return new SettableClock(now, Objects.requireNonNull(value, "zone"));
    }
}
