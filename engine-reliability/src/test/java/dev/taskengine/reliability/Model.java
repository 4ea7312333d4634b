package dev.taskengine.reliability;

import dev.taskengine.api.HandOverReport;
import dev.taskengine.api.Reassignment;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.NewTask;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskAction;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.reliability.Command.Expect;
import dev.taskengine.reliability.Command.Filter;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.OutgoingMessage;
import io.vavr.control.Either;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.function.Function;

/**
 * A small reference model of the engine, written from the README (lifecycle table, validation rules, execution steps,
 * retry policy), not from the engine's code. For each call it says what the engine must answer and how the tenant's
 * tasks must look afterwards. It knows only the value domains the generated sequences use (two contacts, three users,
 * two sequences, a handful of templates), which keeps it small enough to be obviously right.
 */
final class Model {
    /** A refusal, normalized: an {@link Invalid} for invalid input, otherwise the {@link TaskError} itself. */
    record Refused(Object error) {}

    /** Invalid input as its sorted "code at pointer" list: messages are for people and are not compared. */
    record Invalid(List<String> violations) {}

    record Detail(Task task, Optional<Rendering> content) {}

    record Page(List<TaskId> ids, long total) {}

    record Batch(List<TaskId> succeeded, Map<TaskId, Object> failures) {}

    /** A note kept, as far as it is not random (its id) or the clock's (its time). */
    record Note(TaskId taskId, long version, Actor actor, Optional<TaskStatus> status, String text) {}

    private static final Set<TaskStatus> ACTIVE = EnumSet.of(TaskStatus.NEW, TaskStatus.IN_PROGRESS);
    private static final Set<TaskStatus> CLOSED =
            EnumSet.of(TaskStatus.FINISHED, TaskStatus.SKIPPED, TaskStatus.CANCELLED, TaskStatus.SEQUENCE_DETACHED);
    private static final Instant EARLIEST = Instant.parse("2015-01-01T00:00:00Z");

    /** The contacts' template variables, written out (not taken from {@code Contact.variables()}). */
    private static final Map<ContactId, Map<String, String>> VALUES = Map.of(
            ContactId.of(1),
                    Map.of(
                            "firstName",
                            "Ada",
                            "lastName",
                            "Lovelace",
                            "email",
                            "ada@example.com",
                            "phone",
                            "+44 20 7946 0000",
                            "company",
                            "Analytical <Engines>",
                            "title",
                            "Countess & \"Analyst\""),
            ContactId.of(2), Map.of("firstName", "Grace", "phone", "+1 202 555 0102"));

    private final TenantId tenant;
    private final Clock clock;
    private final Map<TaskId, ModelTask> tasks = new LinkedHashMap<>();
    /** Until when each contact is paused, as kept (possibly ended since). */
    private final Map<ContactId, Instant> pauses = new HashMap<>();

    private OutgoingMessage lastMessage;

    Model(TenantId tenant, Clock clock) {
        this.tenant = tenant;
        this.clock = clock;
    }

    Map<TaskId, ModelTask> tasks() {
        return tasks;
    }

    Optional<ModelTask> task(TaskId id) {
        return Optional.ofNullable(tasks.get(id));
    }

    /** The message the last successful record of an execution must have handed to the sender, if any. */
    OutgoingMessage takeLastMessage() {
        OutgoingMessage message = lastMessage;
        lastMessage = null;
        return message;
    }

    /** The version a call states for {@code expect}; for a task the model does not know, any number will do. */
    OptionalLong expectedVersion(TaskId id, Expect expect) {
        long version = task(id).map(t -> t.version).orElse(1L);
        return switch (expect) {
            case ANY -> OptionalLong.empty();
            case CURRENT -> OptionalLong.of(version);
            case STALE -> OptionalLong.of(version - 1);
        };
    }

    private Instant now() {
        return clock.instant().truncatedTo(ChronoUnit.MICROS);
    }

    /** The time of a change: now, but never before the task's last change. */
    private Instant at(ModelTask task) {
        Instant now = now();
        return now.isBefore(task.updatedAt) ? task.updatedAt : now;
    }

