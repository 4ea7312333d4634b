package dev.taskengine.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.pholser.junit.quickcheck.From;
import com.pholser.junit.quickcheck.MinimalCounterexampleHook;
import com.pholser.junit.quickcheck.Property;
import com.pholser.junit.quickcheck.When;
import com.pholser.junit.quickcheck.generator.Size;
import com.pholser.junit.quickcheck.runner.JUnitQuickcheck;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.runner.JUnitCore;
import org.junit.runner.Result;
import org.junit.runner.RunWith;

/**
 * Shrinking works on call sequences: a property over the sequences {@link EngineSequencePropertiesTest} uses (same
 * generator, same sizes, same shrink bounds), which deliberately fails on any sequence that completes a task and later
 * deletes one, is run here through JUnit 4 and its failure is expected. What the property fails on first is a long
 * sequence; what junit-quickcheck hands back after shrinking is the two calls that make it fail. The failing property is
 * armed only while this test runs it, so it never fails in the suite (Surefire skips nested classes anyway).
 */
class SequenceShrinkingTest {
    @Test
    void aFailingSequenceShrinksToTheTwoCallsThatMakeItFail() {
        DeliberatelyFailing.armed = true;
        Result result;
        try {
            result = new JUnitCore().run(DeliberatelyFailing.class);
        } finally {
            DeliberatelyFailing.armed = false;
        }
        SequenceRunner.SEQUENCES.get(Adapter.MEMORY).set(0);
        SequenceRunner.STEPS.get(Adapter.MEMORY).set(0);

        assertThat(result.getFailureCount()).isEqualTo(1);
        assertThat(result.getFailures().get(0).getMessage()).contains("Property named 'completeThenDelete' failed");
        List<Command> shrunk = Counterexample.calls;
        assertThat(shrunk).as("the shrunk counterexample").hasSize(2);
        assertThat(shrunk.get(0)).isInstanceOf(Command.Complete.class);
        assertThat(shrunk.get(1)).isInstanceOf(Command.Delete.class);
        assertThat(DeliberatelyFailing.firstFailingSize.get())
                .as("the first failing sequence's length")
                .isGreaterThan(2);
        System.out.println(
                "shrunk from " + DeliberatelyFailing.firstFailingSize.get() + " calls to " + Command.script(shrunk));
    }

    @RunWith(JUnitQuickcheck.class)
    public static class DeliberatelyFailing {
        static volatile boolean armed;
        static final AtomicInteger firstFailingSize = new AtomicInteger();

        @Property(
                trials = 1_000,
                maxShrinks = EngineSequencePropertiesTest.MAX_SHRINKS,
                maxShrinkDepth = EngineSequencePropertiesTest.MAX_SHRINK_DEPTH,
                maxShrinkTime = EngineSequencePropertiesTest.MAX_SHRINK_MILLIS,
                onMinimalCounterexample = Counterexample.class)
        public void completeThenDelete(
                @When(seed = 20_241_125L) @Size(min = 1, max = EngineSequencePropertiesTest.MEMORY_MAX_CALLS)
                        List<@From(Commands.class) Command> calls) {
            if (!armed) {
                return;
            }
            SequenceRunner.run(Adapter.MEMORY, calls);
            int completed = -1;
            for (int i = 0; i < calls.size(); i++) {
                if (calls.get(i) instanceof Command.Complete && completed < 0) {
                    completed = i;
                }
                if (calls.get(i) instanceof Command.Delete && completed >= 0) {
                    firstFailingSize.compareAndSet(0, calls.size());
                    throw new AssertionError("deliberately: a task was completed and later one was deleted");
                }
            }
        }
    }

    /** Keeps the minimal counterexample junit-quickcheck found. */
    public static final class Counterexample implements MinimalCounterexampleHook {
        static volatile List<Command> calls = List.of();

        @Override
        @SuppressWarnings("unchecked")
        public void handle(Object[] counterexample, Runnable action) {
            calls = new ArrayList<>((List<Command>) counterexample[0]);
        }
    }
}
