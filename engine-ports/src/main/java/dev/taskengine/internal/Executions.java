package dev.taskengine.internal;

import dev.taskengine.api.ExecuteRequest;
import dev.taskengine.api.RetryPolicy;
import dev.taskengine.api.SchedulerOptions;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Contact;
import dev.taskengine.domain.Content;
import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.Execution;
import dev.taskengine.domain.Limits;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.Retry;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.domain.Texts;
import dev.taskengine.domain.Violation;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.TaskEventType;
import dev.taskengine.store.DueTasks;
import dev.taskengine.store.Lease;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.TaskWrite;
import io.vavr.control.Either;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;

/**
 * The execution protocol, the one way a message leaves: prepare (what is sent, to whom, from which account; every
 * problem at once), record the execution with a deterministic idempotency key (committed before anything is sent), send,
 * record the outcome (finished, or failed with a retry as the {@link RetryPolicy} says). {@link #execute} runs it for
 * one task by hand; a scheduler runs it in steps through {@link #forScheduler}.
 */
final class Executions {
    private final TaskWriter writer;
    private final TaskStore store;
    private final ContactDirectory contacts;
    private final TemplateEngine templates;
    private final MessageSender sender;
    private final SenderAccounts senderAccounts;
    private final RetryPolicy retryPolicy;
    private final Clock clock;

    Executions(TaskWriter writer, EngineParts parts) {
        this.writer = writer;
        this.store = parts.store();
        this.contacts = parts.contacts();
        this.templates = parts.templates();
        this.sender = parts.sender();
        this.senderAccounts = parts.senderAccounts();
        this.retryPolicy = parts.retryPolicy();
        this.clock = parts.clock();
    }

    /** Executes one task by hand: record, send, record the outcome. */
    Either<TaskError, Task> execute(TaskRef ref, ExecuteRequest request) {
        Instant now = clock.instant();
        return writer.find(ref)
                .flatMap(Task::executable)
                .flatMap(task -> store.commitsEachWrite()
                        ? Either.<TaskError, Task>right(task)
                        : Either.<TaskError, Task>left(new TaskError.ExecutionInsideTransaction(task.id())))
                .flatMap(task -> prepare(task, request.content(), request.emailAccount(), now)
                        .flatMap(execution -> task.executionStarted(execution, now))
                        .flatMap(started -> writer.writeWithoutEvent(task, started)))
                .flatMap(started -> {
                    Sent sent = sendRecorded(started);
                    return sent.outcome().reported(recordOutcome(sent));
                });
    }

