package dev.taskengine.internal;

import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.RetryPolicy;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.StoreUnavailableException;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.Deferral;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.Retry;
import dev.taskengine.domain.SendingAccount;
import dev.taskengine.domain.SendingDecision;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SendingPolicy;
import dev.taskengine.domain.SendingUsage;
import dev.taskengine.domain.SendingWindows;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.Texts;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.EngineObserver;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SendingRules;
import dev.taskengine.store.CountedSend;
import dev.taskengine.store.DueTasks;
import dev.taskengine.store.Lease;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.function.Function;
import java.util.random.RandomGenerator;

/**
 * The execution protocol, the one way a message leaves: prepare (what is sent, to whom, from which account; every
 * problem at once), record the execution with a deterministic idempotency key (committed before anything is sent), send,
 * record the outcome (finished, or failed with a retry as the {@link RetryPolicy} says). {@link #execute} runs it for
 * one task by hand; a scheduler runs it in steps through {@link #forScheduler}.
 */
final class Executions {
    private static final System.Logger LOG = System.getLogger(Executions.class.getName());
    private final TaskWriter writer;
    private final TaskStore store;
    private final ContactDirectory contacts;
    private final TemplateEngine templates;
    private final MessageSender sender;
    private final SenderAccounts senderAccounts;
    private final RetryPolicy retryPolicy;
    private final SendingRules rules;
    private final RandomGenerator jitter;
    private final Clock clock;
    private final EngineObserver observer;
    /**
     * When each execution started by a claim fell due (the claimed task's {@link Task#nextExecutionAt()}), until it is
     * sent: for the lateness of its send. Weak, so that an execution never sent here (the scheduler stopping) is not
     * kept.
     */
    private final Map<Task, Instant> dueAt = Collections.synchronizedMap(new WeakHashMap<>());

    Executions(TaskWriter writer, EngineParts parts) {
        this.writer = writer;
        this.store = parts.store();
        this.contacts = parts.contacts();
        this.templates = parts.templates();
        this.sender = parts.sender();
        this.senderAccounts = parts.senderAccounts();
        this.retryPolicy = parts.retryPolicy();
        this.rules = parts.sendingRules();
        this.jitter = parts.jitter();
        this.clock = parts.clock();
        this.observer = parts.observer();
    }

    /**
     * Executes one task by hand: record, send, record the outcome. The account's sending limits apply (counted with the
     * execution record); windows and holidays do not: a person sending by hand chose the moment.
     */
    Either<TaskError, Task> execute(TaskRef ref, ExecuteRequest request) {
        Instant now = clock.instant();
        return writer.find(ref)
                .flatMap(Task::executable)
                .flatMap(task -> contactPaused(task, now))
                .flatMap(task -> store.commitsEachWrite()
                        ? Either.<TaskError, Task>right(task)
                        : Either.<TaskError, Task>left(new TaskError.ExecutionInsideTransaction(task.id())))
                .flatMap(task -> prepare(task, contact(task), request.content(), request.emailAccount(), now)
                        .flatMap(execution -> task.executionStarted(execution, now))
                        .flatMap(started -> writer.writeAll(List.of(counted(
                                        writer.writeOf(task, started, TaskEventType.EXECUTION_STARTED, ref.actor()),
                                        started,
                                        now)))
                                .get(0)))
                .flatMap(started -> {
                    Sent sent = sendRecorded(started, ref.actor(), false);
                    return sent.outcome().reported(recordOutcome(sent));
                });
    }

    /**
     * Refuses to send by hand to a contact paused at {@code now} ("do not contact before"): a snooze is the rep's own
     * choice and does not stop the rep, a pause is the contact's.
     */
    private Either<TaskError, Task> contactPaused(Task task, Instant now) {
        Optional<Instant> paused = pausedUntil(task, now);
        if (paused.isPresent()) {
            return Either.left(TaskError.InvalidInput.of(Violation.of(
                    "task.pausedUntil.contactPaused",
                    "/pausedUntil",
                    "the task's contact is paused until " + paused.get() + "; nothing is sent to it before then")));
        }
        return Either.right(task);
    }

