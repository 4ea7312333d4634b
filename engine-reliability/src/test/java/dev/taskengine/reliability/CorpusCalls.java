package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.newToDo;

import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskQuery;
import dev.taskengine.api.TaskRef;
import dev.taskengine.api.TaskSort;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.Schedule;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.SequenceStepId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskFields;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.domain.WireEnum;
import dev.taskengine.domain.WireEnums;
import dev.taskengine.reliability.Corpus.Case;
import dev.taskengine.reliability.Corpus.Word;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Turns a corpus case into one call of the driving port (or of {@code WireEnums.parse}) and makes it. */
final class CorpusCalls {
    private static final Set<String> ON_TASK = Set.of(
            "get",
            "start",
            "update",
            "reassign",
            "complete",
            "skip",
            "cancel",
            "detach",
            "reopen",
            "archive",
            "delete",
            "execute");

    private CorpusCalls() {}

    /** The stored task a case is about: a valid task of the named kind, in the state the name says. */
    static Task precondition(TaskEngine engine, TenantId tenant, String on) {
        NewTask.Builder task = base(tenant, on);
        Task created = engine.create(Writes.ACTOR, task.build())
                .getOrElseThrow(e -> new IllegalStateException("precondition " + on + ": " + e.message()));
        TaskRef ref = TaskRef.of(Writes.ACTOR, tenant, created.id());
        return switch (on) {
            case "finished" -> engine.complete(ref, Completion.done()).get();
            case "skipped" -> engine.skip(ref).get();
            case "cancelled" -> engine.cancel(ref).get();
            case "archived" ->
                engine.archive(TaskRef.of(
                                Writes.ACTOR,
                                tenant,
                                engine.complete(ref, Completion.done()).get().id()))
                        .get();
            case "inProgress" -> engine.start(ref).get();
            default -> created;
        };
    }

    /** A valid new task of a kind: the base of a create case, and of a precondition. */
    static NewTask.Builder base(TenantId tenant, String kind) {
        NewTask.Builder b = newToDo(tenant).startAt(NOW).dueTo(NOW.plus(1, ChronoUnit.DAYS));
        return switch (kind == null ? "todo" : kind) {
            case "todo", "finished", "skipped", "cancelled", "archived", "inProgress" -> b;
            case "email" ->
                b.type(TaskType.MANUAL_EMAIL)
                        .contact(ContactId.of(1))
                        .template(Template.of("Pilot for {{company}}", "Hi {{firstName}}, the pilot is ready."));
            case "emailGrace" ->
                b.type(TaskType.MANUAL_EMAIL)
                        .contact(ContactId.of(2))
                        .template(Template.of("Hello", "Hi {{firstName}}"));
            case "emailNoAccount" ->
                b.type(TaskType.MANUAL_EMAIL)
                        .contact(ContactId.of(1))
                        .assignee(UserId.of(9))
                        .template(Template.of("Hello", "Hi {{firstName}}"));
            case "sequenceEmailNoAccount" ->
                b.type(TaskType.MANUAL_EMAIL)
                        .contact(ContactId.of(1))
                        .template(Template.of("Hello", "Hi {{firstName}}"))
                        .sequence(SequenceRef.of(2, 1, "Step 1"));
            case "sms" -> b.type(TaskType.SMS).contact(ContactId.of(1)).template(Template.of("Hi {{firstName}}"));
            case "smsMissingVariable" ->
                b.type(TaskType.SMS).contact(ContactId.of(2)).template(Template.of("Hi {{firstName}} {{lastName}}"));
            case "call" -> b.type(TaskType.CALL).contact(ContactId.of(2)).template(Template.of("Call {{firstName}}"));
            case "linkedIn" ->
                b.type(TaskType.LINKED_IN)
                        .linkedInTaskType(LinkedInTaskType.CONNECT)
                        .contact(ContactId.of(1))
                        .template(Template.of("Connect with {{firstName}}"));
            case "sequence" -> b.contact(ContactId.of(1)).sequence(SequenceRef.of(1, 1, "Step 1"));
            default -> throw new IllegalArgumentException("unknown kind " + kind);
        };
    }