    // --- the lifecycle table of the README, written out

    private static Set<TaskStatus> allowedFrom(TaskAction action) {
        return switch (action) {
            case START -> EnumSet.of(TaskStatus.NEW);
            case UPDATE,
                    REASSIGN,
                    EXECUTE,
                    COMPLETE,
                    SKIP,
                    CANCEL,
                    DETACH,
                    SNOOZE,
                    UNSNOOZE,
                    RESCHEDULE,
                    PAUSE,
                    RESUME,
                    REMIND,
                    CLOSE_STALE -> ACTIVE;
            case REOPEN -> EnumSet.of(TaskStatus.FINISHED, TaskStatus.SKIPPED);
            case ARCHIVE -> CLOSED;
            case DELETE, ADD_NOTE -> EnumSet.allOf(TaskStatus.class);
        };
    }

    private Either<Object, ModelTask> find(TaskId id, OptionalLong expected) {
        ModelTask task = tasks.get(id);
        if (task == null) {
            return Either.left(new Refused(new TaskError.NotFound(id)));
        }
        if (expected.isPresent() && expected.getAsLong() != task.version) {
            return Either.left(new Refused(new TaskError.VersionConflict(id, expected.getAsLong(), task.version)));
        }
        return Either.right(task);
    }

    private static Either<Object, ModelTask> allows(ModelTask task, TaskAction action) {
        if (!allowedFrom(action).contains(task.status)) {
            return Either.left(new Refused(new TaskError.IllegalTransition(action, task.status)));
        }
        return Either.right(task);
    }

    private static Object invalid(List<String> violations) {
        return new Refused(new Invalid(violations.stream().sorted().toList()));
    }

    /** A change to a copy of {@code task}: stamped, one version up; kept by the caller if the change succeeds. */
    private ModelTask change(ModelTask task) {
        ModelTask changed = task.copy();
        changed.updatedAt = at(task);
        changed.version = task.version + 1;
        return changed;
    }

    private Object keep(ModelTask changed) {
        if (!ACTIVE.contains(changed.status)) {
            changed.retryAt = Optional.empty();
            changed.retryKey = Optional.empty();
            // Nothing waits for a closed task: no snooze, no hold.
            changed.snoozedUntil = Optional.empty();
            changed.pausedUntil = Optional.empty();
        }
        tasks.put(changed.id, changed);
        return changed.toTask();
    }

    // --- validation rules of the README, for the fields the sequences vary

    private void checkEditable(
            TaskType type,
            Optional<?> linkedIn,
            Optional<ContactId> contact,
            Instant startAt,
            Instant dueTo,
            Template template,
            List<String> violations) {
        if (linkedIn.isPresent() && type != TaskType.LINKED_IN) {
            violations.add("task.linkedInTaskType.notLinkedInTask@/linkedInTaskType");
        }
        if (startAt.isBefore(EARLIEST)) {
            violations.add("task.startAt.beforeEarliest@/startAt");
        }
        if (!dueTo.truncatedTo(ChronoUnit.MICROS).isAfter(startAt.truncatedTo(ChronoUnit.MICROS))) {
            violations.add("task.dueTo.notAfterStartAt@/dueTo");
        }
        boolean variables = false;
        if (ModelTemplates.blank(template.body())) {
            violations.add("task.template.body.required@/template/body");
        } else if (template.literal()) {
            variables = false;
        } else if (ModelTemplates.partial(template.body())) {
            violations.add("task.template.body.partialNotAllowed@/template/body");
        } else {
            variables = ModelTemplates.hasVariables(template.body());
        }
        if (template.subject().isPresent() && !template.literal()) {
            variables |= ModelTemplates.hasVariables(template.subject().get());
        }
        if (variables && contact.isEmpty()) {
            violations.add("task.contactId.requiredForVariables@/contactId");
        }
    }

    private static void checkContactKnown(Optional<ContactId> contact, List<String> violations) {
        if (contact.isPresent() && contact.get().value() > 0 && !VALUES.containsKey(contact.get())) {
            violations.add("task.contactId.unknown@/contactId");
        }
    }

