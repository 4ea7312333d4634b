package dev.taskengine.adapter.http;

import dev.taskengine.api.BatchResult;
import dev.taskengine.api.HandOver;
import dev.taskengine.api.HandOverReport;
import dev.taskengine.api.HistoryPage;
import dev.taskengine.api.HistoryQuery;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskSelection;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.HistoryEntry;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.Reschedule;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.Violation;
import io.javalin.http.Context;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The rep's working day in the Reply dialect: snoozing one task or many, rescheduling many, notes, history, handing a
 * user's work over, pausing a contact, and the stale-rule preview. Tasks and batch results are answered as
 * {@link ReplyApi} answers them; the engine's pointers are renamed to the bodies' fields ({@code /snoozedUntil} and
 * {@code /pausedUntil} are {@code /until}).
 */
final class ReplyWorkdayApi {
    static final int STALE_LIMIT_DEFAULT = 100;

    /** The engine's pointers of a snooze or pause, in the bodies' names. */
    private static final Map<String, String> UNTIL = Map.of("/snoozedUntil", "/until", "/pausedUntil", "/until");

    private final TaskEngine engine;
    private final HttpApi http;
    private final ReplyApi reply;

    ReplyWorkdayApi(TaskEngine engine, HttpApi http, ReplyApi reply) {
        this.engine = engine;
        this.http = http;
        this.reply = reply;
    }

    /** Registers the routes; those under {@code /v3/tasks/} that are not ids come before {@link ReplyApi}'s. */
    void register(Routes routes) {
        routes.post("/v3/tasks/snooze", this::snoozeAll);
        routes.post("/v3/tasks/unsnooze", this::unsnoozeAll);
        routes.post("/v3/tasks/reschedule", this::rescheduleAll);
        routes.get("/v3/tasks/stale", this::stale);
        routes.post("/v3/tasks/{id}/snooze", this::snooze);
        routes.delete("/v3/tasks/{id}/snooze", this::unsnooze);
        routes.post("/v3/tasks/{id}/notes", this::addNote);
        routes.get("/v3/tasks/{id}/notes", this::notes);
        routes.get("/v3/tasks/{id}/history", this::taskHistory);
        routes.get("/v3/history", this::tenantHistory);
        routes.post("/v3/users/{from}/hand-over", this::handOver);
        routes.post("/v3/contacts/{id}/pause", this::pause);
        routes.delete("/v3/contacts/{id}/pause", this::resume);
        routes.get("/v3/contacts/{id}/pause", this::pausedUntil);
    }

    // --- snooze