    /** Makes the call; answers what it answered (an Either), or throws what escaped. */
    static Object invoke(TaskEngine engine, TenantId tenant, Task on, Case c) {
        Map<String, Object> set = c.sets();
        TaskId id = set.containsKey("id") ? TaskId.of((Long) set.get("id")) : on == null ? TaskId.of(1) : on.id();
        TaskRef ref = TaskRef.of(Writes.ACTOR, tenant, id);
        if (set.containsKey("expectVersion")) {
            ref = ref.expecting((Long) set.get("expectVersion"));
        }
        if (ON_TASK.contains(c.call()) && on == null && !set.containsKey("id")) {
            throw new IllegalArgumentException(c + ": a call on a task needs 'on' or 'set: id'");
        }
        return switch (c.call()) {
            case "create" -> engine.create(Writes.ACTOR, newTask(tenant, c.on(), set));
            case "get" -> engine.get(tenant, id, bool(set, "content", true));
            case "start" -> engine.start(ref);
            case "update" -> engine.update(ref, update(on, set));
            case "reassign" -> engine.reassign(ref, user(set, "assignee", 8), scope(set));
            case "reassignSequence" ->
                engine.reassignSequence(
                        Writes.ACTOR,
                        tenant,
                        set.containsKey("sequenceId") && set.get("sequenceId") == null
                                ? null
                                : SequenceId.of(number(set, "sequenceId", 1)),
                        user(set, "assignee", 8));
            case "complete" -> engine.complete(ref, completion(set));
            case "skip" -> engine.skip(ref);
            case "cancel" -> engine.cancel(ref);
            case "detach" -> engine.detach(ref);
            case "reopen" ->
                engine.reopen(
                        ref,
                        set.containsKey("reason")
                                ? enumOf(ReopenReason.class, set.get("reason"))
                                : ReopenReason.MANUAL);
            case "archive" -> engine.archive(ref);
            case "delete" -> engine.delete(ref);
            case "execute" -> engine.execute(ref, executeRequest(set));
            case "query" -> engine.query(query(tenant, set));
            case "completeAll" -> engine.completeAll(Writes.ACTOR, tenant, ids(set, on), completion(set));
            case "assignAll" -> engine.assignAll(Writes.ACTOR, tenant, ids(set, on), user(set, "assignee", 8));
            case "deleteAll" -> engine.deleteAll(Writes.ACTOR, tenant, ids(set, on));
            case "parse" -> parse(((Word) set.get("enum")).name(), (String) set.get("raw"));
            default -> throw new IllegalArgumentException("unknown call " + c.call());
        };
    }

    private static NewTask newTask(TenantId tenant, String kind, Map<String, Object> set) {
        NewTask base = base(tenant, kind).build();
        Template template = editTemplate(base.fields().template(), set);
        SequenceRef sequence = base.sequence().orElse(null);
        CreationSource source = base.creationSource();
        if (set.containsKey("sequenceId") || set.containsKey("sequenceStepId") || set.containsKey("stepDisplayName")) {
            SequenceRef from = sequence == null ? SequenceRef.of(1, 1, "Step 1") : sequence;
            sequence = new SequenceRef(
                    set.containsKey("sequenceId") ? nullable(set.get("sequenceId"), SequenceId::of) : from.sequenceId(),
                    set.containsKey("sequenceStepId")
                            ? nullable(set.get("sequenceStepId"), SequenceStepId::of)
                            : from.stepId(),
                    set.containsKey("stepDisplayName")
                            ? Optional.ofNullable((String) set.get("stepDisplayName"))
                            : from.stepDisplayName());
            source = CreationSource.SEQUENCE;
        }
        if (set.containsKey("sequence") && set.get("sequence") == null) {
            sequence = null;
        }
        if (set.containsKey("creationSource")) {
            source = enumOf(CreationSource.class, set.get("creationSource"));
        }
        return new NewTask(
                set.containsKey("tenant") ? null : tenant,
                set.containsKey("assignedUserId")
                        ? nullable(set.get("assignedUserId"), UserId::of)
                        : base.assignedUserId(),
                source,
                Optional.ofNullable(sequence),
                new TaskFields(
                        set.containsKey("type")
                                ? enumOf(TaskType.class, set.get("type"))
                                : base.fields().type(),
                        set.containsKey("linkedInTaskType")
                                ? Optional.ofNullable(enumOf(LinkedInTaskType.class, set.get("linkedInTaskType")))
                                : base.fields().linkedInTaskType(),
                        set.containsKey("contactId")
                                ? Optional.ofNullable(nullable(set.get("contactId"), ContactId::of))
                                : base.fields().contactId(),
                        set.containsKey("priority")
                                ? enumOf(Priority.class, set.get("priority"))
                                : base.fields().priority(),
                        new Schedule(
                                set.containsKey("startAt")
                                        ? (Instant) set.get("startAt")
                                        : base.fields().schedule().startAt(),
                                set.containsKey("dueTo")
                                        ? (Instant) set.get("dueTo")
                                        : base.fields().schedule().dueTo(),
                                bool(set, "scheduled", base.fields().schedule().scheduled())),
                        template,
                        base.fields().remindAt()));
    }

    private static TaskUpdate update(Task on, Map<String, Object> set) {
        TaskUpdate u = on == null
                ? TaskUpdate.from(
                        dev.taskengine.contract.TaskFixtures.stored(TenantId.of("x"), TaskId.of(1), TaskStatus.NEW))
                : TaskUpdate.from(on);
        return new TaskUpdate(new TaskFields(
                set.containsKey("type")
                        ? enumOf(TaskType.class, set.get("type"))
                        : u.fields().type(),
                set.containsKey("linkedInTaskType")
                        ? Optional.ofNullable(enumOf(LinkedInTaskType.class, set.get("linkedInTaskType")))
                        : u.fields().linkedInTaskType(),
                set.containsKey("contactId")
                        ? Optional.ofNullable(nullable(set.get("contactId"), ContactId::of))
                        : u.fields().contactId(),
                set.containsKey("priority")
                        ? enumOf(Priority.class, set.get("priority"))
                        : u.fields().priority(),
                new Schedule(
                        set.containsKey("startAt")
                                ? (Instant) set.get("startAt")
                                : u.fields().schedule().startAt(),
                        set.containsKey("dueTo")
                                ? (Instant) set.get("dueTo")
                                : u.fields().schedule().dueTo(),
                        bool(set, "scheduled", u.fields().schedule().scheduled())),
                editTemplate(u.fields().template(), set),
                u.fields().remindAt()));
    }

