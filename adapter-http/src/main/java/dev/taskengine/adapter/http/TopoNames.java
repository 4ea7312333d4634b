package dev.taskengine.adapter.http;

import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import java.util.Arrays;
import java.util.Optional;

/**
 * Topo's names for the domain's enums, in one place: the domain knows no vendor. Every mapping is an exhaustive switch,
 * so a new constant does not compile until it has a Topo name (or is declared to have none).
 *
 * <p>Types: {@code EMAIL_REPLY} ↔ manualEmail, {@code LINKEDIN_REPLY} ↔ linkedIn, {@code NEW_LEAD_REVIEW} ↔ toDo,
 * {@code CALL} ↔ call; meeting, sms and whatsApp have no Topo type. Statuses: {@code PENDING} ↔ new,
 * {@code IN_PROGRESS} ↔ inProgress, {@code COMPLETED} ↔ finished, {@code SKIPPED} ↔ skipped; cancelled, archived and
 * detached tasks have no Topo status. Priorities, dispositions and reopen reasons are Topo's upper-case names.
 */
final class TopoNames {
    private TopoNames() {}

    /** Topo's name for this type, if Topo has one. */
    static Optional<String> topoName(TaskType type) {
        return Optional.ofNullable(
                switch (type) {
                    case TO_DO -> "NEW_LEAD_REVIEW";
                    case CALL -> "CALL";
                    case LINKED_IN -> "LINKEDIN_REPLY";
                    case MANUAL_EMAIL -> "EMAIL_REPLY";
                    case MEETING, SMS, WHATS_APP -> null;
                });
    }

    /** Topo's name for this status, if Topo has one. */
    static Optional<String> topoName(TaskStatus status) {
        return Optional.ofNullable(
                switch (status) {
                    case NEW -> "PENDING";
                    case IN_PROGRESS -> "IN_PROGRESS";
                    case FINISHED -> "COMPLETED";
                    case SKIPPED -> "SKIPPED";
                    case CANCELLED, ARCHIVED, SEQUENCE_DETACHED -> null;
                });
    }

    static String topoName(Priority priority) {
        return switch (priority) {
            case HOT -> "HOT";
            case TODAY -> "TODAY";
            case EXTRA -> "EXTRA";
        };
    }

    static String topoName(Disposition disposition) {
        return switch (disposition) {
            case ANSWERED -> "ANSWERED";
            case VOICEMAIL_LEFT -> "VOICEMAIL_LEFT";
            case NO_ANSWER -> "NO_ANSWER";
        };
    }

    static String topoName(ReopenReason reason) {
        return switch (reason) {
            case REMINDER_RULE -> "REMINDER_RULE";
            case MANUAL -> "MANUAL";
        };
    }

    /** Our type for one of Topo's type names. */
    static Optional<TaskType> taskTypeFromTopo(String topoName) {
        return Arrays.stream(TaskType.values())
                .filter(t -> topoName(t).filter(n -> n.equals(topoName)).isPresent())
                .findFirst();
    }

    /** Our status for one of Topo's status names. */
    static Optional<TaskStatus> statusFromTopo(String topoName) {
        return Arrays.stream(TaskStatus.values())
                .filter(s -> topoName(s).filter(n -> n.equals(topoName)).isPresent())
                .findFirst();
    }

    static Optional<Priority> priorityFromTopo(String topoName) {
        return Arrays.stream(Priority.values())
                .filter(p -> topoName(p).equals(topoName))
                .findFirst();
    }

    static Optional<ReopenReason> reopenReasonFromTopo(String topoName) {
        return Arrays.stream(ReopenReason.values())
                .filter(r -> topoName(r).equals(topoName))
                .findFirst();
    }

    /** The name a type travels under on Topo's routes: Topo's, or our constant's name when Topo has none. */
    static String wireName(TaskType type) {
        return topoName(type).orElse(type.name());
    }

    /** The name a status travels under on Topo's routes: Topo's, or our constant's name when Topo has none. */
    static String wireName(TaskStatus status) {
        return topoName(status).orElse(status.name());
    }

    /** The type a name on Topo's routes stands for: Topo's name, or our constant's name for a type Topo has no name for. */
    static Optional<TaskType> taskType(String name) {
        return Arrays.stream(TaskType.values())
                .filter(t -> wireName(t).equals(name))
                .findFirst();
    }

    /** The status a name on Topo's routes stands for, as {@link #taskType} reads types. */
    static Optional<TaskStatus> status(String name) {
        return Arrays.stream(TaskStatus.values())
                .filter(s -> wireName(s).equals(name))
                .findFirst();
    }
}
