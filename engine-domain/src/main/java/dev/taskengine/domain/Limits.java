package dev.taskengine.domain;

import java.time.Instant;

/** Size and range limits, the same on every adapter (a database column never decides). */
public final class Limits {
    private Limits() {}

    /** Reply: "Must be on or after 2015-01-01". */
    public static final Instant EARLIEST_START = Instant.parse("2015-01-01T00:00:00Z");
    /** The last instant every supported database can store. */
    public static final Instant LATEST_TIME = Instant.parse("9999-12-31T23:59:59Z");

    public static final int BODY_MAX_CHARS = 65_536;
    public static final int SUBJECT_MAX_CHARS = 998;
    public static final int STEP_DISPLAY_NAME_MAX_CHARS = 200;
    public static final int ATTACHMENTS_MAX = 25;
    public static final int BATCH_MAX = 100;
    /** How many tasks one snooze, unsnooze or reschedule call changes at most. */
    public static final int BULK_MAX = 1000;

    public static final int NOTE_MAX_CHARS = 10_000;
    public static final int PAGE_MAX = 1000;
}
