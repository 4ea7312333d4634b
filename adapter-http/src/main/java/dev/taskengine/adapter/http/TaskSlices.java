package dev.taskengine.adapter.http;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.domain.Task;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.PriorityQueue;

/**
 * Offset paging ({@code skip}/{@code top}, {@code page}/{@code size}) on top of the engine's keyset paging: walks the
 * pages of one or more queries in their common sort order, merging them, and keeps the tasks at positions
 * {@code [skip, skip + take)}. Skipped tasks are counted, not kept. Several queries stand for a filter the engine takes
 * one value of (Reply's {@code sequenceIds}): their results are disjoint, and the merge keeps their order.
 */
final class TaskSlices {
    private static final int ENGINE_PAGE_MAX = 1000;
    private static final int MERGED_PAGE_MAX = 100;

    /** The tasks of a slice, whether any follow it, and the total when it was asked for. */
    record Slice(List<Task> tasks, boolean hasMore, OptionalLong total) {}

    private TaskSlices() {}

    /**
     * @param sources      queries with the same sort; their limit, cursor and total settings are ignored
     * @param includeTotal count the matching tasks (only for a single source)
     */
    static Slice slice(TaskEngine engine, List<TaskQuery> sources, int skip, int take, boolean includeTotal) {
        if (sources.isEmpty()) {
            return new Slice(List.of(), false, includeTotal ? OptionalLong.of(0) : OptionalLong.empty());
        }
        if (includeTotal && sources.size() != 1) {
            throw new IllegalArgumentException("a total is counted for a single query only");
        }
        Comparator<Task> order = sources.get(0).sort().comparator();
        long end = (long) skip + take;
        // One query reads in pages as large as the slice needs; several read smaller pages, as the merge takes from
        // each.
        int pageSize = (int) Math.min(sources.size() == 1 ? ENGINE_PAGE_MAX : MERGED_PAGE_MAX, end);
        PriorityQueue<Source> heads = new PriorityQueue<>((a, b) -> order.compare(a.peek(), b.peek()));
        List<Source> all = new ArrayList<>();
        for (TaskQuery query : sources) {
            Source source = new Source(engine, query, pageSize, includeTotal);
            all.add(source);
            if (source.peek() != null) {
                heads.add(source);
            }
        }
        List<Task> kept = new ArrayList<>();
        long position = 0;
        boolean lastMayHaveMore = false;
        while (position < end && !heads.isEmpty()) {
            Source next = heads.poll();
            Task task = next.take();
            if (position >= skip) {
                kept.add(task);
            }
            position++;
            if (position < end) {
                if (next.peek() != null) {
                    heads.add(next);
                }
            } else {
                // The slice is full: whether this source has more is known without fetching its next page.
                lastMayHaveMore = next.hasMoreWithoutFetching();
            }
        }
        boolean hasMore = !heads.isEmpty() || lastMayHaveMore;
        OptionalLong total = includeTotal ? all.get(0).total : OptionalLong.empty();
        return new Slice(kept, hasMore, total);
    }

    /** One query's tasks in order, fetched a page at a time. */
    private static final class Source {
        private final TaskEngine engine;
        private final TaskQuery query;
        private final int pageSize;
        private final Deque<Task> buffer = new ArrayDeque<>();
        private Optional<String> cursor = Optional.empty();
        private boolean exhausted;
        private boolean askTotal;
        private OptionalLong total = OptionalLong.empty();

        Source(TaskEngine engine, TaskQuery query, int pageSize, boolean askTotal) {
            this.engine = engine;
            this.query = query;
            this.pageSize = pageSize;
            this.askTotal = askTotal;
        }

        Task peek() {
            while (buffer.isEmpty() && !exhausted) {
                fetch();
            }
            return buffer.peekFirst();
        }

        /** Whether tasks follow, as far as the pages fetched so far tell (the engine's cursor means "more follow"). */
        boolean hasMoreWithoutFetching() {
            return !buffer.isEmpty() || !exhausted;
        }

        Task take() {
            Task task = peek();
            buffer.removeFirst();
            return task;
        }

        private void fetch() {
            TaskQuery page = query.toBuilder()
                    .limit(pageSize)
                    .after(cursor.orElse(null))
                    .includeTotal(askTotal)
                    .build();
            TaskPage answer = engine.query(page).getOrElseThrow(Refusal::of);
            if (askTotal) {
                total = answer.total();
                askTotal = false;
            }
            buffer.addAll(answer.tasks());
            cursor = answer.nextCursor();
            exhausted = cursor.isEmpty();
        }
    }
}
