package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.contract.RecordingSender;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.TaskStore;
import io.vavr.control.Either;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.opentest4j.TestAbortedException;

/**
 * The bad-input corpus (see {@link Corpus}), on every adapter. Each case must be answered with a typed error naming the
 * problem (every expected violation code at its JSON pointer, with a message, of bounded length), nothing stored (the
 * tenant's count, the task the case is about, the events and the sender are as before), no exception escaping, and no
 * thread blocked: each case runs under a 10-second watchdog ({@code assertTimeoutPreemptively}), which bounds the call,
 * not its speed.
 */
class BadInputCorpusTest {
    static final int MINIMUM_CASES = 200;
    private static final Duration WATCHDOG = Duration.ofSeconds(10);
    private static final int MESSAGE_MAX = 2_000;

    private static final List<Corpus.Case> CASES = Corpus.load();
    private static final Map<Adapter, AtomicInteger> PASSED = new EnumMap<>(Adapter.class);
    private static final Map<Adapter, AtomicInteger> FAILED = new EnumMap<>(Adapter.class);
    private static final Map<Adapter, Stopwatch> WATCHES = new EnumMap<>(Adapter.class);
    private static final boolean RUN_DEFECTS = "run".equals(System.getProperty("reliability.defects"));

    @TestFactory
    Stream<DynamicNode> everyCaseIsRefusedWithATypedErrorAndNothingStored() {
        Assertions.assertTrue(
                CASES.size() >= MINIMUM_CASES,
                "the corpus holds " + CASES.size() + " cases, fewer than " + MINIMUM_CASES);
        return Stream.of(Adapter.values())
                .map(adapter -> DynamicContainer.dynamicContainer(
                        adapter.label(),
                        CASES.stream().map(c -> DynamicTest.dynamicTest(c.toString(), () -> run(adapter, c)))));
    }

    @AfterAll
    static void report() {
        for (Adapter adapter : Adapter.values()) {
            int passed = PASSED.getOrDefault(adapter, new AtomicInteger()).get();
            int failed = FAILED.getOrDefault(adapter, new AtomicInteger()).get();
            if (passed + failed > 0) {
                Figures.report(
                        "bad-input corpus on %s: %d cases in %d data files; %d refused with a typed error naming the problem,"
                                + " nothing stored, no exception, no thread blocked; %d failed; %d known defects (skipped); in %s",
                        adapter.label(),
                        CASES.size(),
                        CASES.stream().map(Corpus.Case::file).distinct().count(),
                        passed,
                        failed,
                        RUN_DEFECTS
                                ? 0
                                : CASES.stream().filter(c -> c.defect() != null).count(),
                        WATCHES.get(adapter).elapsed());
            }
        }
    }

    private static void run(Adapter adapter, Corpus.Case c) {
        WATCHES.computeIfAbsent(adapter, a -> Stopwatch.start());
        if (c.defect() != null && !RUN_DEFECTS) {
            throw new TestAbortedException("defect: " + c.defect());
        }
        TaskStore store = adapter.store();
        try {
            check(store, c);
            PASSED.computeIfAbsent(adapter, a -> new AtomicInteger()).incrementAndGet();
        } catch (TestAbortedException e) {
            throw e;
        } catch (Throwable e) {
            FAILED.computeIfAbsent(adapter, a -> new AtomicInteger()).incrementAndGet();
            throw e;
        }
    }

    private static void check(TaskStore store, Corpus.Case c) {
        TenantId tenant = TenantId.of("rel-corpus-" + UUID.randomUUID());
        List<TaskEvent> events = Collections.synchronizedList(new ArrayList<>());
        RecordingSender sender = new RecordingSender();
        TaskEngine engine = TaskEngine.builder()
                .store(store)
                .contacts(World.contactsOf(tenant))
                .senderAccounts(World.accounts())
                .sender(sender)
                .events(events::add)
                .clock(new MutableClock(NOW))
                .templates(World.TEMPLATES)
                .build();
        Task on =
                c.on() != null && !c.call().equals("create") ? CorpusCalls.precondition(engine, tenant, c.on()) : null;
        long countBefore = count(engine, tenant);
        int eventsBefore = events.size();

        Object answer = assertTimeoutPreemptively(
                WATCHDOG,
                () -> {
                    try {
                        return CorpusCalls.invoke(engine, tenant, on, c);
                    } catch (RuntimeException | StackOverflowError e) {
                        throw new AssertionError(c + ": an exception escaped instead of a typed error: " + e, e);
                    }
                },
                () -> c + ": the call did not return within " + WATCHDOG.toSeconds() + " s (a blocked thread)");

        if (!(answer instanceof Either<?, ?> either) || either.isRight()) {
            throw new AssertionError(c + ": accepted, but it is bad input: " + answer);
        }
        Object left = either.getLeft();
        List<Violation> violations = left instanceof TaskError.InvalidInput invalid
                ? invalid.violations()
                : left instanceof Violation violation ? List.of(violation) : List.of();
        if (c.error() != null) {
            String code = left instanceof TaskError error ? error.code() : String.valueOf(left);
            Assertions.assertEquals(c.error(), code, () -> c + ": refused, but with " + left);
        }
        for (String[] expected : c.expected()) {
            boolean named = violations.stream()
                    .anyMatch(v -> (expected[0].endsWith("*")
                                    ? v.code().startsWith(expected[0].substring(0, expected[0].length() - 1))
                                    : v.code().equals(expected[0]))
                            && (expected.length < 2 || v.pointer().equals(expected[1])));
            Assertions.assertTrue(named, () -> c + ": expected " + String.join(" at ", expected) + ", got " + left);
        }
        for (Violation v : violations) {
            Assertions.assertFalse(v.message().isBlank(), () -> c + ": a violation without a message: " + v);
            Assertions.assertTrue(
                    v.message().length() <= MESSAGE_MAX,
                    () -> c + ": a message of " + v.message().length() + " characters echoes the input: "
                            + v.message().substring(0, 200) + "…");
        }
        if (left instanceof TaskError error) {
            Assertions.assertTrue(
                    error.message().length() <= 20 * MESSAGE_MAX,
                    () -> c + ": an error message of " + error.message().length() + " characters");
        }
        Assertions.assertEquals(countBefore, count(engine, tenant), () -> c + ": a task was stored");
        if (on != null) {
            Optional<Task> now =
                    engine.get(tenant, on.id(), false).map(d -> d.task()).toJavaOptional();
            Assertions.assertEquals(Optional.of(on), now, () -> c + ": the task it names changed");
        }
        Assertions.assertEquals(eventsBefore, events.size(), () -> c + ": an event was stored: " + events);
        Assertions.assertEquals(List.of(), sender.calls(), () -> c + ": something was sent");
    }

    private static long count(TaskEngine engine, TenantId tenant) {
        return engine.query(TaskQuery.forTenant(tenant).limit(1).includeTotal().build())
                .get()
                .total()
                .orElseThrow();
    }
}