    private void snooze(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = ReplyApi.pathId(ctx);
        JsonInput in = new JsonInput();
        Instant until = http.replyBody(ctx, false, ReplyBodies.Snooze.class, in).until();
        requireUntil(until, in, "task.snoozedUntil.required", "a snooze needs its end");
        in.throwIfInvalid();
        engine.snooze(ReplyApi.ref(ctx, principal, id), until)
                .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, UNTIL)));
        reply.answerTask(ctx, 200, reply.detail(principal, id, false));
    }

    private void unsnooze(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = ReplyApi.pathId(ctx);
        engine.unsnooze(ReplyApi.ref(ctx, principal, id)).getOrElseThrow(Refusal::of);
        reply.answerTask(ctx, 200, reply.detail(principal, id, false));
    }

    private void snoozeAll(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.BulkSnooze body = http.replyBody(ctx, false, ReplyBodies.BulkSnooze.class, in);
        Optional<TaskSelection> tasks = selection(principal, body.ids(), body.filter(), body.top(), in);
        requireUntil(body.until(), in, "task.snoozedUntil.required", "a snooze needs its end");
        in.throwIfInvalid();
        BatchResult result = engine.snoozeAll(ReplyApi.actor(principal), tasks.orElseThrow(), body.until())
                .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, SELECTION)));
        reply.batchAnswer(ctx, result, UNTIL);
    }

    private void unsnoozeAll(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.BulkUnsnooze body = http.replyBody(ctx, false, ReplyBodies.BulkUnsnooze.class, in);
        Optional<TaskSelection> tasks = selection(principal, body.ids(), body.filter(), body.top(), in);
        in.throwIfInvalid();
        BatchResult result = engine.unsnoozeAll(ReplyApi.actor(principal), tasks.orElseThrow())
                .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, SELECTION)));
        reply.batchAnswer(ctx, result);
    }

    private void rescheduleAll(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.Reschedule body = http.replyBody(ctx, false, ReplyBodies.Reschedule.class, in);
        Optional<TaskSelection> tasks = selection(principal, body.ids(), body.filter(), body.top(), in);
        Duration shift = null;
        if (body.shiftBy() != null) {
            try {
                shift = Duration.parse(body.shiftBy());
            } catch (DateTimeParseException e) {
                in.add(
                        "request.field.invalidDuration",
                        "/shiftBy",
                        "'" + JsonInput.abbreviate(body.shiftBy())
                                + "' is not an ISO-8601 duration, such as PT2H, P1D or -PT30M");
            }
        }
        List<String> given = new ArrayList<>();
        for (String field : List.of("shiftBy", "startAt", "dueTo")) {
            boolean present = switch (field) {
                case "shiftBy" -> body.shiftBy() != null;
                case "startAt" -> body.startAt() != null;
                default -> body.dueTo() != null;
            };
            if (present || in.hasProblemAt("/" + field)) {
                given.add(field);
            }
        }
        if (given.isEmpty()) {
            in.add(
                    "task.reschedule.required",
                    "/shiftBy",
                    "a reschedule gives one of shiftBy (a duration), startAt or dueTo");
        }
        for (String extra : given.subList(Math.min(1, given.size()), given.size())) {
            in.add(
                    "task.reschedule.oneOnly",
                    "/" + extra,
                    "a reschedule gives one of shiftBy, startAt or dueTo, not " + given.get(0) + " and " + extra);
        }
        in.throwIfInvalid();
        Reschedule reschedule = shift != null
                ? Reschedule.by(shift)
                : body.startAt() != null ? Reschedule.startingAt(body.startAt()) : Reschedule.dueAt(body.dueTo());
        BatchResult result = engine.rescheduleAll(ReplyApi.actor(principal), tasks.orElseThrow(), reschedule)
                .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, SELECTION)));
        reply.batchAnswer(ctx, result);
    }

    /** The engine's pointers of a selection's query, in a bulk body's names. */
    private static final Map<String, String> SELECTION =
            Map.of("/startAtFrom", "/filter/from", "/startAtTo", "/filter/to", "/limit", "/top");

    /**
     * The tasks a bulk body selects: {@code ids}, or the first {@code top} (default {@value ReplyApi#FILTER_TOP_DEFAULT},
     * at most {@link Limits#BULK_MAX}) tasks of {@code filter} in its order; empty with the problems added to {@code in}.
     */
    private Optional<TaskSelection> selection(
            Principal principal, List<Long> ids, ReplyBodies.Filter filter, Long top, JsonInput in) {
        if (ids != null && filter != null) {
            in.add("bulk.selection.both", "/filter", "a bulk call selects its tasks by ids or by a filter, not both");
        } else if (ids == null && filter == null && !in.hasProblemAt("/ids") && !in.hasProblemAt("/filter")) {
            in.add("bulk.selection.required", "/ids", "ids, or a filter, selects the tasks");
        }
        if (top != null && ids != null) {
            in.add("bulk.top.withIds", "/top", "top counts the tasks of a filter; ids name their tasks");
        } else if (top != null && (top < 1 || top > Limits.BULK_MAX)) {
            in.add("bulk.top.outOfRange", "/top", "top is 1 to " + Limits.BULK_MAX + ", not " + top);
        }
        List<TaskQuery> sources = filter == null ? List.of() : reply.filterSources(principal, filter, in, "/filter");
        if (sources.size() > 1) {
            in.add(
                    "bulk.filter.oneSequence",
                    "/filter/sequenceIds",
                    "a bulk call's filter names at most one sequence and one step; the filter route takes more");
        }
        if (!in.violations().isEmpty()) {
            return Optional.empty();
        }
        if (ids != null) {
            return Optional.of(TaskSelection.ids(principal.tenant(), ReplyApi.ids(ids)));
        }
        int limit = top == null ? ReplyApi.FILTER_TOP_DEFAULT : top.intValue();
        return Optional.of(
                TaskSelection.matching(sources.get(0).toBuilder().limit(limit).build()));
    }

    private static void requireUntil(Instant until, JsonInput in, String code, String message) {
        if (until == null && !in.hasProblemAt("/until")) {
            in.add(code, "/until", message);
        }
    }

    // --- notes and history

    private void addNote(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = ReplyApi.pathId(ctx);
        JsonInput in = new JsonInput();
        String text = http.replyBody(ctx, false, ReplyBodies.Note.class, in).text();
        in.throwIfInvalid();
        HistoryEntry note =
                engine.addNote(ReplyApi.ref(ctx, principal, id), text).getOrElseThrow(Refusal::of);
        http.json(ctx, 201, reply.entry(note));
    }

    private void notes(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = ReplyApi.pathId(ctx);
        List<HistoryEntry> notes = engine.get(principal.tenant(), id, false, true)
                .getOrElseThrow(Refusal::of)
                .notes();
        http.json(
                ctx,
                200,
                new ReplyAnswers.NoteList(notes.stream().map(reply::entry).toList()));
    }

    private void taskHistory(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        TaskId id = ReplyApi.pathId(ctx);
        List<Violation> problems = new ArrayList<>();
        HistoryQuery.Builder query = HistoryQuery.forTask(principal.tenant(), id);
        page(ctx, query, problems);
        answerHistory(ctx, query, problems);
    }

    private void tenantHistory(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        List<Violation> problems = new ArrayList<>();
        HistoryQuery.Builder query = HistoryQuery.forTenant(principal.tenant());
        String actor = ctx.queryParam("actor");
        if (actor != null && !actor.isEmpty()) {
            try {
                query.actor(Actor.parse(actor.strip()));
            } catch (IllegalArgumentException e) {
                problems.add(Violation.of(
                        "request.parameter.invalid",
                        "/actor",
                        "'" + JsonInput.abbreviate(actor) + "' is not an actor: user:<id> or system:<name>"));
            }
        }
        query.from(instantParam(ctx, "from", problems));
        query.to(instantParam(ctx, "to", problems));
        page(ctx, query, problems);
        answerHistory(ctx, query, problems);
    }

    private static void page(Context ctx, HistoryQuery.Builder query, List<Violation> problems) {
        query.limit(HttpApi.intParam(ctx, "limit", HistoryQuery.DEFAULT_LIMIT, 1, Limits.PAGE_MAX, problems));
        String cursor = ctx.queryParam("cursor");
        if (cursor != null && !cursor.isEmpty()) {
            query.after(cursor);
        }
    }

    private void answerHistory(Context ctx, HistoryQuery.Builder query, List<Violation> problems) {
        if (!problems.isEmpty()) {
            throw Refusal.invalid(problems);
        }
        HistoryPage page = engine.history(query.build()).getOrElseThrow(Refusal::of);
        http.json(
                ctx,
                200,
                new ReplyAnswers.HistoryPageView(
                        page.entries().stream().map(reply::entry).toList(),
                        page.nextCursor().orElse(null)));
    }

    private static Instant instantParam(Context ctx, String name, List<Violation> problems) {
        String raw = ctx.queryParam(name);
        if (raw == null || raw.isEmpty()) {
            return null;
        }
        Instant parsed = JsonInput.parseInstant(raw.strip());
        if (parsed == null) {
            problems.add(Violation.of(
                    "request.parameter.invalidDateTime",
                    "/" + name,
                    "'" + JsonInput.abbreviate(raw)
                            + "' is not an ISO-8601 date-time with an offset, such as 2023-11-07T05:31:56Z"));
        }
        return parsed;
    }

    // --- hand-over

    private void handOver(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        long from = positiveId(ctx, "from", "the user handing over");
        JsonInput in = new JsonInput();
        ReplyBodies.HandOver body = http.replyBody(ctx, false, ReplyBodies.HandOver.class, in);
        int batchSize = HandOver.DEFAULT_BATCH_SIZE;
        if (body.batchSize() != null) {
            // The engine checks the size with the users; only a number beyond any int is refused here.
            if (body.batchSize() < Integer.MIN_VALUE || body.batchSize() > Integer.MAX_VALUE) {
                in.add(
                        "handOver.batchSize.outOfRange",
                        "/batchSize",
                        "a batch holds 1 to " + Limits.PAGE_MAX + " tasks, not " + body.batchSize());
            } else {
                batchSize = body.batchSize().intValue();
            }
        }
        in.throwIfInvalid();
        List<UserId> to = body.to() == null
                ? List.of()
                : body.to().stream().map(UserId::of).toList();
        HandOverReport report = engine.handOver(
                        new HandOver(ReplyApi.actor(principal), principal.tenant(), UserId.of(from), to, batchSize))
                .getOrElseThrow(Refusal::of);
        List<ReplyAnswers.NotMovedView> notMoved = new ArrayList<>();
        report.notMoved()
                .forEach((id, error) ->
                        notMoved.add(new ReplyAnswers.NotMovedView(id.value(), ReplyApi.batchFailure(error))));
        http.json(
                ctx,
                200,
                new ReplyAnswers.HandOverView(
                        report.moved().stream()
                                .map(move -> new ReplyAnswers.MoveView(
                                        move.taskId().value(), move.to().value(), move.version()))
                                .toList(),
                        notMoved,
                        report.batches()));
    }

    // --- contact pause

    private void pause(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        ContactId contact = ContactId.of(positiveId(ctx, "id", "the contact id"));
        JsonInput in = new JsonInput();
        Instant until = http.replyBody(ctx, false, ReplyBodies.Pause.class, in).until();
        requireUntil(until, in, "contact.pausedUntil.required", "a pause needs its end");
        in.throwIfInvalid();
        BatchResult held = engine.pauseContact(ReplyApi.actor(principal), principal.tenant(), contact, until)
                .getOrElseThrow(error -> Refusal.of(Errors.renamed(error, UNTIL)));
        reply.batchAnswer(ctx, held);
    }

    private void resume(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        ContactId contact = ContactId.of(positiveId(ctx, "id", "the contact id"));
        BatchResult resumed = engine.resumeContact(ReplyApi.actor(principal), principal.tenant(), contact)
                .getOrElseThrow(Refusal::of);
        reply.batchAnswer(ctx, resumed);
    }

    private void pausedUntil(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        ContactId contact = ContactId.of(positiveId(ctx, "id", "the contact id"));
        http.json(
                ctx,
                200,
                new ReplyAnswers.PauseView(
                        engine.contactPausedUntil(principal.tenant(), contact).orElse(null)));
    }

    // --- stale tasks

    private void stale(Context ctx) {
        Principal principal = HttpApi.principal(ctx);
        List<Violation> problems = new ArrayList<>();
        int limit = HttpApi.intParam(ctx, "limit", STALE_LIMIT_DEFAULT, 1, Limits.PAGE_MAX, problems);
        if (!problems.isEmpty()) {
            throw Refusal.invalid(problems);
        }
        http.json(
                ctx,
                200,
                new ReplyAnswers.TaskList(
                        engine.staleTasks(principal.tenant(), limit).getOrElseThrow(Refusal::of).tasks().stream()
                                .map(reply::listItem)
                                .toList()));
    }

    /** A positive id in the path, as {@link ReplyApi#pathId} reads a task's. */
    private static long positiveId(Context ctx, String name, String what) {
        String raw = ctx.pathParam(name);
        OptionalLong id = HttpApi.asciiLong(raw);
        if (id.isPresent() && id.getAsLong() > 0) {
            return id.getAsLong();
        }
        throw Refusal.invalid(
                "request.path." + name + ".invalid",
                "/" + name,
                name + ", " + what + ", is a positive integer written with the digits 0-9, not '"
                        + JsonInput.abbreviate(raw) + "'");
    }
}