    /**
     * Until when the task's contact is paused at {@code now}, as the task holds it or, should the task have escaped the
     * pause (created or reopened while the pause was being applied, or under execution when it was), as the store keeps
     * it: nothing is sent to a paused contact either way.
     */
    private Optional<Instant> pausedUntil(Task task, Instant now) {
        return Optional.ofNullable(pausedUntil(List.of(task), now).get(task));
    }

    /**
     * {@link #pausedUntil(Task, Instant)} for several tasks (those of a claim), reading the store's pauses of their
     * contacts in one round trip per tenant (rather than one per task, which bounded how fast a backlog was worked off);
     * a task that is not paused is absent.
     */
    private Map<Task, Instant> pausedUntil(List<Task> claimed, Instant now) {
        Map<TenantId, List<ContactId>> unheld = new HashMap<>();
        Map<Task, Instant> paused = new IdentityHashMap<>();
        for (Task task : claimed) {
            Optional<Instant> held = task.pausedUntil().filter(until -> until.isAfter(now));
            if (held.isPresent()) {
                paused.put(task, held.get());
            } else {
                task.fields()
                        .contactId()
                        .ifPresent(contact -> unheld.computeIfAbsent(task.tenant(), t -> new ArrayList<>())
                                .add(contact));
            }
        }
        Map<TenantId, Map<ContactId, Instant>> kept = new HashMap<>();
        unheld.forEach((tenant, contacts) -> kept.put(tenant, store.contactPauses(tenant, contacts)));
        for (Task task : claimed) {
            if (!paused.containsKey(task) && task.fields().contactId().isPresent()) {
                Instant until =
                        kept.get(task.tenant()).get(task.fields().contactId().get());
                if (until != null && until.isAfter(now)) {
                    paused.put(task, until);
                }
            }
        }
        return paused;
    }

    /** The steps of the protocol for a scheduler with {@code options}. */
    ScheduledExecutions forScheduler(SchedulerOptions options, TimedRules timedRules) {
        return new ScheduledExecutions() {
            @Override
            public void applyTimedRules() {
                timedRules.apply();
            }

            @Override
            public int relayPendingEvents() {
                return writer.relay().relayPending();
            }

            @Override
            public List<Task> claimDue(int limit, boolean dueOnly) {
                Instant now = clock.instant();
                List<Task> claimed = store.claimDue(new DueTasks(
                        now,
                        now.minus(options.staleExecutionAfter()),
                        limit,
                        options.owner(),
                        now.plus(options.lease()),
                        dueOnly));
                observer.claimed(limit, claimed.size());
                return claimed;
            }

            @Override
            public List<Task> startClaimed(List<Task> claimed) {
                return Executions.this.startClaimed(claimed, options);
            }

            @Override
            public Sent send(Task started) {
                return sendRecorded(started, Actor.SCHEDULER, true);
            }

            @Override
            public void recordOutcomes(List<Sent> sent) {
                Executions.this.recordOutcomes(sent);
            }

            @Override
            public void renewLeases(List<Task> held) {
                store.renewLeases(new Lease(options.owner(), clock.instant().plus(options.lease())), held);
            }
        };
    }

    private Optional<Contact> contact(Task task) {
        return task.fields().contactId().flatMap(id -> contacts.find(task.tenant(), id));
    }

    /**
     * {@code write} of {@code started}'s execution record, counting its send against its account's limits when the
     * account has any.
     */
    private TaskWrite counted(TaskWrite write, Task started, Instant now) {
        Execution execution = started.execution().orElseThrow();
        Optional<SendingAccount> account = execution.sendingAccount();
        if (account.isEmpty()) {
            return write;
        }
        SendingLimits limits = rules.limits(started.tenant(), account.get());
        return limits.limited()
                ? write.counting(new CountedSend(account.get(), execution.idempotencyKey(), now, limits))
                : write;
    }

