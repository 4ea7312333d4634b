package dev.taskengine.adapter.http;

import java.time.Duration;
import java.util.Objects;

/**
 * How the HTTP adapter behaves.
 *
 * @param enumStyle          how enums are written in Reply answers: camelCase names (default) or Reply's integer codes;
 *                           requests are accepted in both forms either way
 * @param rateLimitPerMinute requests one API key may make per minute; 0 (default) turns the limit off. Reply's is 100.
 * @param stopTimeout        how long a stop waits for requests in flight to finish
 */
public record HttpSettings(EnumStyle enumStyle, int rateLimitPerMinute, Duration stopTimeout) {

    /** The form enums take in answers. */
    public enum EnumStyle {
        /** camelCase names such as {@code manualEmail}. */
        NAMES,
        /** Reply's integer codes such as {@code 7}. */
        CODES
    }

    public HttpSettings {
        Objects.requireNonNull(enumStyle, "enumStyle");
        Objects.requireNonNull(stopTimeout, "stopTimeout");
        if (rateLimitPerMinute < 0) {
            throw new IllegalArgumentException("the rate limit is 0 (off) or a positive number of requests a minute");
        }
        if (stopTimeout.isNegative()) {
            throw new IllegalArgumentException("the stop timeout is not negative");
        }
    }

    /** Names, no rate limit, 30 seconds for requests in flight at stop. */
    public static HttpSettings defaults() {
        return new HttpSettings(EnumStyle.NAMES, 0, Duration.ofSeconds(30));
    }

    public HttpSettings withEnumStyle(EnumStyle value) {
        return new HttpSettings(value, rateLimitPerMinute, stopTimeout);
    }

    public HttpSettings withRateLimitPerMinute(int value) {
        return new HttpSettings(enumStyle, value, stopTimeout);
    }

    public HttpSettings withStopTimeout(Duration value) {
        return new HttpSettings(enumStyle, rateLimitPerMinute, value);
    }
}
