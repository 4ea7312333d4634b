package dev.taskengine.api;

import dev.taskengine.domain.Task;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * One page of a query. {@code nextCursor} is present when more tasks follow: pass it to
 * {@code TaskQuery.Builder.after} with the same filters and sort. {@code total} is present only when asked for.
 */
public record TaskPage(List<Task> tasks, Optional<String> nextCursor, OptionalLong total) {
    public TaskPage {
        tasks = List.copyOf(tasks);
    }

    public boolean hasMore() {
        return nextCursor.isPresent();
    }
}
