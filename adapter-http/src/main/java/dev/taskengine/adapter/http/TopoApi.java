package dev.taskengine.adapter.http;

import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Reopening;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import io.javalin.http.Context;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Topo's v1 Tasks API: snake_case JSON, UUIDs for ids (carried as {@link TopoIds} says), Topo's upper-case enum names.
 * Types and statuses Topo has no name for are written (and accepted in filters) under our constant names:
 * {@code MEETING}, {@code SMS}, {@code WHATS_APP}; {@code CANCELLED}, {@code ARCHIVED}, {@code SEQUENCE_DETACHED}. A
 * reopen through the API is a person's decision: its reason is {@code MANUAL} unless the body says
 * {@code {"reason": "REMINDER_RULE"}}.
 */
final class TopoApi {
    static final int SIZE_DEFAULT = 10;
    static final int SIZE_MAX = 100;
    /** The engine's pointer of a snooze, in Topo's name. */
    private static final Map<String, String> SNOOZED_UNTIL = Map.of("/snoozedUntil", "/snoozed_until");

    private final TaskEngine engine;
    private final HttpApi http;

    TopoApi(TaskEngine engine, HttpApi http) {
        this.engine = engine;
        this.http = http;
    }

    void register(Routes routes) {
        routes.get("/v1/tasks", this::list);
        routes.get("/v1/tasks/{task_id}", this::get);
        routes.patch("/v1/tasks/{task_id}/assignee", this::reassign);
        routes.post("/v1/tasks/{task_id}/skip", this::skip);
        routes.post("/v1/tasks/{task_id}/reopen", this::reopen);
        routes.post("/v1/tasks/{task_id}/snooze", this::snooze);
        routes.delete("/v1/tasks/{task_id}/snooze", this::unsnooze);
    }

    // --- handlers

    private void list(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        List<Violation> problems = new ArrayList<>();
        int page = HttpApi.intParam(ctx, "page", 1, 1, 1_000_000, problems);
        int size = HttpApi.intParam(ctx, "size", SIZE_DEFAULT, 1, SIZE_MAX, problems);
        String sortBy = choice(ctx, "sort_by", "created_at", List.of("created_at", "updated_at"), problems);
        String sortOrder = choice(ctx, "sort_order", "asc", List.of("asc", "desc"), problems);
        Optional<String> sequence = uuidParam(ctx, "sequence_id", problems);
        Optional<String> assignee = uuidParam(ctx, "assignee_user_id", problems);
        Optional<Boolean> deferred = HttpApi.booleanParam(ctx, "deferred", problems);
        Optional<Boolean> hidden = HttpApi.booleanParam(ctx, "hidden", problems);
        Set<TaskType> types = EnumSet.noneOf(TaskType.class);
        List<String> rawTypes = multi(ctx, "types");
        for (int i = 0; i < rawTypes.size(); i++) {
            Optional<TaskType> type = TopoNames.taskType(rawTypes.get(i));
            if (type.isPresent()) {
                types.add(type.get());
            } else {
                problems.add(Violation.of(
                        "task.types.unknown",
                        "/types/" + i,
                        "unknown type '" + JsonInput.abbreviate(rawTypes.get(i)) + "'; accepted: "
                                + Arrays.stream(TaskType.values())
                                        .map(TopoNames::wireName)
                                        .collect(Collectors.joining(", "))));
            }
        }
        Set<TaskStatus> statuses = EnumSet.noneOf(TaskStatus.class);
        String rawStatus = ctx.queryParam("status");
        if (rawStatus != null) {
            Optional<TaskStatus> status = TopoNames.status(rawStatus);
            if (status.isPresent()) {
                statuses.add(status.get());
            } else {
                problems.add(Violation.of(
                        "task.status.unknown",
                        "/status",
                        "unknown status '" + JsonInput.abbreviate(rawStatus) + "'; accepted: "
                                + Arrays.stream(TaskStatus.values())
                                        .map(TopoNames::wireName)
                                        .collect(Collectors.joining(", "))));
            }
        }
        Set<Priority> priorities = EnumSet.noneOf(Priority.class);
        List<String> rawPriorities = multi(ctx, "priorities");
        for (int i = 0; i < rawPriorities.size(); i++) {
            Optional<Priority> priority = TopoNames.priorityFromTopo(rawPriorities.get(i));
            if (priority.isPresent()) {
                priorities.add(priority.get());
            } else {
                problems.add(Violation.of(
                        "task.priorities.unknown",
                        "/priorities/" + i,
                        "unknown priority '" + JsonInput.abbreviate(rawPriorities.get(i))
                                + "'; accepted: HOT, TODAY, EXTRA"));
            }
        }
        if (!problems.isEmpty()) {
            throw Refusal.invalid(problems);
        }

        OptionalLong sequenceNumber = sequence.map(TopoIds::number).orElse(OptionalLong.empty());
        OptionalLong assigneeNumber = assignee.map(TopoIds::number).orElse(OptionalLong.empty());
        boolean nothingMatches =
                sequence.isPresent() && sequenceNumber.isEmpty() || assignee.isPresent() && assigneeNumber.isEmpty();
        TaskSort sort = sortBy.equals("updated_at")
                ? sortOrder.equals("desc") ? TaskSort.UPDATED_AT_DESC : TaskSort.UPDATED_AT_ASC
                : sortOrder.equals("desc") ? TaskSort.CREATED_AT_DESC : TaskSort.CREATED_AT_ASC;
        TaskQuery.Builder query = TaskQuery.forTenant(principal.tenant())
                .statuses(statuses)
                .types(types)
                .assignee(assigneeNumber.isPresent() ? UserId.of(assigneeNumber.getAsLong()) : null)
                .sequence(sequenceNumber.isPresent() ? SequenceId.of(sequenceNumber.getAsLong()) : null)
                .priorities(priorities)
                .sort(sort)
                .limit(1)
                .includeTotal();
        deferred.ifPresent(query::deferred);
        hidden.ifPresent(query::hidden);
        long skip = (long) (page - 1) * size;
        if (skip > Integer.MAX_VALUE - SIZE_MAX - 1) {
            throw Refusal.invalid("request.parameter.outOfRange", "/page", "page " + page + " is beyond any list");
        }
        TaskSlices.Slice slice =
                TaskSlices.slice(engine, nothingMatches ? List.of() : List.of(query.build()), (int) skip, size, true);
        long total = slice.total().orElse(0);
        http.json(
                ctx,
                200,
                new TopoAnswers.TaskPage(
                        slice.tasks().stream().map(TopoApi::view).toList(),
                        total,
                        (total + size - 1) / size,
                        slice.hasMore()));
    }