    private static Map<String, String> values(ModelTask task) {
        return task.contact.map(VALUES::get).orElse(Map.of());
    }

    // --- calls

    /** {@code id} is the id the engine gave the task, if it created one. */
    Object create(NewTask n, Optional<TaskId> id) {
        List<String> violations = new ArrayList<>();
        if (n.assignedUserId().value() <= 0) {
            violations.add("task.assignedUserId.invalid@/assignedUserId");
        }
        checkEditable(
                n.fields().type(),
                n.fields().linkedInTaskType(),
                n.fields().contactId(),
                n.fields().schedule().startAt(),
                n.fields().schedule().dueTo(),
                n.fields().template(),
                violations);
        checkContactKnown(n.fields().contactId(), violations);
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        ModelTask task = new ModelTask();
        task.id = id.orElse(TaskId.of(Long.MIN_VALUE));
        task.tenant = tenant;
        task.version = 1;
        task.type = n.fields().type();
        task.linkedIn = n.fields().linkedInTaskType();
        task.status = TaskStatus.NEW;
        task.priority = n.fields().priority();
        task.contact = n.fields().contactId();
        task.assignee = n.assignedUserId();
        task.sequence = n.sequence();
        task.createdAt = now();
        task.updatedAt = task.createdAt;
        task.startAt = n.fields().schedule().startAt().truncatedTo(ChronoUnit.MICROS);
        task.dueTo = n.fields().schedule().dueTo().truncatedTo(ChronoUnit.MICROS);
        task.scheduled = n.fields().schedule().scheduled();
        task.template = n.fields().template();
        task.pausedUntil = pauseAfter(task.contact, task.createdAt);
        return keep(task);
    }

    Object start(TaskId id, OptionalLong expected) {
        return find(id, expected).flatMap(t -> allows(t, TaskAction.START)).fold(r -> r, t -> {
            ModelTask changed = change(t);
            changed.status = TaskStatus.IN_PROGRESS;
            return keep(changed);
        });
    }

    Object update(TaskId id, OptionalLong expected, TaskUpdate u) {
        return find(id, expected).flatMap(t -> allows(t, TaskAction.UPDATE)).fold(r -> r, t -> {
            List<String> violations = new ArrayList<>();
            if (t.sequence.isPresent()) {
                if (u.fields().type() != t.type) {
                    violations.add("task.taskType.fixedForSequenceTask@/taskType");
                }
                if (!u.fields().contactId().equals(t.contact)) {
                    violations.add("task.contactId.fixedForSequenceTask@/contactId");
                }
            }
            checkEditable(
                    u.fields().type(),
                    u.fields().linkedInTaskType(),
                    u.fields().contactId(),
                    u.fields().schedule().startAt(),
                    u.fields().schedule().dueTo(),
                    u.fields().template(),
                    violations);
            if (!u.fields().contactId().equals(t.contact)) {
                checkContactKnown(u.fields().contactId(), violations);
            }
            if (!violations.isEmpty()) {
                return invalid(violations);
            }
            ModelTask changed = change(t);
            changed.type = u.fields().type();
            changed.linkedIn = u.fields().linkedInTaskType();
            if (!u.fields().contactId().equals(t.contact)) {
                // Moved to another contact: the task takes that contact's pause, or is no longer held.
                changed.pausedUntil = pauseAfter(u.fields().contactId(), changed.updatedAt);
            }
            changed.contact = u.fields().contactId();
            changed.priority = u.fields().priority();
            changed.startAt = u.fields().schedule().startAt().truncatedTo(ChronoUnit.MICROS);
            changed.dueTo = u.fields().schedule().dueTo().truncatedTo(ChronoUnit.MICROS);
            changed.scheduled = u.fields().schedule().scheduled();
            changed.template = u.fields().template();
            changed.failed = false;
            changed.failureReason = Optional.empty();
            changed.failedAttempts = 0;
            changed.retryAt = Optional.empty();
            changed.retryKey = Optional.empty();
            return keep(changed);
        });
    }

