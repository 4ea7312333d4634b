package dev.taskengine.adapter.jdbi;

import dev.taskengine.api.WebhookDelivery;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.domain.CallResolution;
import dev.taskengine.domain.CreationSource;
import dev.taskengine.domain.Disposition;
import dev.taskengine.domain.LinkedInTaskType;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.ReopenReason;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TaskStatus;
import dev.taskengine.domain.TaskType;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.ToIntFunction;
import java.util.stream.Collectors;

/**
 * The smallint each enum constant is stored as, and back: this adapter's own table, apart from the domain's wire codes,
 * so that a change of the HTTP format can never become a data migration. The numbers are those the schema was created
 * with (they were the wire codes of 0.1.0); they never change once written. Each mapping is an exhaustive switch, so
 * that a new constant does not compile until it has a code; the way back is derived from it, and a code two constants
 * share is refused when this class loads.
 */
final class StoredCodes {
    private StoredCodes() {}

    static final Codes<TaskType> TASK_TYPE = new Codes<>(TaskType.class, StoredCodes::taskType);
    static final Codes<LinkedInTaskType> LINKEDIN_TASK_TYPE =
            new Codes<>(LinkedInTaskType.class, StoredCodes::linkedInTaskType);
    static final Codes<TaskStatus> STATUS = new Codes<>(TaskStatus.class, StoredCodes::status);
    static final Codes<Priority> PRIORITY = new Codes<>(Priority.class, StoredCodes::priority);
    static final Codes<CreationSource> CREATION_SOURCE = new Codes<>(CreationSource.class, StoredCodes::creationSource);
    static final Codes<ReopenReason> REOPEN_REASON = new Codes<>(ReopenReason.class, StoredCodes::reopenReason);
    static final Codes<Disposition> DISPOSITION = new Codes<>(Disposition.class, StoredCodes::disposition);
    static final Codes<CallResolution> CALL_RESOLUTION = new Codes<>(CallResolution.class, StoredCodes::callResolution);
    /** The history's event type column ({@code te_history.event_type}), numbered when V3 created the table. */
    static final Codes<TaskEventType> HISTORY_TYPE = new Codes<>(TaskEventType.class, StoredCodes::historyType);

    /** A webhook delivery's state ({@code te_webhook_delivery.state}), numbered when V5 created the table. */
    static final Codes<WebhookDelivery.State> DELIVERY_STATE =
            new Codes<>(WebhookDelivery.State.class, StoredCodes::deliveryState);
    /** Why a webhook subscription is disabled ({@code te_webhook.disabled_reason}), numbered when V5 created it. */
    static final Codes<WebhookSubscription.Reason> DISABLED_REASON =
            new Codes<>(WebhookSubscription.Reason.class, StoredCodes::disabledReason);

    /** Every stored enum's codes. */
    static final List<Codes<?>> ALL = List.of(
            TASK_TYPE,
            LINKEDIN_TASK_TYPE,
            STATUS,
            PRIORITY,
            CREATION_SOURCE,
            REOPEN_REASON,
            DISPOSITION,
            CALL_RESOLUTION,
            HISTORY_TYPE,
            DELIVERY_STATE,
            DISABLED_REASON);

    /** The outbox's event type column: a text, for readers of the table outside the engine (a CDC connector). */
    static final Names<TaskEventType> EVENT_TYPE = new Names<>(TaskEventType.class, StoredCodes::eventType);

    private static String eventType(TaskEventType value) {
        return switch (value) {
            case CREATED -> "task.created";
            case UPDATED -> "task.updated";
            case REASSIGNED -> "task.reassigned";
            case STARTED -> "task.started";
            case EXECUTED -> "task.executed";
            case EXECUTION_FAILED -> "task.executionFailed";
            case COMPLETED -> "task.completed";
            case SKIPPED -> "task.skipped";
            case CANCELLED -> "task.cancelled";
            case DETACHED -> "task.detached";
            case REOPENED -> "task.reopened";
            case ARCHIVED -> "task.archived";
            case DELETED -> "task.deleted";
            case EXECUTION_STARTED -> "task.executionStarted";
            case DEFERRED -> "task.deferred";
            case SNOOZED -> "task.snoozed";
            case UNSNOOZED -> "task.unsnoozed";
            case RESCHEDULED -> "task.rescheduled";
            case PAUSED -> "task.paused";
            case RESUMED -> "task.resumed";
            case NOTE_ADDED -> "task.noteAdded";
            case REMINDED -> "task.reminded";
        };
    }

    private static int historyType(TaskEventType value) {
        return switch (value) {
            case CREATED -> 0;
            case UPDATED -> 1;
            case REASSIGNED -> 2;
            case STARTED -> 3;
            case EXECUTED -> 4;
            case EXECUTION_FAILED -> 5;
            case COMPLETED -> 6;
            case SKIPPED -> 7;
            case CANCELLED -> 8;
            case DETACHED -> 9;
            case REOPENED -> 10;
            case ARCHIVED -> 11;
            case DELETED -> 12;
            case EXECUTION_STARTED -> 13;
            case DEFERRED -> 14;
            case SNOOZED -> 15;
            case UNSNOOZED -> 16;
            case RESCHEDULED -> 17;
            case PAUSED -> 18;
            case RESUMED -> 19;
            case NOTE_ADDED -> 20;
            case REMINDED -> 21;
        };
    }

