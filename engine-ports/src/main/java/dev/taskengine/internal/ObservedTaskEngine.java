package dev.taskengine.internal;

import dev.taskengine.api.Backlog;
import dev.taskengine.api.BatchResult;
import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.HandOver;
import dev.taskengine.api.HandOverReport;
import dev.taskengine.api.HistoryPage;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.Reassignment;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskDetail;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskPage;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskScheduler;
import dev.taskengine.api.TaskSelection;
import dev.taskengine.api.Webhooks;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Reschedule;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.EngineObserver;
import io.vavr.control.Either;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The driving port as {@link DefaultTaskEngine} implements it, each call reported to the engine's observer
 * ({@link EngineObserver#action}): named after the method (overloads share a name), ended with {@code done}, the
 * refusal's {@link TaskError#code() code}, or {@link EngineObserver.Scope#failed failed} with the exception that
 * escaped (rethrown). A batch call is {@code done} once it ran, whatever became of each task; the calls it makes on
 * each task are not reported apart. Calls across tenants ({@code relayPendingEvents}, {@code backlog},
 * {@code scheduler}) name no tenant (null). Made only for an observer other than {@link EngineObserver#none()}, so that
 * an engine without one pays nothing; {@link #webhooks()} is handed out as it is.
 */
final class ObservedTaskEngine implements TaskEngine {
    static final String DONE = "done";

    private final TaskEngine engine;
    private final EngineObserver observer;

    ObservedTaskEngine(TaskEngine engine, EngineObserver observer) {
        this.engine = engine;
        this.observer = observer;
    }

    /** Runs {@code call} as the action {@code name} of {@code tenant}: ended with its outcome, or failed. */
    private <T> Either<TaskError, T> observed(String name, TenantId tenant, Supplier<Either<TaskError, T>> call) {
        EngineObserver.Scope scope = observer.action(name, tenant);
        Either<TaskError, T> outcome;
        try {
            outcome = call.get();
        } catch (RuntimeException | Error e) {
            scope.failed(e);
            throw e;
        }
        scope.end(outcome.isLeft() ? outcome.getLeft().code() : DONE);
        return outcome;
    }

    /** As {@link #observed(String, TenantId, Supplier)}, for a call that cannot be refused. */
    private <T> T done(String name, TenantId tenant, Supplier<T> call) {
        return observed(name, tenant, () -> Either.<TaskError, T>right(call.get()))
                .get();
    }

    private static TenantId tenantOf(TaskRef ref) {
        return ref == null ? null : ref.tenant();
    }

    @Override
    public Either<TaskError, Task> create(Actor actor, NewTask task) {
        return observed("create", task == null ? null : task.tenant(), () -> engine.create(actor, task));
    }

    @Override
    public Either<TaskError, TaskDetail> get(TenantId tenant, TaskId id, boolean includeContent, boolean includeNotes) {
        return observed("get", tenant, () -> engine.get(tenant, id, includeContent, includeNotes));
    }

    @Override
    public Either<TaskError, Task> update(TaskRef ref, TaskUpdate update) {
        return observed("update", tenantOf(ref), () -> engine.update(ref, update));
    }

    @Override
    public Either<TaskError, Reassignment> reassign(TaskRef ref, UserId assignee, ReassignScope scope) {
        return observed("reassign", tenantOf(ref), () -> engine.reassign(ref, assignee, scope));
    }

    @Override
    public Either<TaskError, List<Task>> reassignSequence(
            Actor actor, TenantId tenant, SequenceId sequence, UserId assignee) {
        return observed("reassignSequence", tenant, () -> engine.reassignSequence(actor, tenant, sequence, assignee));
    }

    @Override
    public Either<TaskError, Task> start(TaskRef ref) {
        return observed("start", tenantOf(ref), () -> engine.start(ref));
    }

    @Override
    public Either<TaskError, Task> complete(TaskRef ref, Completion completion) {
        return observed("complete", tenantOf(ref), () -> engine.complete(ref, completion));
    }

    @Override
    public Either<TaskError, Task> skip(TaskRef ref) {
        return observed("skip", tenantOf(ref), () -> engine.skip(ref));
    }

    @Override
    public Either<TaskError, Task> cancel(TaskRef ref) {
        return observed("cancel", tenantOf(ref), () -> engine.cancel(ref));
    }

    @Override
    public Either<TaskError, Task> detach(TaskRef ref) {
        return observed("detach", tenantOf(ref), () -> engine.detach(ref));
    }

    @Override
    public Either<TaskError, Task> reopen(TaskRef ref, ReopenReason reason) {
        return observed("reopen", tenantOf(ref), () -> engine.reopen(ref, reason));
    }

    @Override
    public Either<TaskError, Task> archive(TaskRef ref) {
        return observed("archive", tenantOf(ref), () -> engine.archive(ref));
    }

    @Override
    public Either<TaskError, Task> execute(TaskRef ref, ExecuteRequest request) {
        return observed("execute", tenantOf(ref), () -> engine.execute(ref, request));
    }

    @Override
    public TaskScheduler scheduler(SchedulerOptions options) {
        return done("scheduler", null, () -> engine.scheduler(options));
    }

    @Override
    public int relayPendingEvents() {
        return done("relayPendingEvents", null, engine::relayPendingEvents);
    }

    @Override
    public Backlog backlog() {
        return done("backlog", null, engine::backlog);
    }

    @Override
    public Optional<Webhooks> webhooks() {
        return engine.webhooks();
    }

    @Override
    public Either<TaskError, Task> delete(TaskRef ref) {
        return observed("delete", tenantOf(ref), () -> engine.delete(ref));
    }

    @Override
    public Either<TaskError, TaskPage> query(TaskQuery query) {
        return observed("query", query == null ? null : query.tenant(), () -> engine.query(query));
    }

    @Override
    public Either<TaskError, BatchResult> completeAll(
            Actor actor, TenantId tenant, List<TaskId> ids, Completion completion) {
        return observed("completeAll", tenant, () -> engine.completeAll(actor, tenant, ids, completion));
    }

    @Override
    public Either<TaskError, BatchResult> assignAll(Actor actor, TenantId tenant, List<TaskId> ids, UserId assignee) {
        return observed("assignAll", tenant, () -> engine.assignAll(actor, tenant, ids, assignee));
    }

    @Override
    public Either<TaskError, BatchResult> deleteAll(Actor actor, TenantId tenant, List<TaskId> ids) {
        return observed("deleteAll", tenant, () -> engine.deleteAll(actor, tenant, ids));
    }

    @Override
    public Either<TaskError, Task> snooze(TaskRef ref, Instant until) {
        return observed("snooze", tenantOf(ref), () -> engine.snooze(ref, until));
    }

    @Override
    public Either<TaskError, Task> unsnooze(TaskRef ref) {
        return observed("unsnooze", tenantOf(ref), () -> engine.unsnooze(ref));
    }

    @Override
    public Either<TaskError, BatchResult> snoozeAll(Actor actor, TaskSelection tasks, Instant until) {
        return observed(
                "snoozeAll", tasks == null ? null : tasks.tenant(), () -> engine.snoozeAll(actor, tasks, until));
    }

    @Override
    public Either<TaskError, BatchResult> unsnoozeAll(Actor actor, TaskSelection tasks) {
        return observed("unsnoozeAll", tasks == null ? null : tasks.tenant(), () -> engine.unsnoozeAll(actor, tasks));
    }

    @Override
    public Either<TaskError, BatchResult> rescheduleAll(Actor actor, TaskSelection tasks, Reschedule reschedule) {
        return observed(
                "rescheduleAll",
                tasks == null ? null : tasks.tenant(),
                () -> engine.rescheduleAll(actor, tasks, reschedule));
    }

    @Override
    public Either<TaskError, HandOverReport> handOver(HandOver handOver) {
        return observed("handOver", handOver == null ? null : handOver.tenant(), () -> engine.handOver(handOver));
    }

    @Override
    public Either<TaskError, BatchResult> pauseContact(Actor actor, TenantId tenant, ContactId contact, Instant until) {
        return observed("pauseContact", tenant, () -> engine.pauseContact(actor, tenant, contact, until));
    }

    @Override
    public Either<TaskError, BatchResult> resumeContact(Actor actor, TenantId tenant, ContactId contact) {
        return observed("resumeContact", tenant, () -> engine.resumeContact(actor, tenant, contact));
    }

    @Override
    public Optional<Instant> contactPausedUntil(TenantId tenant, ContactId contact) {
        return done("contactPausedUntil", tenant, () -> engine.contactPausedUntil(tenant, contact));
    }

    @Override
    public Either<TaskError, HistoryEntry> addNote(TaskRef ref, String text) {
        return observed("addNote", tenantOf(ref), () -> engine.addNote(ref, text));
    }

    @Override
    public Either<TaskError, HistoryPage> history(HistoryQuery query) {
        return observed("history", query == null ? null : query.tenant(), () -> engine.history(query));
    }

    @Override
    public Either<TaskError, TaskPage> staleTasks(TenantId tenant, int limit) {
        return observed("staleTasks", tenant, () -> engine.staleTasks(tenant, limit));
    }
}