    /** Decides what is sent, to whom and from which account, before anything is recorded; every problem at once. */
    private Either<TaskError, Execution> prepare(
            Task task,
            Optional<Contact> contact,
            Optional<Content> given,
            Optional<EmailAccountId> requested,
            Instant now) {
        List<Violation> violations = new ArrayList<>();
        boolean email = task.type() == TaskType.MANUAL_EMAIL;
        Optional<String> target =
                contact.flatMap(c -> email ? c.email() : c.phone()).filter(t -> !t.isBlank());
        if (target.isEmpty()) {
            String what = email ? "an email address" : "a phone number";
            violations.add(Violation.of(
                    email ? "task.deliveryInfo.email.missing" : "task.deliveryInfo.phoneNumber.missing",
                    "/contactId",
                    contact.isPresent()
                            ? "contact " + task.fields().contactId().orElseThrow() + " has no "
                                    + (email ? "email address" : "phone number")
                            : "the task needs a contact with " + what + " to be executed"));
        }
        Optional<EmailAccountId> account = email ? emailAccount(task, requested, violations) : Optional.empty();
        Optional<String> smsSender = email
                ? Optional.empty()
                : senderAccounts.smsSender(task.tenant(), task.assignedUserId()).filter(id -> !id.isBlank());
        Optional<Content> content =
                given.isPresent() ? checked(given.get(), email, violations) : rendered(task, contact, violations);
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        // The same key for every attempt of one execution: a retry after a transient failure reuses its key.
        String key =
                task.failure().retryKey().orElseGet(() -> task.tenant() + "/" + task.id() + "/" + (task.version() + 1));
        return Either.right(new Execution(key, now, content.orElseThrow(), target.orElseThrow(), account, smsSender));
    }
    /** Sequence tasks send from the sequence's account; others from the chosen account, or the assignee's default. */
    private Optional<EmailAccountId> emailAccount(
            Task task, Optional<EmailAccountId> requested, List<Violation> violations) {
        if (task.origin().sequence().isPresent()) {
            Optional<EmailAccountId> account = senderAccounts.sequenceAccount(
                    task.tenant(), task.origin().sequence().get().sequenceId());
            if (account.isEmpty()) {
                violations.add(Violation.of(
                        "task.emailAccountId.noSequenceAccount",
                        "/emailAccountId",
                        "sequence " + task.origin().sequence().get().sequenceId()
                                + " has no email account to send from"));
            }
            return account;
        }
        if (requested.isPresent()) {
            if (!senderAccounts.usable(task.tenant(), task.assignedUserId(), requested.get())) {
                violations.add(Violation.of(
                        "task.emailAccountId.unknown",
                        "/emailAccountId",
                        "email account " + requested.get() + " is not usable by user " + task.assignedUserId()));
                return Optional.empty();
            }
            return requested;
        }
        Optional<EmailAccountId> account = senderAccounts.defaultAccount(task.tenant(), task.assignedUserId());
        if (account.isEmpty()) {
            violations.add(Violation.of(
                    "task.emailAccountId.noDefaultAccount",
                    "/emailAccountId",
                    "user " + task.assignedUserId() + " has no default email account; name one"));
        }
        return account;
    }

    /** Content given by the caller is sent as it is, once it passes the text rules. */
    private static Optional<Content> checked(Content given, boolean email, List<Violation> violations) {
        int before = violations.size();
        if (given.body().isBlank()) {
            violations.add(Violation.of("task.content.body.required", "/content/body", "the content body is required"));
        } else {
            violations.addAll(Texts.check("/content/body", given.body(), Limits.BODY_MAX_CHARS));
        }
        Optional<String> subject = email ? given.subject() : Optional.empty();
        subject.ifPresent(s -> violations.addAll(Texts.check("/content/subject", s, Limits.SUBJECT_MAX_CHARS)));
        return violations.size() == before ? Optional.of(new Content(subject, given.body())) : Optional.empty();
    }

    private Optional<Content> rendered(Task task, Optional<Contact> contact, List<Violation> violations) {
        Rendering rendering = templates.render(
                task.type(),
                task.fields().template(),
                contact.map(Contact::variables).orElse(Map.of()));
        if (rendering instanceof Rendering.MissingVariables missing) {
            missing.names()
                    .forEach(name -> violations.add(Violation.of(
                            "task.template.variable.missing",
                            "/template",
                            "variable '" + name + "' has no value"
                                    + task.fields()
                                            .contactId()
                                            .map(id -> " for contact " + id)
                                            .orElse(""))));
            return Optional.empty();
        }
        Content content = ((Rendering.Rendered) rendering).content();
        return Optional.of(
                task.type() == TaskType.MANUAL_EMAIL ? content : new Content(Optional.empty(), content.body()));
    }

