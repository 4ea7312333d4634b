package dev.taskengine.reliability;

import com.pholser.junit.quickcheck.generator.GenerationStatus;
import com.pholser.junit.quickcheck.generator.Generator;
import com.pholser.junit.quickcheck.random.SourceOfRandomness;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.reliability.Command.Target;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

/**
 * junit-quickcheck's generator of one call of a sequence: any mix of calls, valid and invalid (flawed inputs, stale
 * versions, other tenants' ids, ids nobody has, actions the lifecycle forbids), with the same weights as before. A
 * sequence is a {@code @Size(min = 1, max = N) List<@From(Commands.class) Command>}: one flat list of calls, so that
 * junit-quickcheck's list shrinking can drop any call (halves, then single calls, anywhere in the list), and this
 * generator's {@link #doShrink} offers simpler forms of a call (a create without its flaw, at +0 min, unscheduled), so a
 * counterexample comes out as a short script. Creates are frequent enough that most calls name a task of the sequence
 * (a call naming one before any exists names an id nobody has).
 */
public final class Commands extends Generator<Command> {
    public Commands() {
        super(Command.class);
    }

    @Override
    public Command generate(SourceOfRandomness random, GenerationStatus status) {
        return command(random);
    }

    static Command command(SourceOfRandomness r) {
        return switch (weighted(
                r, 20, 6, 12, 7, 4, 8, 3, 3, 3, 7, 4, 3, 12, 2, 2, 1, 4, 3, 5, 5, 3, 2, 2, 2, 1, 3, 2)) {
            case 0 -> create(r);
            case 1 -> new Command.Start(target(r), expect(r));
            case 2 -> new Command.Update(target(r), r.choose(Command.Change.values()), expect(r));
            case 3 -> new Command.Reassign(target(r), user(r), r.choose(ReassignScope.values()));
            case 4 -> new Command.ReassignSequence(r.choose(new Long[] {1L, 2L, 3L, 0L, -5L}), user(r));
            case 5 -> new Command.Complete(target(r), r.choose(Command.CompletionKind.values()), expect(r));
            case 6 -> new Command.Skip(target(r));
            case 7 -> new Command.Cancel(target(r));
            case 8 -> new Command.Detach(target(r));
            case 9 ->
                new Command.Reopen(
                        target(r),
                        r.nextDouble() < 0.15
                                ? null
                                : r.choose(new ReopenReason[] {ReopenReason.MANUAL, ReopenReason.REMINDER_RULE}));
            case 10 -> new Command.Archive(target(r));
            case 11 -> new Command.Delete(target(r), expect(r));
            case 12 -> new Command.Execute(target(r), contentKind(r), outcome(r));
            case 13 -> new Command.CompleteAll(targets(r));
            case 14 -> new Command.AssignAll(targets(r), user(r));
            case 15 -> new Command.DeleteAll(targets(r));
            case 16 -> new Command.Get(target(r), r.nextBoolean());
            case 17 ->
                new Command.Query(r.choose(Command.Filter.values()), r.choose(TaskSort.values()), r.nextInt(1, 3));
            case 19 -> new Command.Snooze(target(r), r.choose(new Integer[] {30, 60 * 24, 1, 0, -10}), expect(r));
            case 20 -> new Command.Unsnooze(target(r), expect(r));
            case 21 ->
                new Command.RescheduleAll(
                        targets(r), r.choose(new Long[] {15L, 60L * 24, -2L * 60 * 24, -12L * 365 * 24 * 60}));
            case 22 -> new Command.PauseContact(contact(r), r.choose(new Integer[] {45, 60 * 24 * 3, 0, -5}));
            case 23 -> new Command.ResumeContact(contact(r));
            case 24 -> new Command.ContactPausedUntil(contact(r));
            case 25 ->
                new Command.AddNote(
                        target(r), weighted(r, 8, 1) == 0 ? Command.NoteText.TEXT : Command.NoteText.BLANK, expect(r));
            case 26 ->
                new Command.HandOver(
                        r.choose(new Long[] {7L, 8L, 9L, 0L}),
                        list(r, 1, 2, x -> x.choose(new Long[] {7L, 8L, 9L, 0L})),
                        r.choose(new Integer[] {1, 2, 100}));
            default ->
                new Command.Tick(r.choose(new Long[] {
                    1L, 999L, 1_500L, 1_000_000L, 60_000_000_000L, 3_600_000_000_000L, 2L * 86_400_000_000_000L
                }));
        };
    }

