package dev.taskengine.bench.production;

import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;

/**
 * The failed calls of a load run, by kind: an answer with an unexpected status ({@code HTTP 500}) or the class of the
 * exception ({@code HttpTimeoutException}), each with the first message of its kind. Thread-safe.
 */
final class ErrorCounts {
    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, String> firstMessages = new ConcurrentHashMap<>();

    void record(Exception error) {
        String kind = error instanceof TaskApiClient.UnexpectedAnswer answer
                ? "HTTP " + answer.status()
                : error.getClass().getSimpleName();
        counts.computeIfAbsent(kind, k -> new LongAdder()).increment();
        firstMessages.putIfAbsent(kind, String.valueOf(error.getMessage()));
    }

    /** {@code count} failures of a kind the run itself names, such as requests it stopped before they finished. */
    void record(String kind, long count, String message) {
        counts.computeIfAbsent(kind, k -> new LongAdder()).add(count);
        firstMessages.putIfAbsent(kind, message);
    }

    long total() {
        return counts.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** {@code HTTP 500 ×3 (first: …); HttpTimeoutException ×1 (first: …)}, or {@code none}. */
    String describe() {
        if (counts.isEmpty()) {
            return "none";
        }
        return new TreeMap<>(counts)
                .entrySet().stream()
                        .map(e -> e.getKey() + " ×" + e.getValue().sum() + " (first: " + firstMessages.get(e.getKey())
                                + ")")
                        .collect(Collectors.joining("; "));
    }
}
