package dev.taskengine.spi;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import java.time.Duration;
import java.util.Map;

/**
 * Where the engine reports what it does, for metrics and traces; the engine depends on no metrics or tracing library
 * (module {@code engine-micrometer} implements this with Micrometer's Observation API). Every method is called on the
 * engine's threads and must return quickly and never throw; {@link #none()} reports nothing.
 *
 * <p>Names and outcomes are low-cardinality (an action name, a channel, {@code done} or a refusal code such as
 * {@code task.notFound}); tenants and task ids are given for traces only and must never become metric tags.
 */
public interface EngineObserver {

    /**
     * A driving call begins: {@code action} is the call's name in lower camel case ({@code create}, {@code complete},
     * {@code snoozeAll}); {@code tenant} is null for calls across tenants ({@code backlog}, {@code relayPendingEvents},
     * {@code scheduler}). The scope is ended once: with {@code done}, the refusal's code, or {@link Scope#failed}.
     */
    Scope action(String action, TenantId tenant);

    /**
     * A task's message is handed to the sender: by the scheduler ({@code scheduled}) or by hand. {@code trace} is the
     * trace context kept with the task when it was created or scheduled ({@link #traceContext()}; empty when none), so
     * that the send can be tied to the trace that asked for it (engine-micrometer ties it by a span link by default, or
     * makes that context the send's parent on request). The scope is ended with {@code sent}, {@code failed}
     * (a permanent failure) or {@code retry} (a transient one; {@link Scope#failed} if the send itself threw).
     */
    Scope execution(Channel channel, TenantId tenant, TaskId task, boolean scheduled, Map<String, String> trace);

    /**
     * The trace context to keep with a task created or scheduled now (W3C {@code traceparent} and {@code tracestate},
     * say), or an empty map when there is no trace.
     */
    Map<String, String> traceContext();

    /** A scheduler's claim asked for {@code wanted} tasks and got {@code claimed}. */
    void claimed(int wanted, int claimed);

    /** A scheduled task of {@code channel} was handed to the sender {@code lateness} after it was due. */
    void sentLate(Channel channel, Duration lateness);

    /** The sending policy put off a scheduled send, for {@code reason} (its code, such as {@code sending.outsideWindow}). */
    void deferred(String reason);

    /** The event relay published {@code count} events. */
    void published(int count);

    /** An observation under way: ended once, with its outcome. */
    interface Scope {
        void end(String outcome);

        /** Ends it as {@code error}, with the exception that ended it: a bug or broken infrastructure. */
        void failed(Throwable error);
    }

    /** An observer that reports nothing (the default). */
    static EngineObserver none() {
        return None.INSTANCE;
    }

    /** The observer of {@link #none()}. */
    enum None implements EngineObserver, Scope {
        INSTANCE;

        @Override
        public Scope action(String action, TenantId tenant) {
            return this;
        }

        @Override
        public Scope execution(
                Channel channel, TenantId tenant, TaskId task, boolean scheduled, Map<String, String> trace) {
            return this;
        }

        @Override
        public Map<String, String> traceContext() {
            return Map.of();
        }

        @Override
        public void claimed(int wanted, int claimed) {}

        @Override
        public void sentLate(Channel channel, Duration lateness) {}

        @Override
        public void deferred(String reason) {}

        @Override
        public void published(int count) {}

        @Override
        public void end(String outcome) {}

        @Override
        public void failed(Throwable error) {}
    }
}