    private void get(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = taskId(ctx);
        Task task = engine.get(principal.tenant(), id, false)
                .getOrElseThrow(Refusal::of)
                .task();
        answer(ctx, task);
    }

    private void reassign(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = taskId(ctx);
        JsonInput in = new JsonInput();
        TopoBodies.Reassign body = http.topoBody(ctx, false, TopoBodies.Reassign.class, in);
        String assignee = body.assigneeUserId();
        String rawScope = body.scope();
        UserId user = null;
        if (assignee == null && !in.hasProblemAt("/assignee_user_id")) {
            in.add("task.assignee_user_id.required", "/assignee_user_id", "the user to assign the task to is required");
        } else if (assignee != null) {
            if (!TopoIds.isUuid(assignee)) {
                in.add(
                        "task.assignee_user_id.invalid",
                        "/assignee_user_id",
                        "'" + JsonInput.abbreviate(assignee) + "' is not a UUID");
            } else {
                OptionalLong number = TopoIds.number(assignee);
                if (number.isEmpty()) {
                    in.add(
                            "task.assignee_user_id.unknown",
                            "/assignee_user_id",
                            "no user " + assignee + " here: user N is 00000000-0000-0000-0000-{N in 12 hex digits}");
                } else {
                    user = UserId.of(number.getAsLong());
                }
            }
        }
        ReassignScope scope = ReassignScope.TASK;
        if (rawScope != null) {
            try {
                scope = ReassignScope.valueOf(rawScope);
            } catch (IllegalArgumentException e) {
                in.add(
                        "task.scope.unknown",
                        "/scope",
                        "unknown scope '" + JsonInput.abbreviate(rawScope) + "'; accepted: TASK, SEQUENCE");
            }
        }
        in.throwIfInvalid();
        Task task = engine.reassign(ref(ctx, principal, id), user, scope)
                .getOrElseThrow(
                        error -> Refusal.of(Errors.renamed(error, Map.of("/assignedUserId", "/assignee_user_id"))))
                .task();
        answer(ctx, task);
    }

    private void skip(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = taskId(ctx);
        JsonInput in = new JsonInput();
        http.topoBody(ctx, true, TopoBodies.Skip.class, in);
        in.throwIfInvalid();
        answer(ctx, engine.skip(ref(ctx, principal, id)).getOrElseThrow(Refusal::of));
    }

