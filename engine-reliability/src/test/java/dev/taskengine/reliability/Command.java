package dev.taskengine.reliability;

import dev.taskengine.api.ReassignScope;
import dev.taskengine.api.TaskSort;
import dev.taskengine.domain.ReopenReason;
import java.util.List;
import java.util.stream.Collectors;

/**
 * One call of the driving port in a generated sequence. Each record prints as the call it stands for, so that a shrunk
 * counterexample reads as a short script: {@code [create(EMAIL_ADA, user 7, start +10 min), execute(#0, RENDER,
 * FAIL_TRANSIENT), reopen(#0, null)]}.
 */
sealed interface Command {

    /** Which task a call names: one of this sequence's tasks (by creation order), another tenant's, or an id nobody has. */
    record Target(Kind kind, int index) {
        enum Kind {
            OWN,
            FOREIGN,
            ABSENT
        }

        static final long[] ABSENT_IDS = {0, -1, Long.MAX_VALUE, Long.MIN_VALUE, 4_000_000_000_000L};

        @Override
        public String toString() {
            return switch (kind) {
                case OWN -> "#" + index;
                case FOREIGN -> "foreign#" + index;
                case ABSENT -> "absent(" + ABSENT_IDS[index % ABSENT_IDS.length] + ")";
            };
        }
    }

    /** How a call states the version it read: not at all, the current one, or an older one. */
    enum Expect {
        ANY,
        CURRENT,
        STALE
    }

    /** What is created: type, contact, template and, for sequence tasks, sequence and step. */
    enum Kind {
        TO_DO,
        CALL_GRACE,
        LINKED_IN_ADA,
        EMAIL_ADA,
        EMAIL_GRACE,
        SMS_ADA,
        SMS_GRACE,
        SEQ1_EMAIL,
        SEQ1_CALL,
        SEQ2_SMS,
        SEQ2_EMAIL
    }

    /** What is wrong with a create, if anything. */
    enum Flaw {
        NONE,
        DUE_EQUALS_START,
        DUE_WITHIN_A_MICROSECOND,
        BEFORE_EARLIEST,
        BLANK_BODY,
        PARTIAL_BODY,
        ZERO_ASSIGNEE,
        UNKNOWN_CONTACT,
        NO_CONTACT
    }

    /** What an update changes (a full replacement starting from the task as read). */
    enum Change {
        PRIORITY_HOT,
        PRIORITY_EXTRA,
        RESCHEDULE,
        TIMES_EQUAL,
        BEFORE_EARLIEST,
        PLAIN_BODY,
        BLANK_BODY,
        PARTIAL_BODY,
        TYPE_TO_CALL,
        CONTACT_TO_GRACE,
        DROP_CONTACT,
        TOGGLE_SCHEDULED
    }

    enum CompletionKind {
        DONE,
        ANSWERED,
        POSITIVE,
        FINISH_PROSPECT
    }

    enum ContentKind {
        RENDER,
        GIVEN,
        GIVEN_BLANK
    }

    enum Filter {
        ALL,
        ACTIVE,
        CLOSED,
        OVERDUE,
        ASSIGNEE_7,
        SEQUENCE_1,
        CONTACT_2,
        SCHEDULED,
        EMAIL_OR_SMS,
        /** "My tasks now": not snoozed, not held for a paused contact. */
        VISIBLE_NOW,
        HIDDEN_NOW
    }

    /** What a note says: some text, or nothing (refused). */
    enum NoteText {
        TEXT,
        BLANK
    }

    record Create(Kind kind, Flaw flaw, long user, int startMinutes, boolean scheduled) implements Command {
        @Override
        public String toString() {
            return "create(" + kind + (flaw == Flaw.NONE ? "" : ", " + flaw) + ", user " + user + ", start "
                    + (startMinutes >= 0 ? "+" : "") + startMinutes + " min" + (scheduled ? ", scheduled" : "") + ")";
        }
    }

    record Start(Target target, Expect expect) implements Command {
        @Override
        public String toString() {
            return "start(" + target + expecting(expect) + ")";
        }
    }

    record Update(Target target, Change change, Expect expect) implements Command {
        @Override
        public String toString() {
            return "update(" + target + ", " + change + expecting(expect) + ")";
        }
    }

    record Reassign(Target target, long user, ReassignScope scope) implements Command {
        @Override
        public String toString() {
            return "reassign(" + target + ", user " + user + ", " + scope + ")";
        }
    }

    record ReassignSequence(long sequence, long user) implements Command {
        @Override
        public String toString() {
            return "reassignSequence(" + sequence + ", user " + user + ")";
        }
    }

