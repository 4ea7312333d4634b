package dev.taskengine.domain;

import static dev.taskengine.domain.Fixtures.NOW;
import static dev.taskengine.domain.Fixtures.storedIn;
import static org.assertj.core.api.Assertions.assertThat;

import io.vavr.control.Either;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
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
 *   <li>{@code noted}: allowed, the task itself does not change (a note is kept in its history);</li>
 *   <li>{@code ✗}: refused with {@link TaskError.IllegalTransition} naming the action and the state.</li>
 * </ul>
 *
 * The subject is a sequence ManualEmail task, the one type for which every action (execute, detach) exists. Execute is
 * the engine's two steps, {@link Task#executionStarted} then {@link Task#executionSucceeded}; a refusal comes from the
 * first. Unsnooze, resume, remind and closeStale apply to a task that is snoozed, paused, has a reminder due, or is
 * overdue by more than the stale rule allows ({@link #prepared}); snooze and pause refused while executing are covered
 * by the actions' own tests.
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
            snooze     same             same               ✗          ✗          ✗          ✗                 ✗
            unsnooze   same             same               ✗          ✗          ✗          ✗                 ✗
            reschedule same             same               ✗          ✗          ✗          ✗                 ✗
            pause      same             same               ✗          ✗          ✗          ✗                 ✗
            resume     same             same               ✗          ✗          ✗          ✗                 ✗
            remind     same             same               ✗          ✗          ✗          ✗                 ✗
            closeStale →skipped         →skipped           ✗          ✗          ✗          ✗                 ✗
            addNote    noted            noted              noted      noted      noted      noted             noted
            """;

    private static final Instant LATER = NOW.plus(Duration.ofDays(3));
    private static final StaleRule STALE_RULE = StaleRule.skipAfter(Duration.ofDays(1));

    private static final Map<TaskAction, Map<TaskStatus, String>> TABLE = parse(LIFECYCLE);

    @Test
    void tableHasOneRowPerActionAndOneColumnPerStatus() {
        assertThat(TABLE).containsOnlyKeys(TaskAction.values());
        TABLE.values().forEach(row -> assertThat(row).containsOnlyKeys(TaskStatus.values()));
    }

    @ParameterizedTest(name = "{0} from {1}: {2}")
    @MethodSource("cells")
    void eachActionInEachStateDoesWhatTheTableSays(TaskAction action, TaskStatus status, String cell) {
        Task task = prepared(action, status);

        Either<TaskError, Task> result = apply(action, task);

        if (cell.equals("✗")) {
            assertThat(result.isLeft()).as("refused").isTrue();
            assertThat(result.getLeft()).isEqualTo(new TaskError.IllegalTransition(action, status));
        } else if (cell.equals("removed") || cell.equals("noted")) {
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
            case SNOOZE -> task.snooze(LATER, NOW);
            case UNSNOOZE -> task.unsnooze(NOW);
            case RESCHEDULE -> task.reschedule(Reschedule.by(Duration.ofHours(2)), NOW);
            case PAUSE -> task.paused(LATER, NOW);
            case RESUME -> task.resumed(NOW);
            case REMIND -> task.reminded(NOW);
            case CLOSE_STALE -> task.closedAsStale(STALE_RULE, NOW);
            case ADD_NOTE -> task.allows(TaskAction.ADD_NOTE);
        };
    }

    /**
     * The subject in {@code status}, made ready for actions that need more than a state: snoozed for unsnooze, paused for
     * resume, a reminder due for remind, overdue by two days for closeStale (active tasks only: a closed task holds none
     * of these).
     */
    static Task prepared(TaskAction action, TaskStatus status) {
        if (!status.active()) {
            return storedIn(status);
        }
        return Fixtures.stored()
                .in(status)
                .with(t -> {
                    switch (action) {
                        case UNSNOOZE -> t.snoozedUntil = Optional.of(LATER);
                        case RESUME -> t.pausedUntil = Optional.of(LATER);
                        case REMIND -> t.remindAt = Optional.of(NOW.minusSeconds(60));
                        case CLOSE_STALE -> {
                            t.startAt = NOW.minus(Duration.ofDays(3));
                            t.dueTo = NOW.minus(Duration.ofDays(2));
                        }
                        default -> {}
                    }
                })
                .build();
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
            if (rows.put(
                            TaskAction.valueOf(cells[0].replaceAll("([a-z])([A-Z])", "$1_$2")
                                    .toUpperCase(Locale.ROOT)),
                            row)
                    != null) {
                throw new IllegalArgumentException("duplicate row: " + line);
            }
        }
        return rows;
    }
}
