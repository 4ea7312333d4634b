package dev.taskengine.reliability;

import com.pholser.junit.quickcheck.From;
import com.pholser.junit.quickcheck.Property;
import com.pholser.junit.quickcheck.generator.Size;
import com.pholser.junit.quickcheck.runner.JUnitQuickcheck;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.runner.RunWith;
import org.junit.runner.notification.RunNotifier;
import org.junit.runners.model.FrameworkMethod;
import org.junit.runners.model.InitializationError;

/**
 * Random sequences of driving-port calls, valid and invalid, on each adapter and on the reference model, with the
 * invariants checked after every step (see {@link SequenceRunner}). 10,000 sequences per adapter; the sequences are
 * shorter on the databases, where a step costs a few round trips, to keep the suite affordable on a small CI machine.
 * A failure shrinks to a short script of calls and names the step, the call and the field that differ.
 *
 * <p>The library is junit-quickcheck. Of the property-testing libraries on Maven Central it serves these stateful
 * reference-model tests best: a sequence is a plain {@code List<Command>}, and its list shrinking removes calls
 * anywhere in a failing sequence (halves first, then one call at a time), then simplifies the calls left ({@link
 * Commands#doShrink}), so an irrelevant call in the middle goes away; shrinking is bounded (here to 10 s and 2,000
 * attempts, as the earlier bounded shrinking was). QuickTheories, the other candidate, shrinks only the random draws
 * behind a value, so a list loses calls only at its end and a call in the middle can merely be made simpler; it has not
 * been released since 2019. junit-quickcheck runs on JUnit 4, here through the JUnit Platform's vintage engine, and
 * {@link SequenceShrinkingTest} proves that a failing sequence shrinks to the few calls that make it fail.
 */
@RunWith(EngineSequencePropertiesTest.Runner.class)
public class EngineSequencePropertiesTest {
    static final int SEQUENCES = 10_000;
    static final int MEMORY_MAX_CALLS = 40;
    static final int H2_MAX_CALLS = 24;
    static final int POSTGRESQL_MAX_CALLS = 16;
    static final int MAX_SHRINKS = 2_000;
    static final int MAX_SHRINK_DEPTH = 200;
    static final int MAX_SHRINK_MILLIS = 10_000;

    @Property(
            trials = SEQUENCES,
            maxShrinks = MAX_SHRINKS,
            maxShrinkDepth = MAX_SHRINK_DEPTH,
            maxShrinkTime = MAX_SHRINK_MILLIS)
    public void memory(@Size(min = 1, max = MEMORY_MAX_CALLS) List<@From(Commands.class) Command> calls) {
        SequenceRunner.run(Adapter.MEMORY, calls);
    }

    @Property(
            trials = SEQUENCES,
            maxShrinks = MAX_SHRINKS,
            maxShrinkDepth = MAX_SHRINK_DEPTH,
            maxShrinkTime = MAX_SHRINK_MILLIS)
    public void h2(@Size(min = 1, max = H2_MAX_CALLS) List<@From(Commands.class) Command> calls) {
        SequenceRunner.run(Adapter.H2, calls);
    }

    @Property(
            trials = SEQUENCES,
            maxShrinks = MAX_SHRINKS,
            maxShrinkDepth = MAX_SHRINK_DEPTH,
            maxShrinkTime = MAX_SHRINK_MILLIS)
    @PostgresRequired
    public void postgresql(@Size(min = 1, max = POSTGRESQL_MAX_CALLS) List<@From(Commands.class) Command> calls) {
        SequenceRunner.run(Adapter.POSTGRESQL, calls);
    }

    private static int maxCalls(Adapter adapter) {
        return switch (adapter) {
            case MEMORY -> MEMORY_MAX_CALLS;
            case H2 -> H2_MAX_CALLS;
            case POSTGRESQL -> POSTGRESQL_MAX_CALLS;
        };
    }

    private static void report(Stopwatch watch) {
        for (Adapter adapter : Adapter.values()) {
            long sequences = SequenceRunner.SEQUENCES.get(adapter).getAndSet(0);
            long steps = SequenceRunner.STEPS.get(adapter).getAndSet(0);
            if (sequences > 0) {
                Figures.report(
                        "property sequences on %s: %d sequences of 1 to %d calls, %d calls in all (%.1f per sequence),"
                                + " invariants and the model checked after every call, in %s",
                        adapter.label(),
                        sequences,
                        maxCalls(adapter),
                        steps,
                        (double) steps / sequences,
                        watch.elapsed());
                Map<String, long[]> answers;
                synchronized (SequenceRunner.WORKDAY_ANSWERS) {
                    answers = new java.util.TreeMap<>(SequenceRunner.WORKDAY_ANSWERS.get(adapter));
                    SequenceRunner.WORKDAY_ANSWERS.get(adapter).clear();
                }
                Figures.report(
                        "property sequences on %s, working-day calls kept/refused (a batch kept when it changed a"
                                + " task): %s",
                        adapter.label(),
                        answers.entrySet().stream()
                                .map(e -> e.getKey() + " " + e.getValue()[0] + "/" + e.getValue()[1])
                                .collect(java.util.stream.Collectors.joining(", ")));
            }
        }
    }

    /**
     * junit-quickcheck's runner, which runs each property's trials, around each property: skips one marked {@link
     * PostgresRequired} when there is no server (not on CI), and reports the property's figures when it is done. (A
     * JUnit 4 {@code @Before} or {@code @After} would run around every trial.)
     */
    public static final class Runner extends JUnitQuickcheck {
        public Runner(Class<?> type) throws InitializationError {
            super(type);
        }

        @Override
        protected void runChild(FrameworkMethod method, RunNotifier notifier) {
            if (method.getAnnotation(PostgresRequired.class) != null) {
                Optional<String> why = Postgres.unavailable();
                if (why.isPresent() && !Postgres.onCi()) {
                    Postgres.skipLine(why.get());
                    notifier.fireTestIgnored(describeChild(method));
                    return;
                }
            }
            Stopwatch watch = Stopwatch.start();
            try {
                super.runChild(method, notifier);
            } finally {
                report(watch);
            }
        }
    }
}
