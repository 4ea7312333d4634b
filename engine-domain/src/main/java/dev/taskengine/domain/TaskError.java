package dev.taskengine.domain;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Why a use case refused. A closed family: a host can handle every case, and every case has a stable {@link #code()}.
 * Exceptions are kept for bugs and broken infrastructure; business rules always answer with one of these.
 */
public sealed interface TaskError {

    /** Stable machine-readable code, such as {@code task.notFound}. */
    String code();

    /** Human-readable explanation. */
    String message();

    /**
     * Answers the one method of {@code cases} that handles this case. A mapping written as a {@link Cases} is exhaustive:
     * a new case of this family does not compile until every mapping handles it.
     */
    <R> R fold(Cases<R> cases);

    /** One method per case of the family; see {@link #fold}. */
    interface Cases<R> {
        R invalidInput(InvalidInput error);

        R notFound(NotFound error);

        R versionConflict(VersionConflict error);

        R illegalTransition(IllegalTransition error);

        R notExecutable(NotExecutable error);

        R executionUnderWay(ExecutionUnderWay error);

        R deliveryFailed(DeliveryFailed error);

        R executionInsideTransaction(ExecutionInsideTransaction error);

        R sendingLimitReached(SendingLimitReached error);
    }

    /** The input broke one or more rules; every violation is listed and nothing was stored. */
    record InvalidInput(List<Violation> violations) implements TaskError {
        public InvalidInput {
            violations = List.copyOf(violations);
            if (violations.isEmpty()) {
                throw new IllegalArgumentException("an invalid input names at least one violation");
            }
        }

        public static InvalidInput of(Violation... violations) {
            return new InvalidInput(List.of(violations));
        }

        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.invalidInput(this);
        }

        @Override
        public String code() {
            return "task.invalid";
        }

        @Override
        public String message() {
            return violations.size() + " problem(s): " + violations;
        }
    }

    /** No task with this id in this tenant (another tenant's task is not found either). */
    record NotFound(TaskId id) implements TaskError {
        public NotFound {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.notFound(this);
        }

        @Override
        public String code() {
            return "task.notFound";
        }

        @Override
        public String message() {
            return "task " + id + " not found";
        }
    }

    /** The task changed since the caller (or the engine) read it; nothing was written. */
    record VersionConflict(TaskId id, long expectedVersion, long actualVersion) implements TaskError {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.versionConflict(this);
        }

        @Override
        public String code() {
            return "task.versionConflict";
        }

        @Override
        public String message() {
            return "task " + id + " is at version " + actualVersion + ", not " + expectedVersion;
        }
    }

    /** The lifecycle does not allow this action in this state. */
    record IllegalTransition(TaskAction action, TaskStatus status) implements TaskError {
        public IllegalTransition {
            Objects.requireNonNull(action, "action");
            Objects.requireNonNull(status, "status");
        }

        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.illegalTransition(this);
        }

        @Override
        public String code() {
            return "task.illegalTransition";
        }

        @Override
        public String message() {
            return "cannot " + action.wireName() + " a task that is " + status.wireName() + "; allowed from "
                    + action.allowedFrom().stream()
                            .map(TaskStatus::wireName)
                            .sorted()
                            .toList();
        }
    }

    /** Only email and SMS tasks are executed by the engine; the rest are completed by a person. */
    record NotExecutable(TaskId id, TaskType type) implements TaskError {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.notExecutable(this);
        }

        @Override
        public String code() {
            return "task.notExecutable";
        }

        @Override
        public String message() {
            return "task " + id + " is a " + type.wireName()
                    + " task: only manualEmail and sms tasks are executed; use complete";
        }
    }

    /** An execution of this task is under way; nothing else may change it until its outcome is recorded. */
    record ExecutionUnderWay(TaskId id) implements TaskError {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.executionUnderWay(this);
        }

        @Override
        public String code() {
            return "task.executionUnderWay";
        }

        @Override
        public String message() {
            return "task " + id + " is being executed; try again once the execution is recorded";
        }
    }

    /**
     * The sender refused or failed to deliver. The task stays active, marked failed with the reason. A transient failure
     * (a timeout, a provider outage) may succeed if tried again; a permanent one (an invalid address) will not.
     */
    record DeliveryFailed(TaskId id, String reason, boolean transientFailure) implements TaskError {
        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.deliveryFailed(this);
        }

        @Override
        public String code() {
            return transientFailure ? "task.deliveryFailed.transient" : "task.deliveryFailed.permanent";
        }

        @Override
        public String message() {
            return "task " + id + " could not be delivered (" + (transientFailure ? "transient" : "permanent") + "): "
                    + reason;
        }
    }

    /**
     * Execute was called on an engine whose store writes inside a host's open transaction. A message must never leave
     * before its execution record is committed, so nothing was written or sent: execute with an engine whose store
     * commits each write, after the host's transaction.
     */
    record ExecutionInsideTransaction(TaskId id) implements TaskError {
        public ExecutionInsideTransaction {
            Objects.requireNonNull(id, "id");
        }

        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.executionInsideTransaction(this);
        }

        @Override
        public String code() {
            return "task.execute.insideTransaction";
        }

        @Override
        public String message() {
            return "task " + id + " cannot be executed inside a host's open transaction: its execution record must be"
                    + " committed before the message leaves; execute it after the transaction commits";
        }
    }

    /**
     * The account the task would be sent from has reached one of its sending limits ({@code limit}, one of
     * {@link SendingDecision#DAILY_LIMIT}, {@link SendingDecision#HOURLY_LIMIT}, {@link SendingDecision#MINIMUM_GAP});
     * nothing was written or sent. Every limit allows a send again at {@code freesAt}.
     */
    record SendingLimitReached(TaskId id, SendingAccount account, String limit, Instant freesAt) implements TaskError {
        public SendingLimitReached {
            Objects.requireNonNull(id, "id");
            Objects.requireNonNull(account, "account");
            Objects.requireNonNull(limit, "limit");
            Objects.requireNonNull(freesAt, "freesAt");
        }

        /** The account's limits, reached at {@code at}, for task {@code id}. */
        public static SendingLimitReached of(TaskId id, SendingAccount account, LimitReached reached) {
            return new SendingLimitReached(id, account, reached.reason(), reached.freesAt());
        }

        @Override
        public <R> R fold(Cases<R> cases) {
            return cases.sendingLimitReached(this);
        }

        @Override
        public String code() {
            return "task.execute.sendingLimitReached";
        }

        @Override
        public String message() {
            String which = switch (limit) {
                case SendingDecision.DAILY_LIMIT -> "its limit per 24 hours";
                case SendingDecision.HOURLY_LIMIT -> "its limit per hour";
                case SendingDecision.MINIMUM_GAP -> "its minimum gap between two sends";
                default -> "a sending limit (" + limit + ")";
            };
            return "task " + id + " cannot be sent now: account " + account + " has reached " + which
                    + "; it may send again at " + freesAt;
        }
    }
}