    /** The steps of the protocol for a scheduler with {@code options}. */
    ScheduledExecutions forScheduler(SchedulerOptions options) {
        return new ScheduledExecutions() {
            @Override
            public int relayPendingEvents() {
                return writer.relay().relayPending();
            }

            @Override
            public List<Task> claimDue(int limit, boolean dueOnly) {
                Instant now = clock.instant();
                return store.claimDue(new DueTasks(
                        now,
                        now.minus(options.staleExecutionAfter()),
                        limit,
                        options.owner(),
                        now.plus(options.lease()),
                        dueOnly));
            }

            @Override
            public List<Task> startClaimed(List<Task> claimed) {
                return Executions.this.startClaimed(claimed, options);
            }

            @Override
            public Sent send(Task started) {
                return sendRecorded(started);
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

    /** Decides what is sent, to whom and from which account, before anything is recorded; every problem at once. */
    private Either<TaskError, Execution> prepare(
            Task task, Optional<Content> given, Optional<EmailAccountId> requested, Instant now) {
        List<Violation> violations = new ArrayList<>();
        Optional<Contact> contact = task.fields().contactId().flatMap(id -> contacts.find(task.tenant(), id));
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
        Optional<Content> content =
                given.isPresent() ? checked(given.get(), email, violations) : rendered(task, contact, violations);
        if (!violations.isEmpty()) {
            return Either.left(new TaskError.InvalidInput(violations));
        }
        // The same key for every attempt of one execution: a retry after a transient failure reuses its key.
        String key =
                task.failure().retryKey().orElseGet(() -> task.tenant() + "/" + task.id() + "/" + (task.version() + 1));
        return Either.right(new Execution(key, now, content.orElseThrow(), target.orElseThrow(), account));
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

    /** An execution handed to the sender at {@code at}, whose outcome is not recorded yet. */
    record Sent(Task started, Outcome outcome, Instant at) {}

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

    /** Hands a recorded execution (its record committed) to the sender; its outcome is recorded later. */
    private Sent sendRecorded(Task started) {
        Delivery delivery = deliver(started, started.execution().orElseThrow());
        Instant now = clock.instant();
        return new Sent(started, outcome(started, delivery, now), now);
    }

    private Delivery deliver(Task task, Execution execution) {
        boolean email = task.type() == TaskType.MANUAL_EMAIL;
        OutgoingMessage message = new OutgoingMessage(
                execution.idempotencyKey(),
                task.tenant(),
                task.id(),
                email ? Channel.EMAIL : Channel.SMS,
                execution.emailAccount(),
                execution.target(),
                execution.content().subject(),
                execution.content().body(),
                email ? task.fields().template().attachmentIds() : List.of());
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
                    .flatMap(changed ->
                            writer.write(base, changed, sent.outcome().event(), sent.at()));
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
     * read again): the execution of every task still due is prepared from its claimed row and recorded at the version
     * the claim read, and a due task that cannot be sent as it stands is marked failed with every reason, all in one
     * {@link TaskStore#updateAll} (one commit). A task changed since its claim is a version conflict there, and is
     * neither started nor sent: never sent stale. Answers what may be sent now, each execution record committed: the
     * executions started here, then the claimed executions that died with their worker (resent as recorded).
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
        List<Task> stale = new ArrayList<>();
        List<TaskWrite> writes = new ArrayList<>();
        for (Task task : claimed) {
            if (task.execution().isPresent()) {
                // Claimed with an execution under way: the claim found its engine gone (see DueTasks); resent as
                // recorded.
                stale.add(task);
            } else if (task.dueForExecution(now)) {
                Either<TaskError, Task> started = prepare(task, Optional.empty(), Optional.empty(), now)
                        .flatMap(execution -> task.executionStarted(execution, now));
                if (started.isRight()) {
                    writes.add(new TaskWrite(started.get(), task.version(), List.of()));
                } else if (started.getLeft() instanceof TaskError.InvalidInput invalid) {
                    String reason = String.join(
                            "; ",
                            invalid.violations().stream()
                                    .map(Violation::message)
                                    .toList());
                    task.executionRefused(reason, now)
                            .peek(failed -> writes.add(new TaskWrite(
                                    failed,
                                    task.version(),
                                    writer.eventsFor(TaskEventType.EXECUTION_FAILED, failed, now))));
                }
            }
        }
        // The execution records keep their tasks claimed under this scheduler's lease, renewed while the sends are
        // under
        // way: another engine takes an execution over only once its lease ran out unrenewed (this one died). The lease
        // runs from now, once every execution is prepared, so that preparing them does not eat into it.
        Lease lease = new Lease(options.owner(), clock.instant().plus(options.lease()));
        List<TaskWrite> leased = writes.stream()
                .map(w -> w.changed().execution().isPresent() ? w.holding(lease) : w)
                .toList();
        List<Task> toSend = new ArrayList<>();
        for (Either<TaskError, Task> written : writer.writeAll(leased)) {
            if (written.isRight() && written.get().execution().isPresent()) {
                toSend.add(written.get());
            }
        }
        toSend.addAll(stale);
        return toSend;
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
                writes.add(new TaskWrite(
                        changed.get(),
                        s.started().version(),
                        writer.eventsFor(s.outcome().event(), changed.get(), s.at())));
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
