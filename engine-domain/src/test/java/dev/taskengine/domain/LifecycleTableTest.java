package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.storedIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.vavr.control.Either;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The lifecycle of docs/specification.md as a table: rows are actions, columns are the state a task is in, cells what happens.
 *
 * <ul>
 *   <li>{@code →x}: allowed, the task moves to state {@code x};</li>
 *   <li>{@code same}: allowed, the task stays in its state (as a new version);</li>
 *   <li>{@code removed}: allowed, the store removes the task (the domain only says yes);</li>
 *   <li>{@code ✗}: refused with {@link TaskError.IllegalTransition} naming the action and the state.</li>
 * </ul>
 *
 * The subject is a sequence ManualEmail task, the one type for which every action (execute, detach) exists. Execute is
 * the engine's two steps, {@link Task#executionStarted} then {@link Task#executionSucceeded}; a refusal comes from the
 * first.
 */
class LifecycleTableTest {

    private static final String LIFECYCLE = """
                     new                inProgress         finished   skipped    cancelled  sequenceDetached  archived
            start    →inProgress        ✗                  ✗          ✗          ✗          ✗                 ✗
            update   same               same               ✗          ✗          ✗          ✗                 ✗
            reassign same               same               ✗          ✗          ✗          ✗                 ✗
            execute  →finished          →finished          ✗          ✗          ✗          ✗                 ✗
            complete →finished          →finished          ✗          ✗          ✗          ✗                 ✗
            skip     →skipped           →skipped           ✗          ✗          ✗          ✗                 ✗
            cancel   →cancelled         →cancelled         ✗          ✗          ✗          ✗                 ✗
            detach   →sequenceDetached  →sequenceDetached  ✗          ✗          ✗          ✗                 ✗
            reopen   ✗                  ✗                  →new       →new       ✗          ✗                 ✗
            archive  ✗                  ✗                  →archived  →archived  →archived  →archived         ✗
            delete   removed            removed            removed    removed    removed    removed           removed
            """;

    private static final Map<TaskAction, Map<TaskStatus, String>> TABLE = parse(LIFECYCLE);

    @Test
    void tableHasOneRowPerActionAndOneColumnPerStatus() {
        assertThat(TABLE).containsOnlyKeys(TaskAction.values());
        TABLE.values().forEach(row -> assertThat(row).containsOnlyKeys(TaskStatus.values()));
    }

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @MethodSource("cells")
    void eachActionInEachStateDoesWhatTheTableSays(TaskAction action, TaskStatus status, String cell) {
        Task task = storedIn(status);

        Either<TaskError, Task> result = apply(action, task);

        if (cell.equals("✗")) {
            assertThat(result.isLeft()).as("refused").isTrue();
            assertThat(result.getLeft()).isEqualTo(new TaskError.IllegalTransition(action, status));
        } else if (cell.equals("removed")) {
            assertThat(result.isRight()).as("allowed").isTrue();
            assertThat(result.get()).isSameAs(task);
        } else if (cell.equals("same")) {
            assertThat(result.isRight()).as("allowed").isTrue();
            assertThat(result.get().status()).isEqualTo(status);
            assertThat(result.get().version()).isEqualTo(task.version() + 1);
        } else {
            assertThat(result.isRight()).as("allowed").isTrue();
            assertThat(result.get().status()).isEqualTo(target(cell));
        }
    }

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @MethodSource("cells")
    void tableIsWhatTaskActionAllowsFrom(TaskAction action, TaskStatus status, String cell) {
        assertThat(action.allowedFrom(status)).isEqualTo(!cell.equals("✗"));
    }

    @Test
    void allowedFromSetsAreTheTableRows() {
        for (TaskAction action : TaskAction.values()) {
            Set<TaskStatus> allowed = EnumSet.noneOf(TaskStatus.class);
            TABLE.get(action).forEach((status, cell) -> {
                if (!cell.equals("✗")) {
                    allowed.add(status);
                }
            });
            assertThat(action.allowedFrom()).as(action.name()).isEqualTo(allowed);
        }
    }

    @Test
    void illegalTransitionNamesTheActionTheStateAndWhereItIsAllowedFrom() {
        TaskError error =
                storedIn(TaskStatus.CANCELLED).reopen(ReopenReason.MANUAL, NOW).getLeft();

        assertThat(error.code()).isEqualTo("task.illegalTransition");
        assertThat(error.message())
                .isEqualTo("cannot reopen a task that is cancelled; allowed from [finished, skipped]");
    }

    private static Either<TaskError, Task> apply(TaskAction action, Task task) {
        TemplateEngine templates = TemplateEngine.create();
        return switch (action) {
            case START -> task.start(NOW);
            case UPDATE -> task.update(TaskUpdate.from(task), templates, NOW);
            case REASSIGN -> task.reassign(UserId.of(8), NOW);
            case EXECUTE -> Fixtures.execute(task, Content.of("Hello Ada", "Hi Ada"), NOW);
            case COMPLETE -> task.complete(Completion.done(), NOW);
            case SKIP -> task.skip(NOW);
            case CANCEL -> task.cancel(NOW);
            case DETACH -> task.detach(NOW);
            case REOPEN -> task.reopen(ReopenReason.MANUAL, NOW);
            case ARCHIVE -> task.archive(NOW);
            case DELETE -> task.allows(TaskAction.DELETE);
        };
    }

    static Stream<Arguments> cells() {
        List<Arguments> cells = new ArrayList<>();
        TABLE.forEach((action, row) -> row.forEach((status, cell) -> cells.add(Arguments.of(action, status, cell))));
        return cells.stream();
    }

    private static TaskStatus target(String cell) {
        if (!cell.startsWith("→")) {
            throw new IllegalArgumentException("not a cell: " + cell);
        }
        return status(cell.substring(1));
    }

    private static TaskStatus status(String wireName) {
        return WireEnums.parse(TaskStatus.class, "/status", wireName)
                .getOrElseThrow(v -> new IllegalArgumentException(v.toString()));
    }

    private static Map<TaskAction, Map<TaskStatus, String>> parse(String table) {
        List<String> lines = table.lines().filter(line -> !line.isBlank()).toList();
        List<TaskStatus> columns = Arrays.stream(lines.get(0).trim().split("\\s+"))
                .map(LifecycleTableTest::status)
                .toList();
        Map<TaskAction, Map<TaskStatus, String>> rows = new EnumMap<>(TaskAction.class);
        for (String line : lines.subList(1, lines.size())) {
            String[] cells = line.trim().split("\\s+");
            if (cells.length != columns.size() + 1) {
                throw new IllegalArgumentException(
                        "row has " + (cells.length - 1) + " cells, not " + columns.size() + ": " + line);
            }
            Map<TaskStatus, String> row = new EnumMap<>(TaskStatus.class);
            for (int i = 0; i < columns.size(); i++) {
                row.put(columns.get(i), cells[i + 1]);
            }
            if (rows.put(TaskAction.valueOf(cells[0].toUpperCase(Locale.ROOT)), row) != null) {
                throw new IllegalArgumentException("duplicate row: " + line);
            }
        }
        return rows;
    }
}