    /**
     * What a delivery makes of the started task: the domain's change, its event, and how the engine reports it (a failed
     * delivery is a {@link TaskError.DeliveryFailed} once its outcome is recorded).
     */
    record Outcome(
            Function<Task, Either<TaskError, Task>> change, TaskEventType event, Optional<Delivery.Failed> failed) {
        Either<TaskError, Task> reported(Either<TaskError, Task> recorded) {
            return failed.isEmpty()
                    ? recorded
                    : recorded.flatMap(task -> Either.left(new TaskError.DeliveryFailed(
                            task.id(), failed.get().reason(), failed.get().transientFailure())));
        }
    }

    /** An execution handed to the sender at {@code at} for {@code actor}, whose outcome is not recorded yet. */
    record Sent(Task started, Outcome outcome, Instant at, Actor actor) {
        /** The write of the outcome ({@code changed}) over {@code base}, recording the failure's reason if it failed. */
        TaskWrite write(TaskWriter writer, Task base, Task changed) {
            return outcome.failed().isPresent()
                    ? writer.writeOf(
                            base,
                            changed,
                            outcome.event(),
                            actor,
                            outcome.failed().get().reason())
                    : writer.writeOf(base, changed, outcome.event(), actor);
        }
    }

    private Outcome outcome(Task started, Delivery delivery, Instant now) {
        if (delivery instanceof Delivery.Failed failed) {
            Optional<Instant> retryAt = started.schedule().scheduled()
                    ? retryPolicy.retryAt(started.failure().attempts() + 1, failed.transientFailure(), now)
                    : Optional.empty();
            Optional<Retry> retry = retryAt.map(Retry::at);
            Function<Task, Either<TaskError, Task>> change = failed.transientFailure()
                    ? task -> retry.map(r -> task.executionFailedTransiently(failed.reason(), r, now))
                            .orElseGet(() -> task.executionFailedTransiently(failed.reason(), now))
                    : task -> retry.map(r -> task.executionFailed(failed.reason(), r, now))
                            .orElseGet(() -> task.executionFailed(failed.reason(), now));
            return new Outcome(change, TaskEventType.EXECUTION_FAILED, Optional.of(failed));
        }
        return new Outcome(task -> task.executionSucceeded(now), TaskEventType.EXECUTED, Optional.empty());
    }

    /**
     * Hands a recorded execution (its record committed) to the sender, by the scheduler ({@code scheduled}) or by hand;
     * its outcome is recorded later. The send is reported to the observer with the task's trace context, ended
     * {@code sent}, {@code failed} (a permanent failure) or {@code retry} (a transient one); a scheduled send started by
     * a claim reports how late it is after the task fell due.
     */
    private Sent sendRecorded(Task started, Actor actor, boolean scheduled) {
        Channel channel = channelOf(started);
        Optional<Instant> due = Optional.ofNullable(dueAt.remove(started));
        EngineObserver.Scope scope = observer.execution(
                channel,
                started.tenant(),
                started.id(),
                scheduled,
                started.trace().asMap());
        Instant sentAt = clock.instant();
        Delivery delivery;
        try {
            delivery = deliver(started, started.execution().orElseThrow(), channel);
        } catch (RuntimeException | Error e) {
            scope.failed(e);
            throw e;
        }
        if (delivery instanceof Delivery.Failed failed) {
            scope.end(failed.transientFailure() ? RETRY : FAILED);
            LOG.log(
                    failed.transientFailure() ? System.Logger.Level.INFO : System.Logger.Level.WARNING,
                    (scheduled ? "scheduled " : "") + channel.name().toLowerCase(java.util.Locale.ROOT)
                            + " send of " + TaskNames.of(started) + " failed"
                            + (failed.transientFailure() ? " transiently" : "") + ": " + failed.reason());
        } else {
            scope.end(SENT);
        }
        if (scheduled) {
            due.ifPresent(at -> observer.sentLate(channel, Duration.between(at, sentAt)));
        }
        Instant now = clock.instant();
        return new Sent(started, outcome(started, delivery, now), now, actor);
    }

