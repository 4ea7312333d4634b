package dev.taskengine.adapter.jdbi;

import dev.taskengine.domain.Reopening;
import dev.taskengine.domain.Task;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Types;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import org.jdbi.v3.core.argument.Argument;

/**
 * Instants in and out of {@code TIMESTAMP WITH TIME ZONE} columns, always as UTC offsets, never through the JVM's
 * default time zone.
 *
 * <p>Stored times have microsecond precision (the domain truncates every time it makes; a task rebuilt by a host with
 * finer times is truncated the same way here rather than rounded by the database). A time a query compares against
 * may be finer: {@link #ceilMicros} turns such bounds into microsecond ones that select exactly the same stored times,
 * and {@link #clamp} keeps them within what both databases can bind.
 */
final class SqlTimes {
    /** Query bounds are kept within these; every stored time lies between them (the domain bounds start and due times by Limits). */
    static final Instant FLOOR = Instant.parse("0001-01-01T00:00:00Z");

    static final Instant CEILING = Instant.parse("9999-12-31T23:59:59.999999Z");

    private SqlTimes() {}

    /** A time to store, as its microsecond truncation in UTC. */
    static Argument stored(Instant instant) {
        OffsetDateTime value = storedValue(instant);
        return (position, statement, context) -> statement.setObject(position, value);
    }

    /** Sets a time to store on a prepared statement, as {@link #stored(Instant)} binds it. */
    static void set(PreparedStatement statement, int position, Instant instant) throws SQLException {
        statement.setObject(position, storedValue(instant));
    }

    /** Sets an optional time to store; absent is SQL NULL. */
    static void set(PreparedStatement statement, int position, Optional<Instant> instant) throws SQLException {
        if (instant.isPresent()) {
            set(statement, position, instant.get());
        } else {
            statement.setNull(position, Types.TIMESTAMP_WITH_TIMEZONE);
        }
    }

    private static OffsetDateTime storedValue(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }

    /**
     * A lower bound ({@code s >= x}) or strict upper bound ({@code s < x}) of a query, turned into a microsecond
     * instant that selects exactly the same stored times (see {@link #ceilMicros}) and that both databases can bind.
     */
    static Argument bound(Instant instant) {
        return stored(bounded(instant));
    }

    /** The instant {@link #bound} binds. */
    static Instant bounded(Instant instant) {
        return ceilMicros(clamp(instant));
    }

    /**
     * The least microsecond instant not before {@code instant}. For a stored (microsecond) time {@code s}:
     * {@code s >= x} exactly when {@code s >= ceilMicros(x)}, and {@code s < x} exactly when {@code s < ceilMicros(x)}.
     */
    static Instant ceilMicros(Instant instant) {
        Instant truncated = instant.truncatedTo(ChronoUnit.MICROS);
        return truncated.equals(instant) ? instant : truncated.plus(1, ChronoUnit.MICROS);
    }

    static boolean isMicros(Instant instant) {
        return instant.getNano() % 1_000 == 0;
    }

    /** Whether every time of {@code task} is stored as it is (the domain makes microsecond times; a host may not). */
    static boolean storedExactly(Task task) {
        return isMicros(task.times().createdAt())
                && isMicros(task.times().updatedAt())
                && isMicros(task.schedule().startAt())
                && isMicros(task.schedule().dueTo())
                && task.times().finishedAt().map(SqlTimes::isMicros).orElse(true)
                && task.times().skippedAt().map(SqlTimes::isMicros).orElse(true)
                && task.reopening().map(Reopening::at).map(SqlTimes::isMicros).orElse(true)
                && task.failure().retryAt().map(SqlTimes::isMicros).orElse(true)
                && task.execution().map(e -> isMicros(e.startedAt())).orElse(true)
                && task.deferral().map(d -> isMicros(d.until())).orElse(true)
                && task.fields().remindAt().map(SqlTimes::isMicros).orElse(true)
                && task.snoozedUntil().map(SqlTimes::isMicros).orElse(true)
                && task.pausedUntil().map(SqlTimes::isMicros).orElse(true);
    }

    static Instant clamp(Instant instant) {
        if (instant.isBefore(FLOOR)) {
            return FLOOR;
        }
        return instant.isAfter(CEILING) ? CEILING : instant;
    }

    static Instant read(OffsetDateTime value) {
        return value.toInstant();
    }
}
