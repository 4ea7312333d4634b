package dev.taskengine.store;

import dev.taskengine.domain.HistoryEntry;
import java.util.List;
import java.util.OptionalLong;

/**
 * One page of history as a store answers it, newest first; {@code next} is the position to ask before for the next page,
 * when more entries may follow.
 */
public record StoredHistory(List<HistoryEntry> entries, OptionalLong next) {
    public StoredHistory {
        entries = List.copyOf(entries);
        next = next == null ? OptionalLong.empty() : next;
    }
}