    Object reassignTask(TaskId id, UserId user) {
        return find(id, OptionalLong.empty())
                .flatMap(t -> allows(t, TaskAction.REASSIGN))
                .fold(r -> r, t -> {
                    if (user.value() <= 0) {
                        return invalid(List.of("task.assignedUserId.invalid@/assignedUserId"));
                    }
                    ModelTask changed = change(t);
                    changed.assignee = user;
                    Task task = (Task) keep(changed);
                    return new Reassignment(task, List.of(task));
                });
    }

    Object reassignWithSequence(TaskId id, UserId user) {
        return find(id, OptionalLong.empty())
                .flatMap(t -> allows(t, TaskAction.REASSIGN))
                .fold(r -> r, t -> {
                    if (user.value() <= 0) {
                        return invalid(List.of("task.assignedUserId.invalid@/assignedUserId"));
                    }
                    if (t.sequence.isEmpty()) {
                        return invalid(List.of("task.scope.notSequenceTask@/scope"));
                    }
                    List<Task> moved = moveSequence(t.sequence.get().sequenceId(), user);
                    Task named = moved.stream()
                            .filter(m -> m.id().equals(id))
                            .findFirst()
                            .orElseThrow();
                    return new Reassignment(named, moved);
                });
    }

    Object reassignSequence(SequenceId sequence, UserId user) {
        List<String> violations = new ArrayList<>();
        if (sequence.value() <= 0) {
            violations.add("task.sequenceId.invalid@/sequenceId");
        }
        if (user.value() <= 0) {
            violations.add("task.assignedUserId.invalid@/assignedUserId");
        }
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        return moveSequence(sequence, user);
    }

    private List<Task> moveSequence(SequenceId sequence, UserId user) {
        List<ModelTask> members = tasks.values().stream()
                .filter(t -> ACTIVE.contains(t.status)
                        && t.sequence.map(s -> s.sequenceId().equals(sequence)).orElse(false))
                .sorted(Comparator.comparing(t -> t.id))
                .toList();
        List<Task> moved = new ArrayList<>();
        for (ModelTask member : members) {
            ModelTask changed = change(member);
            changed.assignee = user;
            moved.add((Task) keep(changed));
        }
        return moved;
    }

    Object complete(TaskId id, OptionalLong expected, Completion completion) {
        return find(id, expected).flatMap(t -> allows(t, TaskAction.COMPLETE)).fold(r -> r, t -> {
            List<String> violations = new ArrayList<>();
            if (completion.disposition().isPresent() && t.type != TaskType.CALL) {
                violations.add("task.disposition.notCallTask@/disposition");
            }
            if (completion.callResolution().isPresent() && t.type != TaskType.CALL) {
                violations.add("task.callResolution.notCallTask@/callResolution");
            }
            if (completion.finishProspectInSequence() && t.sequence.isEmpty()) {
                violations.add("task.finishProspectInSequence.notSequenceTask@/finishProspectInSequence");
            }
            if (!violations.isEmpty()) {
                return invalid(violations);
            }
            ModelTask changed = change(t);
            changed.status = TaskStatus.FINISHED;
            changed.finishedAt = Optional.of(changed.updatedAt);
            changed.disposition = completion.disposition();
            changed.callResolution = completion.callResolution();
            if (ModelTemplates.render(t.template, values(t), t.type == TaskType.MANUAL_EMAIL)
                    instanceof Rendering.Rendered done) {
                changed.template =
                        new Template(done.content().subject(), done.content().body(), t.template.attachmentIds(), true);
            }
            return keep(changed);
        });
    }

    Object skip(TaskId id) {
        return simple(id, TaskAction.SKIP, changed -> {
            changed.status = TaskStatus.SKIPPED;
            changed.skippedAt = Optional.of(changed.updatedAt);
            return null;
        });
    }

    Object cancel(TaskId id) {
        return simple(id, TaskAction.CANCEL, changed -> {
            changed.status = TaskStatus.CANCELLED;
            return null;
        });
    }

    Object detach(TaskId id) {
        return simple(id, TaskAction.DETACH, changed -> {
            if (changed.sequence.isEmpty()) {
                return invalid(List.of("task.sequenceId.notSequenceTask@/sequenceId"));
            }
            changed.status = TaskStatus.SEQUENCE_DETACHED;
            return null;
        });
    }

