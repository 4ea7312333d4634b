package dev.taskengine.contract;

import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.EngineObserver;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;

/**
 * An {@link EngineObserver} that keeps everything it is told, for tests (the contract kit's, a metrics or tracing
 * adapter's): the actions and executions with how each ended, claims, lateness, deferrals, published counts. Reports
 * the trace context given to {@link #reportTrace} (none at first). Thread-safe.
 */
public final class RecordingObserver implements EngineObserver {

    /** An observation begun; {@link #outcome()} is empty until it ended, {@link #error()} set when it failed. */
    public static final class Observed implements Scope {
        private final String name;
        private final Optional<TenantId> tenant;
        private final AtomicReference<String> outcome = new AtomicReference<>();
        private final AtomicReference<Throwable> error = new AtomicReference<>();
        private final AtomicReference<Integer> ends = new AtomicReference<>(0);

        Observed(String name, TenantId tenant) {
            this.name = name;
            this.tenant = Optional.ofNullable(tenant);
        }

        /** The action's name, or the execution's channel. */
        public String name() {
            return name;
        }

        /** The tenant named; empty for a call across tenants. */
        public Optional<TenantId> tenant() {
            return tenant;
        }

        /** How it ended: {@code done}, a refusal code, {@code sent}, ...; {@code error} when it failed. */
        public Optional<String> outcome() {
            return Optional.ofNullable(outcome.get());
        }

        /** The exception it failed with, if it did. */
        public Optional<Throwable> error() {
            return Optional.ofNullable(error.get());
        }

        /** How many times it was ended (once, by the contract). */
        public int ends() {
            return ends.get();
        }

        @Override
        public void end(String value) {
            ends.updateAndGet(n -> n + 1);
            outcome.set(value);
        }

        @Override
        public void failed(Throwable e) {
            ends.updateAndGet(n -> n + 1);
            outcome.set("error");
            error.set(e);
        }

        @Override
        public String toString() {
            return name + "(" + tenant.map(TenantId::value).orElse("-") + ") -> " + outcome.get();
        }
    }

    /** An execution begun: the observation, and what the engine said of it. */
    public record ExecutionObserved(
            Observed scope,
            Channel channel,
            TenantId tenant,
            TaskId task,
            boolean scheduled,
            Map<String, String> trace) {
        public Optional<String> outcome() {
            return scope.outcome();
        }
    }

    public record Claim(int wanted, int claimed) {}

    public record Lateness(Channel channel, Duration lateness) {}

    private final List<Observed> actions = new CopyOnWriteArrayList<>();
    private final List<ExecutionObserved> executions = new CopyOnWriteArrayList<>();
    private final List<Claim> claims = new CopyOnWriteArrayList<>();
    private final List<Lateness> lateness = new CopyOnWriteArrayList<>();
    private final List<String> deferrals = new CopyOnWriteArrayList<>();
    private final List<Integer> published = new CopyOnWriteArrayList<>();
    private final AtomicReference<Map<String, String>> trace = new AtomicReference<>(Map.of());

    /** From now on, {@link #traceContext()} reports {@code context} (empty: no trace). */
    public RecordingObserver reportTrace(Map<String, String> context) {
        trace.set(Map.copyOf(context));
        return this;
    }

    @Override
    public Scope action(String action, TenantId tenant) {
        Observed observed = new Observed(action, tenant);
        actions.add(observed);
        return observed;
    }

    @Override
    public Scope execution(
            Channel channel, TenantId tenant, TaskId task, boolean scheduled, Map<String, String> traceContext) {
        Observed observed = new Observed(channel.name(), tenant);
        executions.add(new ExecutionObserved(observed, channel, tenant, task, scheduled, Map.copyOf(traceContext)));
        return observed;
    }

    @Override
    public Map<String, String> traceContext() {
        return trace.get();
    }

    @Override
    public void claimed(int wanted, int claimed) {
        claims.add(new Claim(wanted, claimed));
    }

    @Override
    public void sentLate(Channel channel, Duration late) {
        lateness.add(new Lateness(channel, late));
    }

    @Override
    public void deferred(String reason) {
        deferrals.add(reason);
    }

    @Override
    public void published(int count) {
        published.add(count);
    }

    public List<Observed> actions() {
        return List.copyOf(actions);
    }

    /** The actions named {@code name}, in the order they began. */
    public List<Observed> actions(String name) {
        return actions.stream().filter(a -> a.name().equals(name)).toList();
    }

    public List<ExecutionObserved> executions() {
        return List.copyOf(executions);
    }

    /** The executions of {@code task}, in the order they began. */
    public List<ExecutionObserved> executions(TaskId task) {
        return executions.stream().filter(e -> e.task().equals(task)).toList();
    }

    public List<Claim> claims() {
        return List.copyOf(claims);
    }

    public List<Lateness> lateness() {
        return List.copyOf(lateness);
    }

    public List<String> deferrals() {
        return List.copyOf(deferrals);
    }

    /** Every count {@link #published} was called with. */
    public List<Integer> published() {
        return List.copyOf(published);
    }

    /** How many events were published in all. */
    public int publishedCount() {
        return published.stream().mapToInt(Integer::intValue).sum();
    }
}
