package dev.taskengine.domain;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;

/**
 * What one sending account has sent, in counts: the sends of the 24 hours and of the hour before an instant, and the
 * latest send. Enough to tell that further sends stay within every limit ({@link SendingPolicy#fitWithin}) without
 * reading the sends themselves; {@link SendingUsage} is needed only when they might not. A count may be above the
 * sends it stands for (a store that counts whole hours, say), never below: it then only sends the caller to the sends
 * more often.
 */
public record SendingCounts(long inLastDay, long inLastHour, Optional<Instant> latest) {
    public SendingCounts {
        Objects.requireNonNull(latest, "latest");
        if (inLastDay < 0 || inLastHour < 0 || inLastHour > inLastDay) {
            throw new IllegalArgumentException(
                    "counts of sends are not negative, and an hour holds no more than its day: " + inLastDay + ", "
                            + inLastHour);
        }
    }
}