    Object reopen(TaskId id, ReopenReason reason) {
        return simple(id, TaskAction.REOPEN, changed -> {
            if (reason == null) {
                return invalid(List.of("task.reopenReason.required@/reopenReason"));
            }
            changed.status = TaskStatus.NEW;
            changed.finishedAt = Optional.empty();
            changed.skippedAt = Optional.empty();
            changed.disposition = Optional.empty();
            changed.callResolution = Optional.empty();
            changed.failed = false;
            changed.failureReason = Optional.empty();
            changed.failedAttempts = 0;
            changed.retryKey = Optional.empty();
            changed.reopenedAt = Optional.of(changed.updatedAt);
            changed.reopenReason = Optional.of(reason);
            changed.pausedUntil = pauseAfter(changed.contact, changed.updatedAt);
            return null;
        });
    }

    Object archive(TaskId id) {
        return simple(id, TaskAction.ARCHIVE, changed -> {
            changed.status = TaskStatus.ARCHIVED;
            return null;
        });
    }

    /** An action whose edit answers a refusal, or null to keep the change. */
    private Object simple(TaskId id, TaskAction action, Function<ModelTask, Object> edit) {
        return find(id, OptionalLong.empty()).flatMap(t -> allows(t, action)).fold(r -> r, t -> {
            ModelTask changed = change(t);
            Object refusal = edit.apply(changed);
            return refusal != null ? refusal : keep(changed);
        });
    }

    Object delete(TaskId id, OptionalLong expected) {
        return find(id, expected).fold(r -> r, t -> {
            tasks.remove(id);
            return t.toTask();
        });
    }

    // --- the rep's working day

    /** The end of the contact's pause, when it is after {@code at}: a task created or reopened then starts held. */
    private Optional<Instant> pauseAfter(Optional<ContactId> contact, Instant at) {
        return contact.map(pauses::get).filter(until -> until.isAfter(at));
    }

    Object snooze(TaskId id, OptionalLong expected, Instant until) {
        return find(id, expected).flatMap(t -> allows(t, TaskAction.SNOOZE)).fold(r -> r, t -> {
            if (!until.isAfter(clock.instant())) {
                return invalid(List.of("task.snoozedUntil.notInFuture@/snoozedUntil"));
            }
            ModelTask changed = change(t);
            changed.snoozedUntil = Optional.of(until.truncatedTo(ChronoUnit.MICROS));
            return keep(changed);
        });
    }

    Object unsnooze(TaskId id, OptionalLong expected) {
        return find(id, expected).flatMap(t -> allows(t, TaskAction.UNSNOOZE)).fold(r -> r, t -> {
            if (t.snoozedUntil.filter(until -> until.isAfter(clock.instant())).isEmpty()) {
                return invalid(List.of("task.snoozedUntil.notSnoozed@/snoozedUntil"));
            }
            ModelTask changed = change(t);
            changed.snoozedUntil = Optional.empty();
            return keep(changed);
        });
    }

    /** Each task's start and due time shifted; like an update, the send's failure bookkeeping ends. */
    Object rescheduleAll(List<TaskId> ids, Duration shift) {
        return batch(
                ids,
                id -> find(id, OptionalLong.empty())
                        .flatMap(t -> allows(t, TaskAction.RESCHEDULE))
                        .fold(r -> r, t -> {
                            Instant startAt = t.startAt.plus(shift);
                            if (startAt.isBefore(EARLIEST)) {
                                return invalid(List.of("task.startAt.beforeEarliest@/startAt"));
                            }
                            ModelTask changed = change(t);
                            changed.startAt = startAt;
                            changed.dueTo = t.dueTo.plus(shift);
                            changed.failed = false;
                            changed.failureReason = Optional.empty();
                            changed.failedAttempts = 0;
                            changed.retryAt = Optional.empty();
                            changed.retryKey = Optional.empty();
                            return keep(changed);
                        }));
    }

