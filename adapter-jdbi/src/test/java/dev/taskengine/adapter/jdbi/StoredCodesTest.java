package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The stored codes: one for every constant, unique per enum, read back as the same constant, and never renumbered. */
class StoredCodesTest {

    @Test
    void everyStoredEnumIsCovered() {
        List<Class<?>> types =
                StoredCodes.ALL.stream().<Class<?>>map(StoredCodes.Codes::type).toList();
        assertThat(types)
                .containsExactlyInAnyOrder(
                        TaskType.class,
                        LinkedInTaskType.class,
                        TaskStatus.class,
                        Priority.class,
                        CreationSource.class,
                        ReopenReason.class,
                        Disposition.class,
                        CallResolution.class,
                        TaskEventType.class,
                        WebhookDelivery.State.class,
                        WebhookSubscription.Reason.class);
    }

    @Test
    void everyConstantHasAUniqueCodeThatReadsBackAsItself() {
        for (StoredCodes.Codes<?> codes : StoredCodes.ALL) {
            roundTrips(codes);
        }
    }

    private static <E extends Enum<E>> void roundTrips(StoredCodes.Codes<E> codes) {
        Set<Integer> seen = new HashSet<>();
        for (E constant : codes.type().getEnumConstants()) {
            int code = codes.code(constant);
            assertThat(seen.add(code))
                    .as("%s.%s's code %d is unique", codes.type().getSimpleName(), constant, code)
                    .isTrue();
            assertThat(code).as("%s fits a smallint", constant).isBetween(0, (int) Short.MAX_VALUE);
            assertThat(codes.constant(code)).isEqualTo(constant);
        }
    }

