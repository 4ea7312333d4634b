package dev.taskengine.reliability;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterProperty;
import net.jqwik.api.lifecycle.BeforeProperty;

/**
 * Random sequences of driving-port calls, valid and invalid, on each adapter and on the reference model, with the
 * invariants checked after every step (see {@link SequenceRunner}). 10,000 sequences per adapter; the sequences are
 * shorter on the databases, where a step costs a few round trips, to keep the suite affordable on a small CI machine.
 * A failure shrinks to a short script of calls and names the step, the call and the field that differ.
 */
class EngineSequencePropertiesTest {
    static final int SEQUENCES = 10_000;
    static final int MEMORY_MAX_CALLS = 40;
    static final int H2_MAX_CALLS = 24;
    static final int POSTGRESQL_MAX_CALLS = 16;

    private Stopwatch watch;

    @BeforeProperty
    void startClock() {
        watch = Stopwatch.start();
    }

    @AfterProperty
    void report() {
        for (Adapter adapter : Adapter.values()) {
            long sequences = SequenceRunner.SEQUENCES.get(adapter).getAndSet(0);
            long steps = SequenceRunner.STEPS.get(adapter).getAndSet(0);
            if (sequences > 0) {
                Figures.report("property sequences on %s: %d sequences of 1 to %d calls, %d calls in all (%.1f per sequence),"
                                + " invariants and the model checked after every call, in %s", adapter.label(), sequences,
                        maxCalls(adapter), steps, (double) steps / sequences, watch.elapsed());
            }
        }
    }

    private static int maxCalls(Adapter adapter) {
        return switch (adapter) {
            case MEMORY -> MEMORY_MAX_CALLS;
            case H2 -> H2_MAX_CALLS;
            case POSTGRESQL -> POSTGRESQL_MAX_CALLS;
        };
    }

    @Property(tries = SEQUENCES, shrinking = ShrinkingMode.BOUNDED)
    void memory(@ForAll("memorySequences") List<Command> calls) {
        SequenceRunner.run(Adapter.MEMORY, calls);
    }

    @Property(tries = SEQUENCES, shrinking = ShrinkingMode.BOUNDED)
    void h2(@ForAll("h2Sequences") List<Command> calls) {
        SequenceRunner.run(Adapter.H2, calls);
    }

    @Property(tries = SEQUENCES, shrinking = ShrinkingMode.BOUNDED)
    @AddLifecycleHook(PostgresRequired.class)
    void postgresql(@ForAll("postgresqlSequences") List<Command> calls) {
        SequenceRunner.run(Adapter.POSTGRESQL, calls);
    }

    @Provide
    Arbitrary<List<Command>> memorySequences() {
        return Commands.sequences(MEMORY_MAX_CALLS);
    }

    @Provide
    Arbitrary<List<Command>> h2Sequences() {
        return Commands.sequences(H2_MAX_CALLS);
    }

    @Provide
    Arbitrary<List<Command>> postgresqlSequences() {
        return Commands.sequences(POSTGRESQL_MAX_CALLS);
    }
}