    /** The contact's active tasks, oldest first: those a pause or a resume looks at. */
    private List<ModelTask> activeTasksOf(ContactId contact) {
        return tasks.values().stream()
                .filter(t -> ACTIVE.contains(t.status) && t.contact.equals(Optional.of(contact)))
                .sorted(Comparator.comparing((ModelTask t) -> t.createdAt).thenComparing(t -> t.id))
                .toList();
    }

    Object pauseContact(ContactId contact, Instant until) {
        List<String> violations = new ArrayList<>();
        if (contact.value() <= 0) {
            violations.add("contact.contactId.invalid@/contactId");
        }
        if (!until.isAfter(clock.instant())) {
            violations.add("contact.pausedUntil.notInFuture@/pausedUntil");
        }
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        pauses.put(contact, until);
        List<TaskId> held = new ArrayList<>();
        for (ModelTask task : activeTasksOf(contact)) {
            ModelTask changed = change(task);
            changed.pausedUntil = Optional.of(until.truncatedTo(ChronoUnit.MICROS));
            keep(changed);
            held.add(task.id);
        }
        return new Batch(held, Map.of());
    }

    Object resumeContact(ContactId contact) {
        if (contact.value() <= 0) {
            return invalid(List.of("contact.contactId.invalid@/contactId"));
        }
        pauses.remove(contact);
        Instant now = clock.instant();
        List<TaskId> resumed = new ArrayList<>();
        for (ModelTask task : activeTasksOf(contact)) {
            if (task.pausedUntil.filter(until -> until.isAfter(now)).isPresent()) {
                ModelTask changed = change(task);
                changed.pausedUntil = Optional.empty();
                keep(changed);
                resumed.add(task.id);
            }
        }
        return new Batch(resumed, Map.of());
    }

    Optional<Instant> contactPausedUntil(ContactId contact) {
        return Optional.ofNullable(pauses.get(contact)).filter(until -> until.isAfter(clock.instant()));
    }

    /** A note changes nothing of its task, in any state; its text is required. */
    Object addNote(TaskId id, OptionalLong expected, Actor actor, String text) {
        return find(id, expected).fold(r -> r, t -> {
            if (text.isBlank()) {
                return invalid(List.of("note.text.required@/text"));
            }
            return new Note(id, t.version, actor, Optional.of(t.status), text);
        });
    }

    /** Every active task of {@code from}, oldest first, round-robin over {@code to}, {@code batchSize} a batch. */
    Object handOver(UserId from, List<UserId> to, int batchSize) {
        List<String> violations = new ArrayList<>();
        if (from.value() <= 0) {
            violations.add("handOver.from.invalid@/from");
        }
        for (int i = 0; i < to.size(); i++) {
            if (to.get(i).value() <= 0) {
                violations.add("handOver.to.invalid@/to/" + i);
            } else if (to.get(i).equals(from)) {
                violations.add("handOver.to.sameAsFrom@/to/" + i);
            }
        }
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        List<ModelTask> open = tasks.values().stream()
                .filter(t -> ACTIVE.contains(t.status) && t.assignee.equals(from))
                .sorted(Comparator.comparing((ModelTask t) -> t.createdAt).thenComparing(t -> t.id))
                .toList();
        List<HandOverReport.Move> moved = new ArrayList<>();
        for (ModelTask task : open) {
            ModelTask changed = change(task);
            changed.assignee = to.get(moved.size() % to.size());
            keep(changed);
            moved.add(new HandOverReport.Move(changed.id, changed.assignee, changed.version));
        }
        return new HandOverReport(moved, Map.of(), (open.size() + batchSize - 1) / batchSize);
    }

    // --- execution, as the README's four steps

