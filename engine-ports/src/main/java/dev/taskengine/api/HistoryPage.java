package dev.taskengine.api;

import dev.taskengine.domain.HistoryEntry;
import java.util.List;
import java.util.Optional;

/** One page of history, newest first, and the cursor of the next page when there may be one. */
public record HistoryPage(List<HistoryEntry> entries, Optional<String> nextCursor) {
    public HistoryPage {
        entries = List.copyOf(entries);
        nextCursor = nextCursor == null ? Optional.empty() : nextCursor;
    }
}