    /** Simpler forms of a call, tried while shrinking after the calls that can be dropped have been. */
    @Override
    public List<Command> doShrink(SourceOfRandomness random, Command larger) {
        List<Command> simpler = new ArrayList<>();
        if (larger instanceof Command.Create c) {
            if (c.flaw() != Command.Flaw.NONE) {
                simpler.add(new Command.Create(c.kind(), Command.Flaw.NONE, c.user(), c.startMinutes(), c.scheduled()));
            }
            if (c.startMinutes() != 0) {
                simpler.add(new Command.Create(c.kind(), c.flaw(), c.user(), 0, c.scheduled()));
                simpler.add(new Command.Create(c.kind(), c.flaw(), c.user(), c.startMinutes() / 2, c.scheduled()));
            }
            if (c.scheduled()) {
                simpler.add(new Command.Create(c.kind(), c.flaw(), c.user(), c.startMinutes(), false));
            }
        }
        return simpler;
    }

    static Command.Create create(SourceOfRandomness r) {
        Command.Flaw flaw = weighted(r, 24, 8) == 0 ? Command.Flaw.NONE : r.choose(Command.Flaw.values());
        return new Command.Create(
                r.choose(Command.Kind.values()),
                flaw,
                r.choose(new Long[] {7L, 8L, 9L}),
                r.nextInt(-3 * 24 * 60, 3 * 24 * 60),
                r.nextBoolean());
    }

    static Target target(SourceOfRandomness r) {
        return switch (weighted(r, 20, 1, 1)) {
            case 0 -> new Target(Target.Kind.OWN, r.nextInt(0, 5));
            case 1 -> new Target(Target.Kind.FOREIGN, r.nextInt(0, 2));
            default -> new Target(Target.Kind.ABSENT, r.nextInt(0, Target.ABSENT_IDS.length - 1));
        };
    }

    private static List<Target> targets(SourceOfRandomness r) {
        return list(r, 1, 4, Commands::target);
    }

    /** Ada (1), Grace (2), or an id no contact has (0, refused). */
    private static long contact(SourceOfRandomness r) {
        return new long[] {1L, 2L, 0L}[weighted(r, 5, 5, 1)];
    }

    private static long user(SourceOfRandomness r) {
        return weighted(r, 10, 1) == 0 ? r.choose(new Long[] {7L, 8L, 9L}) : r.choose(new Long[] {0L, -3L});
    }

    private static Command.Expect expect(SourceOfRandomness r) {
        return new Command.Expect[] {Command.Expect.ANY, Command.Expect.CURRENT, Command.Expect.STALE}
                [weighted(r, 6, 2, 1)];
    }

    private static Command.ContentKind contentKind(SourceOfRandomness r) {
        return new Command.ContentKind[] {
                    Command.ContentKind.RENDER, Command.ContentKind.GIVEN, Command.ContentKind.GIVEN_BLANK
                }
                [weighted(r, 8, 2, 1)];
    }

    private static ScriptedSender.Outcome outcome(SourceOfRandomness r) {
        return new ScriptedSender.Outcome[] {
                    ScriptedSender.Outcome.DELIVER,
                    ScriptedSender.Outcome.FAIL_TRANSIENT,
                    ScriptedSender.Outcome.FAIL_PERMANENT,
                    ScriptedSender.Outcome.THROW
                }
                [weighted(r, 6, 2, 1, 1)];
    }

    /** The index of the weight drawn, each with a chance proportional to it. */
    private static int weighted(SourceOfRandomness r, int... weights) {
        int total = 0;
        for (int weight : weights) {
            total += weight;
        }
        int pick = r.nextInt(0, total - 1);
        for (int i = 0; i < weights.length; i++) {
            pick -= weights[i];
            if (pick < 0) {
                return i;
            }
        }
        throw new AssertionError("unreachable");
    }

    private static <T> List<T> list(SourceOfRandomness r, int min, int max, Function<SourceOfRandomness, T> element) {
        int size = r.nextInt(min, max);
        List<T> items = new ArrayList<>(size);
        for (int i = 0; i < size; i++) {
            items.add(element.apply(r));
        }
        return List.copyOf(items);
    }
}