    Object execute(TaskId id, Command.ContentKind contentKind, ScriptedSender.Outcome outcome) {
        Either<Object, ModelTask> found = find(id, OptionalLong.empty());
        if (found.isLeft()) {
            return found.getLeft();
        }
        ModelTask task = found.get();
        if (!task.executable()) {
            return new Refused(new TaskError.NotExecutable(id, task.type));
        }
        if (!ACTIVE.contains(task.status)) {
            return new Refused(new TaskError.IllegalTransition(TaskAction.EXECUTE, task.status));
        }
        if (task.pausedUntil.filter(until -> until.isAfter(clock.instant())).isPresent()
                || pauseAfter(task.contact, clock.instant()).isPresent()) {
            // Nothing is sent by hand to a paused contact (a snooze, the rep's own choice, does not stop the rep).
            return invalid(List.of("task.pausedUntil.contactPaused@/pausedUntil"));
        }
        boolean email = task.type == TaskType.MANUAL_EMAIL;
        Map<String, String> values = task.contact.map(VALUES::get).orElse(Map.of());
        List<String> violations = new ArrayList<>();
        String target = values.get(email ? "email" : "phone");
        if (target == null) {
            violations.add((email ? "task.deliveryInfo.email.missing" : "task.deliveryInfo.phoneNumber.missing")
                    + "@/contactId");
        }
        Optional<EmailAccountId> account = Optional.empty();
        if (email) {
            if (task.sequence.isPresent()) {
                account = Optional.ofNullable(
                        World.SEQUENCE_ACCOUNTS.get(task.sequence.get().sequenceId()));
                if (account.isEmpty()) {
                    violations.add("task.emailAccountId.noSequenceAccount@/emailAccountId");
                }
            } else {
                account = Optional.ofNullable(World.DEFAULT_ACCOUNTS.get(task.assignee));
                if (account.isEmpty()) {
                    violations.add("task.emailAccountId.noDefaultAccount@/emailAccountId");
                }
            }
        }
        Content content = null;
        switch (contentKind) {
            case GIVEN ->
                content = new Content(
                        email ? ModelTemplates.GIVEN.subject() : Optional.empty(), ModelTemplates.GIVEN.body());
            case GIVEN_BLANK -> violations.add("task.content.body.required@/content/body");
            case RENDER -> {
                Rendering rendering = ModelTemplates.render(task.template, values, email);
                if (rendering instanceof Rendering.MissingVariables missing) {
                    missing.names().forEach(name -> violations.add("task.template.variable.missing@/template"));
                } else {
                    Content rendered = ((Rendering.Rendered) rendering).content();
                    content = email ? rendered : new Content(Optional.empty(), rendered.body());
                }
            }
        }
        if (!violations.isEmpty()) {
            return invalid(violations);
        }
        ModelTask recorded = change(task);
        recorded.retryKey = Optional.empty();
        String key = task.retryKey.orElse(tenant + "/" + id + "/" + recorded.version);
        lastMessage = new OutgoingMessage(
                key,
                tenant,
                id,
                email ? Channel.EMAIL : Channel.SMS,
                account,
                target,
                content.subject(),
                content.body(),
                email ? task.template.attachmentIds() : List.of(),
                Optional.empty());
        ModelTask outcomeTask = change(recorded);
        if (outcome == ScriptedSender.Outcome.DELIVER) {
            outcomeTask.status = TaskStatus.FINISHED;
            outcomeTask.finishedAt = Optional.of(outcomeTask.updatedAt);
            outcomeTask.failed = false;
            outcomeTask.failureReason = Optional.empty();
            outcomeTask.retryAt = Optional.empty();
            outcomeTask.retryKey = Optional.empty();
            outcomeTask.template = new Template(content.subject(), content.body(), task.template.attachmentIds(), true);
            return keep(outcomeTask);
        }
        boolean transientFailure = outcome != ScriptedSender.Outcome.FAIL_PERMANENT;
        String reason = switch (outcome) {
            case FAIL_TRANSIENT -> ScriptedSender.TRANSIENT_REASON;
            case FAIL_PERMANENT -> ScriptedSender.PERMANENT_REASON;
            default -> "IllegalStateException: " + ScriptedSender.THROWN;
        };
        outcomeTask.failed = true;
        outcomeTask.failureReason = Optional.of(reason);
        outcomeTask.failedAttempts = task.failedAttempts + 1;
        outcomeTask.retryAt = task.scheduled
                ? retryAt(outcomeTask.failedAttempts, transientFailure, clock.instant())
                : Optional.empty();
        outcomeTask.retryKey = transientFailure ? Optional.of(key) : Optional.empty();
        keep(outcomeTask);
        return new Refused(new TaskError.DeliveryFailed(id, reason, transientFailure));
    }

