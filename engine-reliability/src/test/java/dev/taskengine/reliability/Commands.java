package dev.taskengine.reliability;

import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.reliability.Command.Target;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Tuple;

/**
 * Generators of call sequences: any mix of calls, valid and invalid (flawed inputs,
 * stale versions, other tenants' ids, ids nobody has, actions the lifecycle forbids). Everything shrinks towards fewer
 * and simpler calls, so a counterexample comes out as a short script.
 */
final class Commands {
    private Commands() {}

    /**
     * One flat list of calls, so that shrinking can drop any call; creates are frequent enough that most calls name a
     * task of the sequence (a call naming one before any exists names an id nobody has).
     */
    static Arbitrary<List<Command>> sequences(int maxLength) {
        return command().list().ofMinSize(1).ofMaxSize(maxLength);
    }

    static Arbitrary<Command> command() {
        return Arbitraries.<Command>frequencyOf(
                w(20, create()),
                w(6, Combinators.combine(target(), expect()).as(Command.Start::new)),
                w(12, Combinators.combine(target(), Arbitraries.of(Command.Change.class), expect()).as(Command.Update::new)),
                w(7, Combinators.combine(target(), user(), Arbitraries.of(ReassignScope.class)).as(Command.Reassign::new)),
                w(4, Combinators.combine(Arbitraries.of(1L, 2L, 3L, 0L, -5L), user()).as(Command.ReassignSequence::new)),
                w(8, Combinators.combine(target(), Arbitraries.of(Command.CompletionKind.class), expect()).as(Command.Complete::new)),
                w(3, target().map(Command.Skip::new)),
                w(3, target().map(Command.Cancel::new)),
                w(3, target().map(Command.Detach::new)),
                w(7, Combinators.combine(target(), Arbitraries.of(ReopenReason.MANUAL, ReopenReason.REMINDER_RULE).injectNull(0.15))
                        .as(Command.Reopen::new)),
                w(4, target().map(Command.Archive::new)),
                w(3, Combinators.combine(target(), expect()).as(Command.Delete::new)),
                w(12, Combinators.combine(target(), contentKind(), outcome()).as(Command.Execute::new)),
                w(2, targets().map(Command.CompleteAll::new)),
                w(2, Combinators.combine(targets(), user()).as(Command.AssignAll::new)),
                w(1, targets().map(Command.DeleteAll::new)),
                w(4, Combinators.combine(target(), Arbitraries.of(true, false)).as(Command.Get::new)),
                w(3, Combinators.combine(Arbitraries.of(Command.Filter.class), Arbitraries.of(TaskSort.class),
                        Arbitraries.integers().between(1, 3)).as(Command.Query::new)),
                w(5, Arbitraries.of(1L, 999L, 1_500L, 1_000_000L, 60_000_000_000L, 3_600_000_000_000L, 2L * 86_400_000_000_000L)
                        .map(Command.Tick::new)));
    }

    private static Tuple.Tuple2<Integer, Arbitrary<? extends Command>> w(int weight, Arbitrary<? extends Command> arbitrary) {
        return Tuple.of(weight, arbitrary);
    }

    static Arbitrary<Command.Create> create() {
        Arbitrary<Command.Flaw> flaw = Arbitraries.frequencyOf(Tuple.of(24, Arbitraries.just(Command.Flaw.NONE)),
                Tuple.of(8, Arbitraries.of(Command.Flaw.class)));
        return Combinators.combine(Arbitraries.of(Command.Kind.class), flaw, Arbitraries.of(7L, 8L, 9L), minutes(),
                Arbitraries.of(false, true)).as(Command.Create::new);
    }

    private static Arbitrary<Integer> minutes() {
        return Arbitraries.integers().between(-3 * 24 * 60, 3 * 24 * 60).shrinkTowards(0);
    }

    static Arbitrary<Target> target() {
        return Arbitraries.frequencyOf(
                Tuple.of(20, Arbitraries.integers().between(0, 5).map(i -> new Target(Target.Kind.OWN, i))),
                Tuple.of(1, Arbitraries.integers().between(0, 2).map(i -> new Target(Target.Kind.FOREIGN, i))),
                Tuple.of(1, Arbitraries.integers().between(0, Target.ABSENT_IDS.length - 1).map(i -> new Target(Target.Kind.ABSENT, i))));
    }

    private static Arbitrary<List<Target>> targets() {
        return target().list().ofMinSize(1).ofMaxSize(4);
    }

    private static Arbitrary<Long> user() {
        return Arbitraries.frequencyOf(Tuple.of(10, Arbitraries.of(7L, 8L, 9L)), Tuple.of(1, Arbitraries.of(0L, -3L)));
    }

    private static Arbitrary<Command.Expect> expect() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(Command.Expect.ANY)),
                Tuple.of(2, Arbitraries.just(Command.Expect.CURRENT)), Tuple.of(1, Arbitraries.just(Command.Expect.STALE)));
    }

    private static Arbitrary<Command.ContentKind> contentKind() {
        return Arbitraries.frequencyOf(Tuple.of(8, Arbitraries.just(Command.ContentKind.RENDER)),
                Tuple.of(2, Arbitraries.just(Command.ContentKind.GIVEN)), Tuple.of(1, Arbitraries.just(Command.ContentKind.GIVEN_BLANK)));
    }

    private static Arbitrary<ScriptedSender.Outcome> outcome() {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(ScriptedSender.Outcome.DELIVER)),
                Tuple.of(2, Arbitraries.just(ScriptedSender.Outcome.FAIL_TRANSIENT)),
                Tuple.of(1, Arbitraries.just(ScriptedSender.Outcome.FAIL_PERMANENT)),
                Tuple.of(1, Arbitraries.just(ScriptedSender.Outcome.THROW)));
    }
}
