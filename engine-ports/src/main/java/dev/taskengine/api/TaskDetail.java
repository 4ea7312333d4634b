package dev.taskengine.api;

import dev.taskengine.domain.DeliveryInfo;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.Task;
import java.util.List;
import java.util.Optional;

/**
 * A task as Reply's "full task detail" shows it: the task, its delivery info (derived from the contact by type), and its
 * content rendered with the contact's variables, only when asked for. For a closed task the content is its template,
 * which by then holds what was done or sent. {@code notes} are its notes, newest first, when asked for (empty otherwise).
 */
public record TaskDetail(
        Task task, Optional<DeliveryInfo> deliveryInfo, Optional<Rendering> content, List<HistoryEntry> notes) {
    public TaskDetail {
        notes = List.copyOf(notes);
    }
}
