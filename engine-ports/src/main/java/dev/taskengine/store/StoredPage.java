package dev.taskengine.store;

import dev.taskengine.domain.Task;
import java.util.List;
import java.util.OptionalLong;

/** One page as a store answers it: the tasks in order, whether more follow, and the total when it was asked for. */
public record StoredPage(List<Task> tasks, boolean hasMore, OptionalLong total) {
    public StoredPage {
        tasks = List.copyOf(tasks);
        total = total == null ? OptionalLong.empty() : total;
    }
}