    @Test
    void anUnknownCodeIsRefused() {
        assertThatThrownBy(() -> StoredCodes.TASK_TYPE.constant(1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("unknown TaskType code 1");
        assertThatThrownBy(() -> StoredCodes.STATUS.constant(99)).isInstanceOf(IllegalArgumentException.class);
    }

    /** The numbers the schema was created with (the migration's header): changing one is a data migration. */
    @Test
    void theCodesAreTheOnesTheStoredRowsHold() {
        assertThat(codes(StoredCodes.TASK_TYPE))
                .isEqualTo(Map.of(
                        TaskType.TO_DO,
                        0,
                        TaskType.CALL,
                        2,
                        TaskType.MEETING,
                        4,
                        TaskType.LINKED_IN,
                        5,
                        TaskType.MANUAL_EMAIL,
                        7,
                        TaskType.SMS,
                        8,
                        TaskType.WHATS_APP,
                        9));
        assertThat(codes(StoredCodes.LINKEDIN_TASK_TYPE))
                .isEqualTo(Map.of(
                        LinkedInTaskType.MESSAGE,
                        0,
                        LinkedInTaskType.CONNECT,
                        1,
                        LinkedInTaskType.IN_MAIL,
                        2,
                        LinkedInTaskType.VIEW_PROFILE,
                        3));
        assertThat(codes(StoredCodes.STATUS))
                .isEqualTo(Map.of(
                        TaskStatus.NEW,
                        0,
                        TaskStatus.FINISHED,
                        1,
                        TaskStatus.CANCELLED,
                        3,
                        TaskStatus.ARCHIVED,
                        4,
                        TaskStatus.SEQUENCE_DETACHED,
                        5,
                        TaskStatus.IN_PROGRESS,
                        6,
                        TaskStatus.SKIPPED,
                        7));
        assertThat(codes(StoredCodes.PRIORITY))
                .isEqualTo(Map.of(Priority.HOT, 0, Priority.TODAY, 1, Priority.EXTRA, 2));
        assertThat(codes(StoredCodes.CREATION_SOURCE))
                .isEqualTo(Map.of(CreationSource.USER, 0, CreationSource.SEQUENCE, 1, CreationSource.MEETING, 2));
        assertThat(codes(StoredCodes.REOPEN_REASON))
                .isEqualTo(Map.of(ReopenReason.REMINDER_RULE, 0, ReopenReason.MANUAL, 1));
        assertThat(codes(StoredCodes.DISPOSITION))
                .isEqualTo(Map.of(Disposition.ANSWERED, 0, Disposition.VOICEMAIL_LEFT, 1, Disposition.NO_ANSWER, 2));
        assertThat(codes(StoredCodes.DELIVERY_STATE))
                .isEqualTo(Map.of(
                        WebhookDelivery.State.PENDING, 0,
                        WebhookDelivery.State.DELIVERED, 1,
                        WebhookDelivery.State.FAILED, 2));
        assertThat(codes(StoredCodes.DISABLED_REASON))
                .isEqualTo(Map.of(
                        WebhookSubscription.Reason.BY_REQUEST, 0,
                        WebhookSubscription.Reason.GONE, 1,
                        WebhookSubscription.Reason.FAILING, 2));
        assertThat(codes(StoredCodes.CALL_RESOLUTION))
                .isEqualTo(Map.of(CallResolution.POSITIVE, 0, CallResolution.TO_CALL, 1, CallResolution.NEGATIVE, 2));
        assertThat(codes(StoredCodes.HISTORY_TYPE))
                .isEqualTo(Map.ofEntries(
                        Map.entry(TaskEventType.CREATED, 0),
                        Map.entry(TaskEventType.UPDATED, 1),
                        Map.entry(TaskEventType.REASSIGNED, 2),
                        Map.entry(TaskEventType.STARTED, 3),
                        Map.entry(TaskEventType.EXECUTED, 4),
                        Map.entry(TaskEventType.EXECUTION_FAILED, 5),
                        Map.entry(TaskEventType.COMPLETED, 6),
                        Map.entry(TaskEventType.SKIPPED, 7),
                        Map.entry(TaskEventType.CANCELLED, 8),
                        Map.entry(TaskEventType.DETACHED, 9),
                        Map.entry(TaskEventType.REOPENED, 10),
                        Map.entry(TaskEventType.ARCHIVED, 11),
                        Map.entry(TaskEventType.DELETED, 12),
                        Map.entry(TaskEventType.EXECUTION_STARTED, 13),
                        Map.entry(TaskEventType.DEFERRED, 14),
                        Map.entry(TaskEventType.SNOOZED, 15),
                        Map.entry(TaskEventType.UNSNOOZED, 16),
                        Map.entry(TaskEventType.RESCHEDULED, 17),
                        Map.entry(TaskEventType.PAUSED, 18),
                        Map.entry(TaskEventType.RESUMED, 19),
                        Map.entry(TaskEventType.NOTE_ADDED, 20),
                        Map.entry(TaskEventType.REMINDED, 21)));
    }

    @Test
    void aSqlListHoldsTheCodesAscending() {
        assertThat(StoredCodes.STATUS.sqlList(List.of(TaskStatus.IN_PROGRESS, TaskStatus.NEW)))
                .isEqualTo("(0, 6)");
    }

    private static <E extends Enum<E>> Map<E, Integer> codes(StoredCodes.Codes<E> codes) {
        Map<E, Integer> all = new LinkedHashMap<>();
        for (E constant : codes.type().getEnumConstants()) {
            all.put(constant, codes.code(constant));
        }
        return all;
    }

    @Test
    void everyEventTypeIsStoredInTheOutboxUnderItsEventNameAndReadsBackAsItself() {
        for (TaskEventType type : TaskEventType.values()) {
            String stored = StoredCodes.EVENT_TYPE.name(type);
            assertThat(stored).isEqualTo(type.eventName());
            assertThat(StoredCodes.EVENT_TYPE.constant(stored)).isEqualTo(type);
        }
        assertThat(StoredCodes.EVENT_TYPE.name(TaskEventType.EXECUTION_FAILED)).isEqualTo("task.executionFailed");
        assertThatThrownBy(() -> StoredCodes.EVENT_TYPE.constant("SENT")).isInstanceOf(IllegalArgumentException.class);
    }
}
