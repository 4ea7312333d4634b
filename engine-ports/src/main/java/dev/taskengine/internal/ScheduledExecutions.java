package dev.taskengine.internal;

import dev.taskengine.domain.Task;
import java.util.List;

/**
 * What a scheduler needs of the engine: the execution protocol in steps it can run on several threads, for the options
 * it was made with. Claimed tasks become recorded executions ({@link #startClaimed}), each is sent ({@link #send}), and
 * the outcomes are recorded in groups ({@link #recordOutcomes}).
 */
interface ScheduledExecutions {

    /** Publishes pending events; see {@link dev.taskengine.api.TaskEngine#relayPendingEvents}. */
    int relayPendingEvents();

    /** Claims up to {@code limit} tasks: stale executions first unless {@code dueOnly}, then due tasks. */
    List<Task> claimDue(int limit, boolean dueOnly);

    /** Records the executions of claimed tasks; answers those that may be sent now, each record committed. */
    List<Task> startClaimed(List<Task> claimed);

    /** Hands a recorded execution to the sender; its outcome is recorded later. */
    Executions.Sent send(Task started);

    /** Records the outcomes of sent executions in one write. */
    void recordOutcomes(List<Executions.Sent> sent);

    /** Applies the rules time brings about besides executions: reminders, the stale rule, history retention. */
    void applyTimedRules();

    /** Extends this scheduler's leases on {@code held}, the executions it has under way (claimed, not yet recorded). */
    void renewLeases(List<Task> held);
}
