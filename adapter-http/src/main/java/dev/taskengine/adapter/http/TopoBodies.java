package dev.taskengine.adapter.http;

/**
 * The request bodies of the Topo dialect, read by {@link JsonBodies} (snake_case, unknown fields refused). Ids and
 * enum names stay text here: the routes read them as Topo's UUIDs and names.
 */
final class TopoBodies {
    private TopoBodies() {}

    record Reassign(String assigneeUserId, String scope) {}

    record Skip() {}

    record Reopen(String reason) {}

    record Snooze(java.time.Instant snoozedUntil) {}
}