    /** The standard retry policy of the README: 5 attempts, from 30 s doubling up to an hour; permanent: never. */
    private static Optional<Instant> retryAt(int failedAttempts, boolean transientFailure, Instant now) {
        if (!transientFailure || failedAttempts >= 5) {
            return Optional.empty();
        }
        Duration delay = Duration.ofSeconds(30).multipliedBy(1L << Math.min(failedAttempts - 1, 20));
        if (delay.compareTo(Duration.ofHours(1)) > 0) {
            delay = Duration.ofHours(1);
        }
        return Optional.of(now.plus(delay).truncatedTo(ChronoUnit.MICROS));
    }

    // --- reads

    Object get(TaskId id, boolean withContent) {
        return find(id, OptionalLong.empty()).fold(r -> r, t -> {
            Optional<Rendering> content = Optional.empty();
            if (withContent) {
                content = Optional.of(ModelTemplates.render(t.template, values(t), t.type == TaskType.MANUAL_EMAIL));
            }
            return new Detail(t.toTask(), content);
        });
    }

    Object query(Filter filter, TaskSort sort) {
        Instant rawNow = clock.instant();
        Comparator<ModelTask> order = Comparator.<ModelTask, Instant>comparing(t -> switch (sort) {
                    case START_AT_ASC, START_AT_DESC -> t.startAt;
                    case DUE_TO_ASC, DUE_TO_DESC -> t.dueTo;
                    case CREATED_AT_ASC, CREATED_AT_DESC -> t.createdAt;
                    case UPDATED_AT_ASC, UPDATED_AT_DESC -> t.updatedAt;
                })
                .thenComparing(t -> t.id);
        if (!sort.name().endsWith("_ASC")) {
            order = order.reversed();
        }
        List<TaskId> ids = tasks.values().stream()
                .filter(t -> switch (filter) {
                    case ALL -> true;
                    case ACTIVE -> ACTIVE.contains(t.status);
                    case CLOSED -> CLOSED.contains(t.status);
                    case OVERDUE -> ACTIVE.contains(t.status) && t.dueTo.isBefore(rawNow);
                    case ASSIGNEE_7 -> t.assignee.value() == 7;
                    case SEQUENCE_1 ->
                        t.sequence.map(s -> s.sequenceId().value() == 1).orElse(false);
                    case CONTACT_2 -> t.contact.map(c -> c.value() == 2).orElse(false);
                    case SCHEDULED -> t.scheduled;
                    case EMAIL_OR_SMS -> t.type == TaskType.MANUAL_EMAIL || t.type == TaskType.SMS;
                    case VISIBLE_NOW -> !t.hiddenAt(rawNow);
                    case HIDDEN_NOW -> t.hiddenAt(rawNow);
                })
                .sorted(order)
                .map(t -> t.id)
                .toList();
        return new Page(ids, ids.size());
    }

    // --- batch calls: each id on its own, duplicates once, in request order

    Object completeAll(List<TaskId> ids) {
        return batch(ids, id -> complete(id, OptionalLong.empty(), Completion.done()));
    }

    Object assignAll(List<TaskId> ids, UserId user) {
        if (user.value() <= 0) {
            return invalid(List.of("task.assignedUserId.invalid@/assignedUserId"));
        }
        return batch(ids, id -> reassignTask(id, user));
    }

    Object deleteAll(List<TaskId> ids) {
        return batch(ids, id -> delete(id, OptionalLong.empty()));
    }

    private static Object batch(List<TaskId> ids, Function<TaskId, Object> action) {
        List<TaskId> succeeded = new ArrayList<>();
        Map<TaskId, Object> failures = new LinkedHashMap<>();
        for (TaskId id : new LinkedHashSet<>(ids)) {
            Object answer = action.apply(id);
            if (answer instanceof Refused refused) {
                failures.put(id, refused.error());
            } else {
                succeeded.add(id);
            }
        }
        return new Batch(succeeded, failures);
    }

    static boolean closed(TaskStatus status) {
        return CLOSED.contains(status);
    }
}