    @SuppressWarnings("unchecked")
    private static Template editTemplate(Template template, Map<String, Object> set) {
        if (set.containsKey("template") && set.get("template") == null) {
            return null;
        }
        Optional<String> subject = set.containsKey("template.subject")
                ? Optional.ofNullable((String) set.get("template.subject"))
                : template.subject();
        String body = set.containsKey("template.body") ? (String) set.get("template.body") : template.body();
        List<Long> attachments = template.attachmentIds();
        if (set.containsKey("template.attachmentIds")) {
            attachments = new ArrayList<>((List<Long>) (List<?>) set.get("template.attachmentIds"));
        }
        return new Template(subject, body, attachments, template.literal());
    }

    private static Completion completion(Map<String, Object> set) {
        return new Completion(
                Optional.ofNullable(enumOf(Disposition.class, set.get("disposition"))),
                Optional.ofNullable(enumOf(CallResolution.class, set.get("callResolution"))),
                bool(set, "finishProspect", false));
    }

    private static ExecuteRequest executeRequest(Map<String, Object> set) {
        ExecuteRequest request =
                content(set).map(ExecuteRequest.rendered()::withContent).orElse(ExecuteRequest.rendered());
        return set.containsKey("emailAccountId")
                ? request.fromAccount(EmailAccountId.of((Long) set.get("emailAccountId")))
                : request;
    }

    private static Optional<Content> content(Map<String, Object> set) {
        if (!set.containsKey("content.body")) {
            return Optional.empty();
        }
        return Optional.of(new Content(
                Optional.ofNullable((String) set.get("content.subject")), (String) set.get("content.body")));
    }

    private static TaskQuery query(TenantId tenant, Map<String, Object> set) {
        TaskQuery.Builder q = TaskQuery.forTenant(tenant).limit(Math.toIntExact(number(set, "limit", 50)));
        q.startingBetween((Instant) set.get("startAtFrom"), (Instant) set.get("startAtTo"));
        if (set.containsKey("cursor")) {
            q.after((String) set.get("cursor"));
        }
        if (set.containsKey("sort")) {
            q.sort(enumOf(TaskSort.class, set.get("sort")));
        }
        return q.build();
    }

    @SuppressWarnings("unchecked")
    private static List<TaskId> ids(Map<String, Object> set, Task on) {
        if (!set.containsKey("ids")) {
            return List.of(on.id());
        }
        Object ids = set.get("ids");
        if (ids == null) {
            return null;
        }
        List<TaskId> list = new ArrayList<>();
        for (Object id : (List<Object>) ids) {
            list.add(id == null ? null : TaskId.of((Long) id));
        }
        return list;
    }

    private static UserId user(Map<String, Object> set, String key, long fallback) {
        return set.containsKey(key) ? nullable(set.get(key), UserId::of) : UserId.of(fallback);
    }

    private static ReassignScope scope(Map<String, Object> set) {
        return set.containsKey("scope") ? ReassignScope.valueOf(((Word) set.get("scope")).name()) : ReassignScope.TASK;
    }

    private static long number(Map<String, Object> set, String key, long fallback) {
        return set.containsKey(key) ? (Long) set.get(key) : fallback;
    }

    private static boolean bool(Map<String, Object> set, String key, boolean fallback) {
        return set.containsKey(key) ? (Boolean) set.get(key) : fallback;
    }

    private static <T> T nullable(Object value, java.util.function.LongFunction<T> of) {
        return value == null ? null : of.apply((Long) value);
    }

    private static <E extends Enum<E>> E enumOf(Class<E> type, Object value) {
        return value == null ? null : Enum.valueOf(type, ((Word) value).name());
    }

    private static final Map<String, Class<? extends WireEnum>> ENUMS = Map.of(
            "TaskType",
            TaskType.class,
            "TaskStatus",
            TaskStatus.class,
            "Priority",
            Priority.class,
            "CreationSource",
            CreationSource.class,
            "Disposition",
            Disposition.class,
            "LinkedInTaskType",
            LinkedInTaskType.class,
            "ReopenReason",
            ReopenReason.class,
            "CallResolution",
            CallResolution.class);

    private static final Map<String, String> POINTERS = Map.of(
            "TaskType",
            "/taskType",
            "TaskStatus",
            "/status",
            "Priority",
            "/priority",
            "CreationSource",
            "/creationSource",
            "Disposition",
            "/disposition",
            "LinkedInTaskType",
            "/linkedInTaskType",
            "ReopenReason",
            "/reopenReason",
            "CallResolution",
            "/callResolution");

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object parse(String enumName, String raw) {
        return WireEnums.parse((Class) ENUMS.get(enumName), POINTERS.get(enumName), raw);
    }
}