    record Complete(Target target, CompletionKind completion, Expect expect) implements Command {
        @Override
        public String toString() {
            return "complete(" + target + ", " + completion + expecting(expect) + ")";
        }
    }

    record Skip(Target target) implements Command {
        @Override
        public String toString() {
            return "skip(" + target + ")";
        }
    }

    record Cancel(Target target) implements Command {
        @Override
        public String toString() {
            return "cancel(" + target + ")";
        }
    }

    record Detach(Target target) implements Command {
        @Override
        public String toString() {
            return "detach(" + target + ")";
        }
    }

    record Reopen(Target target, ReopenReason reason) implements Command {
        @Override
        public String toString() {
            return "reopen(" + target + ", " + reason + ")";
        }
    }

    record Archive(Target target) implements Command {
        @Override
        public String toString() {
            return "archive(" + target + ")";
        }
    }

    record Delete(Target target, Expect expect) implements Command {
        @Override
        public String toString() {
            return "delete(" + target + expecting(expect) + ")";
        }
    }

    record Execute(Target target, ContentKind content, ScriptedSender.Outcome outcome) implements Command {
        @Override
        public String toString() {
            return "execute(" + target + ", " + content + ", sender " + outcome + ")";
        }
    }

    record CompleteAll(List<Target> targets) implements Command {
        @Override
        public String toString() {
            return "completeAll(" + targets + ")";
        }
    }

    record AssignAll(List<Target> targets, long user) implements Command {
        @Override
        public String toString() {
            return "assignAll(" + targets + ", user " + user + ")";
        }
    }

    record DeleteAll(List<Target> targets) implements Command {
        @Override
        public String toString() {
            return "deleteAll(" + targets + ")";
        }
    }

    record Get(Target target, boolean content) implements Command {
        @Override
        public String toString() {
            return "get(" + target + (content ? ", with content" : "") + ")";
        }
    }

    record Query(Filter filter, TaskSort sort, int pageSize) implements Command {
        @Override
        public String toString() {
            return "query(" + filter + ", " + sort + ", pages of " + pageSize + ")";
        }
    }

    /** Snoozed until {@code minutes} from now (refused unless that is after now). */
    record Snooze(Target target, int minutes, Expect expect) implements Command {
        @Override
        public String toString() {
            return "snooze(" + target + ", +" + minutes + " min" + expecting(expect) + ")";
        }
    }

    record Unsnooze(Target target, Expect expect) implements Command {
        @Override
        public String toString() {
            return "unsnooze(" + target + expecting(expect) + ")";
        }
    }

    /** Start and due time of each task shifted by {@code minutes}. */
    record RescheduleAll(List<Target> targets, long minutes) implements Command {
        @Override
        public String toString() {
            return "rescheduleAll(" + targets + ", by " + minutes + " min)";
        }
    }

    /** Every active task of the contact held until {@code minutes} from now. */
    record PauseContact(long contact, int minutes) implements Command {
        @Override
        public String toString() {
            return "pauseContact(" + contact + ", +" + minutes + " min)";
        }
    }

    record ResumeContact(long contact) implements Command {
        @Override
        public String toString() {
            return "resumeContact(" + contact + ")";
        }
    }

    record ContactPausedUntil(long contact) implements Command {
        @Override
        public String toString() {
            return "contactPausedUntil(" + contact + ")";
        }
    }

    record AddNote(Target target, NoteText text, Expect expect) implements Command {
        @Override
        public String toString() {
            return "addNote(" + target + ", " + text + expecting(expect) + ")";
        }
    }

    /** Every active task of {@code from} to {@code to}, round-robin, {@code batchSize} a batch. */
    record HandOver(long from, List<Long> to, int batchSize) implements Command {
        @Override
        public String toString() {
            return "handOver(from user " + from + " to users " + to + ", " + batchSize + " a batch)";
        }
    }

    /** The clock moves on; some steps are finer than a microsecond, which every stored time drops. */
    record Tick(long nanos) implements Command {
        @Override
        public String toString() {
            return nanos % 1_000_000_000L == 0 ? "tick(" + nanos / 1_000_000_000L + " s)" : "tick(" + nanos + " ns)";
        }
    }

    private static String expecting(Expect expect) {
        return switch (expect) {
            case ANY -> "";
            case CURRENT -> ", expecting the version read";
            case STALE -> ", expecting an older version";
        };
    }

    static String script(List<Command> commands) {
        return commands.stream().map(Command::toString).collect(Collectors.joining(",\n  ", "[\n  ", "\n]"));
    }
}