    /** The outcomes of a send as the observer gets them ({@link EngineObserver#execution}). */
    static final String SENT = "sent";

    static final String FAILED = "failed";
    static final String RETRY = "retry";

    private static Channel channelOf(Task task) {
        return task.type() == TaskType.MANUAL_EMAIL ? Channel.EMAIL : Channel.SMS;
    }

    private Delivery deliver(Task task, Execution execution, Channel channel) {
        boolean email = channel == Channel.EMAIL;
        OutgoingMessage message = new OutgoingMessage(
                execution.idempotencyKey(),
                task.tenant(),
                task.id(),
                channel,
                execution.emailAccount(),
                execution.target(),
                execution.content().subject(),
                execution.content().body(),
                email ? task.fields().template().attachmentIds() : List.of(),
                execution.smsSender());
        try {
            Delivery delivery = sender.send(message);
            return delivery == null ? Delivery.transientFailure("the sender answered nothing") : delivery;
        } catch (RuntimeException e) {
            return Delivery.transientFailure(e.getClass().getSimpleName() + ": " + e.getMessage());
        }
    }

    /**
     * Records an execution's outcome. Another write may have raced it (a sequence-wide reassign): as long as the same
     * execution is still under way, the outcome is applied to the fresh task; if another engine already recorded it
     * (after resending under the same key), that record stands.
     */
    private Either<TaskError, Task> recordOutcome(Sent sent) {
        Task started = sent.started();
        Task current = started;
        while (true) {
            Task base = current;
            Either<TaskError, Task> saved = sent.outcome()
                    .change()
                    .apply(base)
                    .flatMap(changed -> writer.write(sent.write(writer, base, changed)));
            if (saved.isRight() || !(saved.getLeft() instanceof TaskError.VersionConflict)) {
                return saved;
            }
            Optional<Task> fresh = store.find(current.tenant(), current.id());
            if (fresh.isEmpty()) {
                return Either.left(new TaskError.NotFound(current.id()));
            }
            // The same execution, not only the same key: a transient failure's retry reuses its key, and an outcome
            // that
            // arrives late (its engine stalled past its lease while another took the execution over) must not be
            // recorded over a later attempt.
            if (!fresh.get().execution().equals(started.execution())) {
                // Another engine recorded this execution's outcome (after resending it under the same key): report
                // that.
                Task recorded = fresh.get();
                return recorded.times().finishedAt().isPresent()
                        ? Either.right(recorded)
                        : Either.left(new TaskError.DeliveryFailed(
                                recorded.id(),
                                recorded.failure()
                                        .reason()
                                        .orElse("the execution's outcome was recorded by another engine"),
                                true));
            }
            current = fresh.get();
        }
    }