    private static int deliveryState(WebhookDelivery.State value) {
        return switch (value) {
            case PENDING -> 0;
            case DELIVERED -> 1;
            case FAILED -> 2;
        };
    }

    private static int disabledReason(WebhookSubscription.Reason value) {
        return switch (value) {
            case BY_REQUEST -> 0;
            case GONE -> 1;
            case FAILING -> 2;
        };
    }

    private static int taskType(TaskType value) {
        return switch (value) {
            case TO_DO -> 0;
            case CALL -> 2;
            case MEETING -> 4;
            case LINKED_IN -> 5;
            case MANUAL_EMAIL -> 7;
            case SMS -> 8;
            case WHATS_APP -> 9;
        };
    }

    private static int linkedInTaskType(LinkedInTaskType value) {
        return switch (value) {
            case MESSAGE -> 0;
            case CONNECT -> 1;
            case IN_MAIL -> 2;
            case VIEW_PROFILE -> 3;
        };
    }

    private static int status(TaskStatus value) {
        return switch (value) {
            case NEW -> 0;
            case FINISHED -> 1;
            case CANCELLED -> 3;
            case ARCHIVED -> 4;
            case SEQUENCE_DETACHED -> 5;
            case IN_PROGRESS -> 6;
            case SKIPPED -> 7;
        };
    }

    private static int priority(Priority value) {
        return switch (value) {
            case HOT -> 0;
            case TODAY -> 1;
            case EXTRA -> 2;
        };
    }

    private static int creationSource(CreationSource value) {
        return switch (value) {
            case USER -> 0;
            case SEQUENCE -> 1;
            case MEETING -> 2;
        };
    }

    private static int reopenReason(ReopenReason value) {
        return switch (value) {
            case REMINDER_RULE -> 0;
            case MANUAL -> 1;
        };
    }

    private static int disposition(Disposition value) {
        return switch (value) {
            case ANSWERED -> 0;
            case VOICEMAIL_LEFT -> 1;
            case NO_ANSWER -> 2;
        };
    }

    private static int callResolution(CallResolution value) {
        return switch (value) {
            case POSITIVE -> 0;
            case TO_CALL -> 1;
            case NEGATIVE -> 2;
        };
    }

    /** One enum's stored codes, both ways. */
    static final class Codes<E extends Enum<E>> {
        private final Class<E> type;
        private final ToIntFunction<E> code;
        private final Map<Integer, E> constants = new HashMap<>();

        private Codes(Class<E> type, ToIntFunction<E> code) {
            this.type = type;
            this.code = code;
            for (E constant : type.getEnumConstants()) {
                E before = constants.put(code.applyAsInt(constant), constant);
                if (before != null) {
                    throw new IllegalStateException(type.getSimpleName() + " stores " + before + " and " + constant
                            + " as the same code " + code.applyAsInt(constant));
                }
            }
        }

        Class<E> type() {
            return type;
        }

        /** The code {@code value} is stored as. */
        int code(E value) {
            return code.applyAsInt(value);
        }

        /**
         * The constant stored as {@code code}.
         *
         * @throws IllegalArgumentException when no constant is stored as {@code code}
         */
        E constant(int code) {
            E constant = constants.get(code);
            if (constant == null) {
                throw new IllegalArgumentException("unknown " + type.getSimpleName() + " code " + code);
            }
            return constant;
        }

        /** The codes of {@code values}, ascending, as a SQL list: {@code (0, 6)}. */
        String sqlList(Collection<E> values) {
            return values.stream()
                    .mapToInt(code)
                    .sorted()
                    .mapToObj(Integer::toString)
                    .collect(Collectors.joining(", ", "(", ")"));
        }
    }

    /** One enum's stored names, both ways: as {@link Codes}, for a text column. */
    static final class Names<E extends Enum<E>> {
        private final Class<E> type;
        private final Function<E, String> name;
        private final Map<String, E> constants = new HashMap<>();

        private Names(Class<E> type, Function<E, String> name) {
            this.type = type;
            this.name = name;
            for (E constant : type.getEnumConstants()) {
                E before = constants.put(name.apply(constant), constant);
                if (before != null) {
                    throw new IllegalStateException(type.getSimpleName() + " stores " + before + " and " + constant
                            + " as the same name " + name.apply(constant));
                }
            }
        }

        /** The name {@code value} is stored as. */
        String name(E value) {
            return name.apply(value);
        }

        /**
         * The constant stored as {@code stored}.
         *
         * @throws IllegalArgumentException when no constant is stored as {@code stored}
         */
        E constant(String stored) {
            E constant = constants.get(stored);
            if (constant == null) {
                throw new IllegalArgumentException("unknown " + type.getSimpleName() + " name " + stored);
            }
            return constant;
        }
    }
}