    private void reopen(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = taskId(ctx);
        JsonInput in = new JsonInput();
        String rawReason = http.topoBody(ctx, true, TopoBodies.Reopen.class, in).reason();
        ReopenReason reason = ReopenReason.MANUAL;
        if (rawReason != null) {
            Optional<ReopenReason> named = TopoNames.reopenReasonFromTopo(rawReason);
            if (named.isPresent()) {
                reason = named.get();
            } else {
                in.add(
                        "task.reason.unknown",
                        "/reason",
                        "unknown reason '" + JsonInput.abbreviate(rawReason) + "'; accepted: REMINDER_RULE, MANUAL");
            }
        }
        in.throwIfInvalid();
        answer(ctx, engine.reopen(ref(ctx, principal, id), reason).getOrElseThrow(Refusal::of));
    }

    private void snooze(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = taskId(ctx);
        JsonInput in = new JsonInput();
        java.time.Instant until =
                http.topoBody(ctx, false, TopoBodies.Snooze.class, in).snoozedUntil();
        if (until == null && !in.hasProblemAt("/snoozed_until")) {
            in.add("task.snoozedUntil.required", "/snoozed_until", "a snooze needs its end");
        }
        in.throwIfInvalid();
        answer(
                ctx,
                engine.snooze(ref(ctx, principal, id), until)
                        .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, SNOOZED_UNTIL))));
    }

    private void unsnooze(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = taskId(ctx);
        answer(
                ctx,
                engine.unsnooze(ref(ctx, principal, id))
                        .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, SNOOZED_UNTIL))));
    }

    // --- reading requests

    /** A malformed UUID is a validation issue (400); a UUID that carries no id of ours names no task (404). */
    private static TaskId taskId(Context ctx) {
        String raw = ctx.pathParam("task_id");
        if (!TopoIds.isUuid(raw)) {
            throw Refusal.invalid(
                    "request.path.task_id.invalid", "/task_id", "'" + JsonInput.abbreviate(raw) + "' is not a UUID");
        }
        OptionalLong number = TopoIds.number(raw);
        if (number.isEmpty()) {
            throw new Refusal(new Refusal.Failure.Unknown("task.notFound", "task " + raw + " not found"));
        }
        return TaskId.of(number.getAsLong());
    }

    private static TaskRef ref(Context ctx, Principal principal, TaskId id) {
        TaskRef ref = TaskRef.of(ReplyApi.actor(principal), principal.tenant(), id);
        OptionalLong expected = HttpApi.ifMatch(ctx);
        return expected.isPresent() ? ref.expecting(expected.getAsLong()) : ref;
    }

    /** Values of a repeatable parameter, given as {@code name=} or {@code name[]=}. */
    private static List<String> multi(Context ctx, String name) {
        List<String> values = new ArrayList<>(ctx.queryParams(name));
        values.addAll(ctx.queryParams(name + "[]"));
        return values;
    }

    private static String choice(
            Context ctx, String name, String fallback, List<String> accepted, List<Violation> problems) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return fallback;
        }
        if (!accepted.contains(raw)) {
            problems.add(Violation.of(
                    "request.parameter.invalid",
                    "/" + name,
                    "'" + JsonInput.abbreviate(raw) + "' is not one of " + String.join(", ", accepted)));
            return fallback;
        }
        return raw;
    }

    private static Optional<String> uuidParam(Context ctx, String name, List<Violation> problems) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return Optional.empty();
        }
        if (!TopoIds.isUuid(raw)) {
            problems.add(Violation.of(
                    "request.parameter.invalid", "/" + name, "'" + JsonInput.abbreviate(raw) + "' is not a UUID"));
            return Optional.empty();
        }
        return Optional.of(raw);
    }

    // --- writing answers

    private void answer(Context ctx, Task task) {
        ctx.header("ETag", HttpApi.etag(task));
        http.json(ctx, 200, view(task));
    }

    static TopoAnswers.TaskView view(Task task) {
        return new TopoAnswers.TaskView(
                TopoIds.of(task.id().value()),
                TopoIds.organization(task.tenant()),
                TopoNames.wireName(task.type()),
                TopoNames.topoName(task.fields().priority()),
                TopoNames.wireName(task.status()),
                task.origin()
                        .sequence()
                        .map(s -> TopoIds.of(s.sequenceId().value()))
                        .orElse(null),
                TopoIds.of(task.assignedUserId().value()),
                task.callOutcome().disposition().map(TopoNames::topoName).orElse(null),
                task.reopening().map(Reopening::at).orElse(null),
                task.reopening().map(Reopening::reason).map(TopoNames::topoName).orElse(null),
                task.times().skippedAt().orElse(null),
                task.times().finishedAt().orElse(null),
                task.times().createdAt(),
                task.times().updatedAt(),
                task.deferral().map(Deferral::until).orElse(null),
                task.deferral().map(Deferral::reason).orElse(null),
                task.fields().remindAt().orElse(null),
                task.snoozedUntil().orElse(null),
                task.pausedUntil().orElse(null));
    }
}