    /**
     * Starts the executions of claimed tasks, working on the rows the claim answered (read by the claim itself, so not
     * read again). For every task still due the sending policy decides: a send outside its windows, on a holiday in the
     * recipient's zone or over its account's limits is deferred (written as such, to the earliest instant every rule
     * allows); the others are prepared from their claimed rows and recorded at the version the claim read, each send
     * counted against its account's limits in the same write; a due task that cannot be sent as it stands is marked
     * failed with every reason. All of it in one {@link TaskStore#updateAll} (one commit). A task changed since its
     * claim is a version conflict there, and is neither started nor sent: never sent stale. A send the store refuses
     * (another engine used the account's last slot first) is deferred in a second write. Answers what may be sent now,
     * each execution record committed: the executions started here, then the claimed executions that died with their
     * worker (resent as recorded, once the policy allows the resend).
     */
    private List<Task> startClaimed(List<Task> claimed, SchedulerOptions options) {
        if (claimed.isEmpty()) {
            return List.of();
        }
        if (!store.commitsEachWrite()) {
            throw new IllegalStateException(
                    "a scheduler sends messages, which must not happen before their execution records"
                            + " are committed: run it with an engine whose store commits each write");
        }
        Instant now = clock.instant();
        SendPlan plan = new SendPlan(now);
        List<Task> stale = new ArrayList<>();
        List<TaskWrite> writes = new ArrayList<>();
        // When each execution started here fell due, by its idempotency key: for the lateness of its send.
        Map<String, Instant> fellDue = new HashMap<>();
        Map<Task, Instant> paused = pausedUntil(
                claimed.stream()
                        .filter(t -> t.execution().isEmpty() && t.dueForExecution(now))
                        .toList(),
                now);
        for (Task task : claimed) {
            if (task.execution().isPresent()) {
                // Claimed with an execution under way: the claim found its engine gone (see DueTasks); resent as
                // recorded, unless the policy defers the resend.
                resumption(task, plan).ifPresentOrElse(writes::add, () -> stale.add(task));
            } else if (task.dueForExecution(now)) {
                Optional<Instant> pause = Optional.ofNullable(paused.get(task));
                if (pause.isPresent()) {
                    // Its contact was paused while the task escaped the pause: held now, sent once the pause ends.
                    task.paused(pause.get(), now)
                            .peek(held -> writes.add(writer.writeOf(
                                    task, held, TaskEventType.PAUSED, Actor.SCHEDULER, "contactPaused")));
                    continue;
                }
                Optional<Contact> contact = contact(task);
                Either<TaskError, Task> started = prepare(task, contact, Optional.empty(), Optional.empty(), now)
                        .flatMap(execution -> task.executionStarted(execution, now));
                if (started.isRight()) {
                    writes.add(plan.decide(task, started.get(), contact));
                    fellDue.put(
                            started.get().execution().orElseThrow().idempotencyKey(),
                            task.nextExecutionAt().orElseThrow());
                } else if (started.getLeft() instanceof TaskError.InvalidInput invalid) {
                    String reason = String.join(
                            "; ",
                            invalid.violations().stream()
                                    .map(Violation::message)
                                    .toList());
                    task.executionRefused(reason, now)
                            .peek(failed -> writes.add(writer.writeOf(
                                    task, failed, TaskEventType.EXECUTION_FAILED, Actor.SCHEDULER, reason)));
                }
            }
        }
        // The execution records keep their tasks claimed under this scheduler's lease, renewed while the sends are
        // under way: another engine takes an execution over only once its lease ran out unrenewed (this one died). The
        // lease runs from now, once every execution is prepared, so that preparing them does not eat into it.
        Lease lease = new Lease(options.owner(), clock.instant().plus(options.lease()));
        List<TaskWrite> leased = writes.stream()
                .map(w -> w.changed().execution().isPresent()
                                && w.changed().deferral().isEmpty()
                        ? w.holding(lease)
                        : w)
                .toList();
        List<Task> toSend = new ArrayList<>();
        List<TaskWrite> refused = new ArrayList<>();
        List<Either<TaskError, Task>> written = writer.writeAll(leased);
        for (int i = 0; i < written.size(); i++) {
            Either<TaskError, Task> outcome = written.get(i);
            if (outcome.isRight()) {
                Task kept = outcome.get();
                if (kept.execution().isPresent() && kept.deferral().isEmpty()) {
                    toSend.add(kept);
                    Instant due = fellDue.get(kept.execution().get().idempotencyKey());
                    if (due != null) {
                        dueAt.put(kept, due);
                    }
                }
            } else if (outcome.getLeft() instanceof TaskError.SendingLimitReached reached) {
                TaskWrite write = leased.get(i);
                Task claimedTask = claimed.stream()
                        .filter(t -> t.id().equals(write.changed().id()))
                        .findFirst()
                        .orElseThrow();
                Optional<Contact> contact = contact(claimedTask);
                deferralOf(claimedTask, plan.deferRefused(claimedTask, contact, reached), now)
                        .ifPresent(refused::add);
            }
        }
        try {
            writer.writeAll(refused);
        } catch (StoreUnavailableException e) {
            // The executions recorded above are committed and must still be sent; the refused tasks stay claimed
            // until their claim runs out, and are decided again then.
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the deferral of " + refused.size() + " sends over their accounts' limits was not written ("
                            + TaskNames.of(
                                    refused.stream().map(TaskWrite::changed).toList())
                            + "); they are decided again once their claim runs out",
                    e);
        }
        toSend.addAll(stale);
        return toSend;
    }

    /** The write of {@code claimed}'s deferral, at the version the claim read; empty if it cannot be deferred. */
    private Optional<TaskWrite> deferralOf(Task claimed, Deferral deferral, Instant now) {
        return claimed.deferred(deferral, now)
                .peek(deferred -> observer.deferred(deferral.reason()))
                .map(deferred -> writer.writeOf(
                        claimed, deferred, TaskEventType.DEFERRED, Actor.SENDING_POLICY, deferral.reason()))
                .toJavaOptional();
    }

    /**
     * The write that resumes a stale execution when the sending policy is involved: deferred, keeping its execution,
     * when its windows or holidays do not allow the resend now; taken over with its send counted again at the
     * resend's time when its account has limits (the store refuses it if they are reached). Empty when the resend
     * needs no write (no policy applies): it is resent as recorded.
     */
    private Optional<TaskWrite> resumption(Task task, SendPlan plan) {
        Optional<Contact> contact = contact(task);
        SendingDecision windows = plan.windowsAndHolidays(task, contact, plan.now);
        if (windows instanceof SendingDecision.Defer defer) {
            return deferralOf(task, Deferral.of(defer), plan.now);
        }
        Task taken = task.executionTakenOver(plan.now);
        TaskWrite write = counted(
                writer.writeOf(
                        task,
                        taken,
                        TaskEventType.EXECUTION_STARTED,
                        Actor.SCHEDULER,
                        "taken over: the engine that recorded it stopped renewing its lease"),
                taken,
                plan.now);
        return write.send().isPresent() || task.deferral().isPresent() ? Optional.of(write) : Optional.empty();
    }

    /**
     * The sending decisions of one claim. The usage of each account is read once, and every send decided here is added
     * to it, as is every deferral (at its time): a backlog of one account is deferred in claim order, each task to the
     * earliest instant left free by the sends planned before it.
     */
    private final class SendPlan {
        private record AccountKey(TenantId tenant, SendingAccount account) {}

        private final Instant now;
        private final Map<AccountKey, List<Instant>> sends = new HashMap<>();

        SendPlan(Instant now) {
            this.now = now;
        }

        /** The write of {@code started} (the claimed {@code task}'s execution record), or of its deferral. */
        TaskWrite decide(Task task, Task started, Optional<Contact> contact) {
            Execution execution = started.execution().orElseThrow();
            Optional<SendingAccount> account = execution.sendingAccount();
            SendingLimits limits =
                    account.map(a -> rules.limits(task.tenant(), a)).orElse(SendingLimits.none());
            AccountKey key = account.map(a -> new AccountKey(task.tenant(), a)).orElse(null);
            // An account is planned here (its usage read first) only when its limits need it: to draw jitter after its
            // latest send, or once the store refused one of its sends. Otherwise its send is written counted, and the
            // store, judging it against the account's counted sends in the same write, refuses it if a limit is
            // reached (see deferRefused); windows and holidays are decided here either way.
            boolean plan = limits.limited()
                    && (sends.containsKey(key) || limits.jitter().isPresent());
            List<Instant> planned = null;
            SendingDecision decision;
            if (plan) {
                planned = sends.computeIfAbsent(
                        key,
                        k -> new ArrayList<>(store.sendingUsage(k.tenant(), k.account(), limits, now)
                                .sends()));
                // A send coming back from a deferral for the gap already waited its jitter.
                boolean waitedTheGap = task.deferral()
                        .map(d -> d.reason().equals(SendingDecision.MINIMUM_GAP))
                        .orElse(false);
                Duration wait = waitedTheGap ? Duration.ZERO : drawJitter(limits);
                decision = SendingPolicy.decide(
                        limits,
                        windows(task),
                        rules.holidays(task.tenant()),
                        SendingUsage.of(planned),
                        zone(task, contact),
                        now,
                        wait);
            } else {
                decision = windowsAndHolidays(task, contact, now);
            }
            if (decision instanceof SendingDecision.Defer defer) {
                if (planned != null) {
                    planned.add(defer.until());
                }
                return deferralOf(task, Deferral.of(defer), now).orElseThrow();
            }
            if (planned != null) {
                planned.add(now);
            }
            return counted(
                    writer.writeOf(task, started, TaskEventType.EXECUTION_STARTED, Actor.SCHEDULER), started, now);
        }

        /**
         * The deferral of a send the store refused over its account's limits, decided on the account's usage read now
         * (the sends this claim got counted included) and the deferrals planned before it: the earliest instant every
         * rule allows. Should the usage allow the send after all (a send counted elsewhere moved), to when the store
         * said the limits free up, or later if the windows say so.
         */
        Deferral deferRefused(Task task, Optional<Contact> contact, TaskError.SendingLimitReached reached) {
            SendingLimits limits = rules.limits(task.tenant(), reached.account());
            List<Instant> planned = sends.computeIfAbsent(
                    new AccountKey(task.tenant(), reached.account()),
                    key -> new ArrayList<>(store.sendingUsage(key.tenant(), key.account(), limits, now)
                            .sends()));
            SendingDecision decision = SendingPolicy.decide(
                    limits,
                    windows(task),
                    rules.holidays(task.tenant()),
                    SendingUsage.of(planned),
                    zone(task, contact),
                    now,
                    Duration.ZERO);
            if (decision instanceof SendingDecision.Defer defer) {
                planned.add(defer.until());
                return Deferral.of(defer);
            }
            SendingDecision windows = windowsAndHolidays(task, contact, reached.freesAt());
            Instant until = windows instanceof SendingDecision.Defer defer ? defer.until() : reached.freesAt();
            return new Deferral(until, reached.limit());
        }

        /** The windows and holidays alone (no limits) at {@code at}. */
        SendingDecision windowsAndHolidays(Task task, Optional<Contact> contact, Instant at) {
            return SendingPolicy.decide(
                    SendingLimits.none(),
                    windows(task),
                    rules.holidays(task.tenant()),
                    SendingUsage.none(),
                    zone(task, contact),
                    at,
                    Duration.ZERO);
        }

        private SendingWindows windows(Task task) {
            return rules.windows(task.tenant(), task.origin().sequence().map(SequenceRef::sequenceId));
        }

        private ZoneId zone(Task task, Optional<Contact> contact) {
            return contact.flatMap(Contact::timeZone).orElse(windows(task).zone());
        }
    }

    /** A random extra wait of up to the limits' jitter, whole milliseconds. */
    private Duration drawJitter(SendingLimits limits) {
        if (limits.jitter().isEmpty() || limits.jitter().get().isZero()) {
            return Duration.ZERO;
        }
        long bound = limits.jitter().get().toMillis() + 1;
        synchronized (jitter) {
            return Duration.ofMillis(jitter.nextLong(bound));
        }
    }

    /**
     * Records the outcomes of sent executions in one {@link TaskStore#updateAll} (one commit). An outcome that lost a
     * race with another write (a sequence-wide reassign) is recorded again on the fresh task, as {@link #recordOutcome}
     * does. An outcome that is not recorded (the store failing) leaves its execution to be resent, under the same
     * idempotency key, once its lease ran out.
     */
    private void recordOutcomes(List<Sent> sent) {
        List<Sent> recorded = new ArrayList<>(sent.size());
        List<TaskWrite> writes = new ArrayList<>(sent.size());
        for (Sent s : sent) {
            Either<TaskError, Task> changed = s.outcome().change().apply(s.started());
            if (changed.isRight()) {
                recorded.add(s);
                writes.add(s.write(writer, s.started(), changed.get()));
            }
        }
        List<Either<TaskError, Task>> written = writer.writeAll(writes);
        for (int i = 0; i < written.size(); i++) {
            if (written.get(i).isLeft() && written.get(i).getLeft() instanceof TaskError.VersionConflict) {
                recordOutcome(recorded.get(i));
            }
        }
    }
}
