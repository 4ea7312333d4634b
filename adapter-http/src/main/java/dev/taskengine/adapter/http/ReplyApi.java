package dev.taskengine.adapter.http;

import dev.taskengine.api.BatchResult;
import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskDetail;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.DeliveryInfo;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.Schedule;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.SequenceStepId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskFields;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import dev.taskengine.domain.WireEnum;
import io.javalin.http.Context;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Reply's v3 Tasks API: camelCase JSON, integer ids, enums read as integer codes or camelCase names and written in the
 * form {@link HttpSettings#enumStyle()} chooses. Fields beyond Reply's, accepted on create (and update where noted):
 * {@code assignedUserId} (default: the key's user), {@code priority} (default today; update: unchanged when absent),
 * {@code isScheduled} (default false; update: unchanged when absent), {@code sequenceId}, {@code sequenceStepId} and
 * {@code sequenceStepDisplayName} (a sequence task), {@code creationSource}; on complete, {@code disposition}.
 */
final class ReplyApi {
    static final int FILTER_TOP_DEFAULT = 100;
    static final int FILTER_TOP_MAX = 1000;
    static final int FILTER_LIST_MAX = 100;

    private final TaskEngine engine;
    private final HttpApi http;
    private final HttpSettings.EnumStyle style;
    private final ReplyWorkdayApi workday;

    ReplyApi(TaskEngine engine, HttpApi http, HttpSettings settings) {
        this.engine = engine;
        this.http = http;
        this.style = settings.enumStyle();
        this.workday = new ReplyWorkdayApi(engine, http, this);
    }

    /** Registers the routes; batch routes come before {@code /v3/tasks/{id}/...} so that "batch" is never taken for an id. */
    void register(Routes routes) {
        workday.register(routes);
        routes.post("/v3/tasks/filter", this::filter);
        routes.post("/v3/tasks/batch/complete", this::batchComplete);
        routes.post("/v3/tasks/batch/assign", this::batchAssign);
        routes.post("/v3/tasks/bulk-delete", this::bulkDelete);
        routes.post("/v3/tasks", this::create);
        routes.get("/v3/tasks/{id}", this::get);
        routes.put("/v3/tasks/{id}", this::update);
        routes.put("/v3/tasks/{id}/assigned-user", this::reassign);
        routes.post("/v3/tasks/{id}/execute", this::execute);
        routes.post("/v3/tasks/{id}/complete", this::complete);
    }

    // --- handlers

    private void create(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.Create body = http.replyBody(ctx, false, ReplyBodies.Create.class, in);
        in.throwIfInvalid();
        TaskType type = body.taskType();
        Instant startAt = body.startAt();
        Instant dueTo = body.dueTo();
        Template template = template(body.template());
        Long contactId = body.contactId();
        LinkedInTaskType linkedIn = body.linkedInTaskType();
        Long assignee = body.assignedUserId();
        Priority priority = body.priority();
        Boolean scheduled = body.isScheduled();
        Long sequenceId = body.sequenceId();
        Long stepId = body.sequenceStepId();
        String stepName = body.sequenceStepDisplayName();
        CreationSource source = body.creationSource();

        NewTask.Builder task = NewTask.builder()
                .tenant(principal.tenant())
                .type(type)
                .startAt(startAt)
                .dueTo(dueTo)
                .template(template)
                .linkedInTaskType(linkedIn)
                .assignee(assignee == null ? principal.user() : UserId.of(assignee))
                .scheduled(Boolean.TRUE.equals(scheduled))
                .remindAt(body.remindAt());
        if (contactId != null) {
            task.contact(ContactId.of(contactId));
        }
        if (priority != null) {
            task.priority(priority);
        }
        if (sequenceId != null || stepId != null || stepName != null) {
            task.sequence(new SequenceRef(
                    sequenceId == null ? null : SequenceId.of(sequenceId),
                    stepId == null ? null : SequenceStepId.of(stepId),
                    Optional.ofNullable(stepName)));
        }
        if (source != null) {
            task.creationSource(source);
        }
        Task created = engine.create(actor(principal), task.build()).getOrElseThrow(Refusal::of);
        ctx.header("Location", "/v3/tasks/" + created.id());
        answerTask(ctx, 201, detail(principal, created.id(), false));
    }

    private void get(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = pathId(ctx);
        boolean includeContent = HttpApi.booleanParam(ctx, "includeContent", false);
        boolean includeNotes = HttpApi.booleanParam(ctx, "includeNotes", false);
        answerTask(
                ctx,
                200,
                engine.get(principal.tenant(), id, includeContent, includeNotes).getOrElseThrow(Refusal::of),
                includeNotes);
    }

    private void update(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = pathId(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.Update body = http.replyBody(ctx, false, ReplyBodies.Update.class, in);
        in.throwIfInvalid();
        TaskType type = body.taskType();
        Instant startAt = body.startAt();
        Instant dueTo = body.dueTo();
        Template template = template(body.template());
        Long contactId = body.contactId();
        LinkedInTaskType linkedIn = body.linkedInTaskType();
        Priority priority = body.priority();
        Boolean scheduled = body.isScheduled();

        Task current = engine.get(principal.tenant(), id, false)
                .getOrElseThrow(Refusal::of)
                .task();
        TaskUpdate update = new TaskUpdate(new TaskFields(
                type,
                Optional.ofNullable(linkedIn),
                Optional.ofNullable(contactId).map(ContactId::of),
                priority == null ? current.fields().priority() : priority,
                new Schedule(
                        startAt, dueTo, scheduled == null ? current.schedule().scheduled() : scheduled),
                template,
                Optional.ofNullable(body.remindAt())));
        long expected = HttpApi.ifMatch(ctx).orElse(current.version());
        engine.update(TaskRef.of(actor(principal), principal.tenant(), id).expecting(expected), update)
                .getOrElseThrow(Refusal::of);
        answerTask(ctx, 200, detail(principal, id, false));
    }

    private void reassign(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = pathId(ctx);
        JsonInput in = new JsonInput();
        Long userId = http.replyBody(ctx, false, ReplyBodies.Reassign.class, in).userId();
        if (userId == null && !in.hasProblemAt("/userId")) {
            in.add("task.userId.required", "/userId", "the user to assign the task to is required");
        }
        in.throwIfInvalid();
        engine.reassign(ref(ctx, principal, id), UserId.of(userId), ReassignScope.TASK)
                .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, Map.of("/assignedUserId", "/userId"))));
        answerTask(ctx, 200, detail(principal, id, false));
    }

    private void execute(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = pathId(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.Execute body = http.replyBody(ctx, true, ReplyBodies.Execute.class, in);
        ReplyBodies.ContentBody contentIn = body.content();
        Optional<Content> content = Optional.empty();
        if (contentIn != null) {
            String text = contentIn.body();
            if (text == null && !in.hasProblemAt("/content/body")) {
                in.add(
                        "task.content.body.required",
                        "/content/body",
                        "the content body is required when content is given");
            }
            if (text != null) {
                content = Optional.of(new Content(Optional.ofNullable(contentIn.subject()), text));
            }
        }
        Long account = body.emailAccountId();
        in.throwIfInvalid();
        ExecuteRequest request = ExecuteRequest.rendered();
        if (content.isPresent()) {
            request = request.withContent(content.get());
        }
        if (account != null) {
            request = request.fromAccount(EmailAccountId.of(account));
        }
        engine.execute(ref(ctx, principal, id), request).getOrElseThrow(Refusal::of);
        answerTask(ctx, 200, detail(principal, id, false));
    }

    private void complete(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = pathId(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.Complete body = http.replyBody(ctx, true, ReplyBodies.Complete.class, in);
        Completion completion = completion(body.callResolution(), body.disposition(), body.finishProspectInSequence());
        in.throwIfInvalid();
        engine.complete(ref(ctx, principal, id), completion).getOrElseThrow(Refusal::of);
        answerTask(ctx, 200, detail(principal, id, false));
    }

    private void filter(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        List<Violation> problems = new ArrayList<>();
        int top = HttpApi.intParam(ctx, "top", FILTER_TOP_DEFAULT, 1, FILTER_TOP_MAX, problems);
        int skip = HttpApi.intParam(ctx, "skip", 0, 0, Integer.MAX_VALUE - FILTER_TOP_MAX - 1, problems);
        JsonInput in = new JsonInput();
        problems.forEach(in::add);
        ReplyBodies.Filter body = http.replyBody(ctx, true, ReplyBodies.Filter.class, in);
        List<TaskQuery> sources = filterSources(principal, body, in, "");
        in.throwIfInvalid();
        TaskSlices.Slice slice;
        try {
            slice = TaskSlices.slice(engine, sources, skip, top, false);
        } catch (Refusal refusal) {
            throw filterRefusal(refusal, "");
        }
        http.json(
                ctx,
                200,
                new ReplyAnswers.FilterPage(
                        slice.tasks().stream().map(this::listItem).toList(), slice.hasMore()));
    }

    /**
     * The queries a filter body stands for (one per sequence and step it names, as the engine filters on one value), its
     * problems added to {@code in} at pointers under {@code prefix} ({@code ""} for the filter route, {@code /filter} in
     * a bulk body); empty when {@code in} has problems.
     */
    List<TaskQuery> filterSources(Principal principal, ReplyBodies.Filter body, JsonInput in, String prefix) {
        Instant from = body.from();
        Instant to = body.to();
        Set<TaskType> types = body.taskType();
        Set<TaskStatus> statuses = body.status();
        List<Long> sequenceIds = body.sequenceIds();
        List<Long> stepIds = body.sequenceStepIds();
        Long contactId = body.contactId();
        Long assignee = body.assignedUserId();
        Boolean overdue = body.overdue();
        Boolean deferred = body.deferred();
        Boolean hidden = body.hidden();
        for (String field : List.of("sequenceIds", "sequenceStepIds")) {
            List<Long> ids = field.equals("sequenceIds") ? sequenceIds : stepIds;
            if (ids != null && ids.size() > FILTER_LIST_MAX) {
                in.add(
                        "query." + field + ".tooMany",
                        prefix + "/" + field,
                        "at most " + FILTER_LIST_MAX + " ids, not " + ids.size());
            }
        }
        if (!in.violations().isEmpty()) {
            return List.of();
        }

        List<TaskQuery> sources = new ArrayList<>();
        List<Long> sequences = sequenceIds == null ? List.of() : List.copyOf(new LinkedHashSet<>(sequenceIds));
        List<Long> steps = stepIds == null ? List.of() : List.copyOf(new LinkedHashSet<>(stepIds));
        for (Long sequence : sequences.isEmpty() ? java.util.Collections.<Long>singletonList(null) : sequences) {
            for (Long step : steps.isEmpty() ? java.util.Collections.<Long>singletonList(null) : steps) {
                TaskQuery.Builder source = TaskQuery.forTenant(principal.tenant())
                        .statuses(statuses)
                        .types(types)
                        .assignee(assignee == null ? null : UserId.of(assignee))
                        .sequence(sequence == null ? null : SequenceId.of(sequence))
                        .sequenceStep(step == null ? null : SequenceStepId.of(step))
                        .contact(contactId == null ? null : ContactId.of(contactId))
                        .startingBetween(from, to)
                        .overdue(Boolean.TRUE.equals(overdue))
                        .sort(TaskSort.START_AT_ASC)
                        .limit(1);
                if (deferred != null) {
                    source.deferred(deferred);
                }
                if (hidden != null) {
                    source.hidden(hidden);
                }
                sources.add(source.build());
            }
        }
        if (sources.size() > FILTER_LIST_MAX) {
            in.add(
                    "query.sequenceStepIds.tooMany",
                    prefix + "/sequenceStepIds",
                    "sequenceIds and sequenceStepIds together"
                            + " name at most " + FILTER_LIST_MAX
                            + " (sequence, step) pairs; filter by steps alone, as a step belongs"
                            + " to one sequence");
            return List.of();
        }
        return sources;
    }

    /** A refusal of a filter's queries, its pointers in the filter body's names (under {@code prefix}). */
    static Refusal filterRefusal(Refusal refusal, String prefix) {
        if (refusal.failure() instanceof Refusal.Failure.Rejected rejected) {
            return Refusal.of(Errors.renamed(
                    rejected.error(), Map.of("/startAtFrom", prefix + "/from", "/startAtTo", prefix + "/to")));
        }
        return refusal;
    }

    private void batchComplete(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.BatchComplete body = http.replyBody(ctx, false, ReplyBodies.BatchComplete.class, in);
        List<TaskId> ids = ids(body.ids());
        Completion completion = completion(body.callResolution(), body.disposition(), body.finishProspectInSequence());
        in.throwIfInvalid();
        batchAnswer(
                ctx,
                engine.completeAll(actor(principal), principal.tenant(), ids, completion)
                        .getOrElseThrow(Refusal::of));
    }

    private void batchAssign(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.BatchAssign body = http.replyBody(ctx, false, ReplyBodies.BatchAssign.class, in);
        List<TaskId> ids = ids(body.ids());
        Long userId = body.userId();
        if (userId == null && !in.hasProblemAt("/userId")) {
            in.add("task.userId.required", "/userId", "the user to assign the tasks to is required");
        }
        in.throwIfInvalid();
        BatchResult result = engine.assignAll(
                        actor(principal), principal.tenant(), ids, userId == null ? null : UserId.of(userId))
                .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, Map.of("/assignedUserId", "/userId"))));
        batchAnswer(ctx, result);
    }

    private void bulkDelete(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        JsonInput in = new JsonInput();
        List<TaskId> ids =
                ids(http.replyBody(ctx, false, ReplyBodies.BulkDelete.class, in).ids());
        in.throwIfInvalid();
        batchAnswer(
                ctx, engine.deleteAll(actor(principal), principal.tenant(), ids).getOrElseThrow(Refusal::of));
    }

    // --- reading requests

    static TaskId pathId(Context ctx) {
        String raw = ctx.pathParam("id");
        OptionalLong id = HttpApi.asciiLong(raw);
        if (id.isPresent() && id.getAsLong() > 0) {
            return TaskId.of(id.getAsLong());
        }
        throw Refusal.invalid(
                "request.path.id.invalid",
                "/id",
                "id, the task id, is a positive integer written with the digits 0-9, not '" + JsonInput.abbreviate(raw)
                        + "'");
    }

    /** Who acts in a request: the user its key names. */
    static Actor actor(Principal principal) {
        return Actor.user(principal.user());
    }

    static TaskRef ref(Context ctx, Principal principal, TaskId id) {
        TaskRef ref = TaskRef.of(actor(principal), principal.tenant(), id);
        OptionalLong expected = HttpApi.ifMatch(ctx);
        return expected.isPresent() ? ref.expecting(expected.getAsLong()) : ref;
    }

    private static Template template(ReplyBodies.TemplateBody template) {
        if (template == null) {
            return null;
        }
        List<Long> attachments = template.attachmentIdList();
        return Template.of(template.subject(), template.body(), attachments == null ? List.of() : attachments);
    }

    private static Completion completion(CallResolution resolution, Disposition disposition, Boolean finish) {
        return new Completion(
                Optional.ofNullable(disposition), Optional.ofNullable(resolution), Boolean.TRUE.equals(finish));
    }

    /** The ids of a batch; an absent list is empty, which the engine refuses with its count rule. */
    static List<TaskId> ids(List<Long> raw) {
        return raw == null ? List.of() : raw.stream().map(TaskId::of).toList();
    }

    // --- writing answers

    TaskDetail detail(Principal principal, TaskId id, boolean includeContent) {
        return engine.get(principal.tenant(), id, includeContent).getOrElseThrow(Refusal::of);
    }

    void answerTask(Context ctx, int status, TaskDetail detail) {
        answerTask(ctx, status, detail, false);
    }

    private void answerTask(Context ctx, int status, TaskDetail detail, boolean withNotes) {
        ctx.header("ETag", HttpApi.etag(detail.task()));
        http.json(ctx, status, view(detail, withNotes));
    }

    /** Failed items keyed by id ({@code {}} when all succeeded), as every batch route answers; pointers renamed. */
    void batchAnswer(Context ctx, BatchResult result) {
        batchAnswer(ctx, result, Map.of());
    }

    void batchAnswer(Context ctx, BatchResult result, Map<String, String> pointers) {
        Map<String, ReplyAnswers.BatchFailure> failed = new LinkedHashMap<>();
        result.failures()
                .forEach((id, error) -> failed.put(id.toString(), batchFailure(Errors.renamed(error, pointers))));
        http.json(ctx, 200, failed);
    }

    static ReplyAnswers.BatchFailure batchFailure(TaskError error) {
        return new ReplyAnswers.BatchFailure(
                ReplyErrors.status(error),
                error.code(),
                Errors.message(new Refusal.Failure.Rejected(error)),
                Errors.violationsOf(error).map(Errors::violations).orElse(null));
    }

    /** Reply's "full task detail"; {@code notes} null unless {@code withNotes}. */
    ReplyAnswers.TaskView view(TaskDetail detail, boolean withNotes) {
        return new ReplyAnswers.TaskView(
                listItem(detail.task()),
                detail.content()
                        .flatMap(ReplyApi::rendered)
                        .map(content -> new ReplyAnswers.ContentView(
                                content.body(), content.subject().orElse(null)))
                        .orElse(null),
                detail.deliveryInfo().map(ReplyApi::deliveryInfo).orElse(null),
                withNotes ? detail.notes().stream().map(this::entry).toList() : null);
    }

    /** A history entry (a note is one), as the history and notes routes answer it. */
    ReplyAnswers.HistoryEntryView entry(HistoryEntry entry) {
        return new ReplyAnswers.HistoryEntryView(
                entry.id().toString(),
                entry.taskId().value(),
                entry.version(),
                entry.at(),
                entry.actor().wireName(),
                entry.type().wireName(),
                entry.statusBefore().map(this::wire).orElse(null),
                entry.statusAfter().map(this::wire).orElse(null),
                entry.changes().stream()
                        .map(change -> new ReplyAnswers.ChangeView(
                                change.field(),
                                change.before().orElse(null),
                                change.after().orElse(null)))
                        .toList(),
                entry.reason().orElse(null),
                entry.note().orElse(null));
    }

    private static Optional<Content> rendered(Rendering rendering) {
        return rendering instanceof Rendering.Rendered rendered ? Optional.of(rendered.content()) : Optional.empty();
    }

    private static ReplyAnswers.DeliveryInfoView deliveryInfo(DeliveryInfo info) {
        return new ReplyAnswers.DeliveryInfoView(
                info.email().orElse(null),
                info.phoneNumber().orElse(null),
                info.linkedInUrl().orElse(null));
    }

    /** A task in a filter answer: the task detail without content and delivery info (which need the contact). */
    ReplyAnswers.TaskItem listItem(Task task) {
        Template template = task.fields().template();
        return new ReplyAnswers.TaskItem(
                task.id().value(),
                task.fields().contactId().map(ContactId::value).orElse(null),
                wire(task.type()),
                wire(task.status()),
                task.fields().linkedInTaskType().map(this::wire).orElse(null),
                task.origin().sequence().map(s -> s.sequenceId().value()).orElse(null),
                task.origin().sequence().map(s -> s.stepId().value()).orElse(null),
                task.origin().sequence().flatMap(SequenceRef::stepDisplayName).orElse(null),
                task.assignedUserId().value(),
                wire(task.origin().source()),
                task.times().createdAt(),
                task.schedule().startAt(),
                task.schedule().dueTo(),
                task.times().finishedAt().orElse(null),
                task.failure().failed(),
                task.schedule().scheduled(),
                new ReplyAnswers.TemplateView(
                        template.body(), template.subject().orElse(null), template.attachmentIds()),
                task.deferral().map(Deferral::until).orElse(null),
                task.deferral().map(Deferral::reason).orElse(null),
                task.fields().remindAt().orElse(null),
                task.snoozedUntil().orElse(null),
                task.pausedUntil().orElse(null));
    }

    ReplyAnswers.WireValue wire(WireEnum value) {
        return new ReplyAnswers.WireValue(value, style);
    }
}
