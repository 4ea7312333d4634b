package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;

import io.vavr.control.Either;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every enum travels as Reply's integer code or its camelCase name; anything else is a typed violation. The properties
 * over random values are in {@link WireEnumsPropertiesTest}.
 */
class WireEnumsTest {

    /** Every enum that travels on the wire. */
    static final List<Class<? extends WireEnum>> WIRE_ENUMS = List.of(
            TaskType.class,
            TaskStatus.class,
            Priority.class,
            CreationSource.class,
            Disposition.class,
            LinkedInTaskType.class,
            ReopenReason.class);

    /** The wire contract, written out: enum, constant, code, name. */
    private static final String WIRE_CONTRACT = """
            TaskType,         TO_DO,             0, toDo
            TaskType,         CALL,              2, call
            TaskType,         MEETING,           4, meeting
            TaskType,         LINKED_IN,         5, linkedIn
            TaskType,         MANUAL_EMAIL,      7, manualEmail
            TaskType,         SMS,               8, sms
            TaskType,         WHATS_APP,         9, whatsApp
            TaskStatus,       NEW,               0, new
            TaskStatus,       FINISHED,          1, finished
            TaskStatus,       CANCELLED,         3, cancelled
            TaskStatus,       ARCHIVED,          4, archived
            TaskStatus,       SEQUENCE_DETACHED, 5, sequenceDetached
            TaskStatus,       IN_PROGRESS,       6, inProgress
            TaskStatus,       SKIPPED,           7, skipped
            Priority,         HOT,               0, hot
            Priority,         TODAY,             1, today
            Priority,         EXTRA,             2, extra
            CreationSource,   USER,              0, user
            CreationSource,   SEQUENCE,          1, sequence
            CreationSource,   MEETING,           2, meeting
            Disposition,      ANSWERED,          0, answered
            Disposition,      VOICEMAIL_LEFT,    1, voicemailLeft
            Disposition,      NO_ANSWER,         2, noAnswer
            LinkedInTaskType, MESSAGE,           0, message
            LinkedInTaskType, CONNECT,           1, connect
            LinkedInTaskType, IN_MAIL,           2, inMail
            LinkedInTaskType, VIEW_PROFILE,      3, viewProfile
            ReopenReason,     REMINDER_RULE,     0, reminderRule
            ReopenReason,     MANUAL,            1, manual
            """;

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Either<Violation, WireEnum> parse(Class<? extends WireEnum> type, String pointer, String raw) {
        return (Either<Violation, WireEnum>) (Either) WireEnums.parse((Class) type, pointer, raw);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static Either<Violation, WireEnum> fromCode(Class<? extends WireEnum> type, String pointer, int code) {
        return (Either<Violation, WireEnum>) (Either) WireEnums.fromCode((Class) type, pointer, code);
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    static String accepted(Class<? extends WireEnum> type) {
        return WireEnums.accepted((Class) type);
    }

    static Class<? extends WireEnum> enumNamed(String simpleName) {
        return WIRE_ENUMS.stream()
                .filter(c -> c.getSimpleName().equals(simpleName))
                .findFirst()
                .orElseThrow();
    }

    static WireEnum constant(Class<? extends WireEnum> type, String name) {
        return Arrays.stream(type.getEnumConstants())
                .filter(c -> ((Enum<?>) c).name().equals(name))
                .findFirst()
                .orElseThrow();
    }

    @Test
    void theWireContractListsEveryConstantOfEveryWireEnum() {
        Set<String> listed = new HashSet<>();
        WIRE_CONTRACT
                .lines()
                .map(line -> line.split(","))
                .forEach(cells -> listed.add(cells[0].trim() + "." + cells[1].trim()));
        Set<String> constants = new HashSet<>();
        WIRE_ENUMS.forEach(type -> Arrays.stream(type.getEnumConstants())
                .forEach(c -> constants.add(type.getSimpleName() + "." + ((Enum<?>) c).name())));

        assertThat(listed).isEqualTo(constants);
    }

    @ParameterizedTest(name = "{0}.{1} = {2} / {3}")
    @CsvSource(textBlock = WIRE_CONTRACT)
    void eachConstantHasItsCodeAndName(String type, String name, int code, String wireName) {
        WireEnum constant = constant(enumNamed(type), name);

        assertThat(constant.code()).isEqualTo(code);
        assertThat(constant.wireName()).isEqualTo(wireName);
    }

    @ParameterizedTest(name = "{0}.{1} from {2}")
    @CsvSource(textBlock = WIRE_CONTRACT)
    void eachConstantParsesFromItsCode(String type, String name, int code, String wireName) {
        Class<? extends WireEnum> enumType = enumNamed(type);

        assertThat(parse(enumType, "/field", Integer.toString(code)).get()).isEqualTo(constant(enumType, name));
        assertThat(fromCode(enumType, "/field", code).get()).isEqualTo(constant(enumType, name));
    }

    @ParameterizedTest(name = "{0}.{1} from {3}")
    @CsvSource(textBlock = WIRE_CONTRACT)
    void eachConstantParsesFromItsCamelCaseName(String type, String name, int code, String wireName) {
        Class<? extends WireEnum> enumType = enumNamed(type);

        assertThat(parse(enumType, "/field", wireName).get()).isEqualTo(constant(enumType, name));
    }

    @Test
    void namesAreCaseSensitive() {
        assertThat(WireEnums.parse(TaskType.class, "/taskType", "ManualEmail").isLeft())
                .isTrue();
        assertThat(WireEnums.parse(TaskType.class, "/taskType", "MANUAL_EMAIL").isLeft())
                .isTrue();
    }

    @Test
    void surroundingWhitespaceIsIgnored() {
        assertThat(WireEnums.parse(TaskType.class, "/taskType", " sms\n").get()).isEqualTo(TaskType.SMS);
        assertThat(WireEnums.parse(TaskType.class, "/taskType", "\t7 ").get()).isEqualTo(TaskType.MANUAL_EMAIL);
    }

    @ParameterizedTest
    @NullSource
    @ValueSource(strings = {"", "   ", "1", "3", "-0", "07", "+7", "email", "manual_email", "sms sms"})
    void anUnknownTaskTypeIsAViolationListingTheAcceptedValues(String raw) {
        Violation violation = WireEnums.parse(TaskType.class, "/taskType", raw).getLeft();

        assertThat(violation.code()).isEqualTo("task.taskType.unknown");
        assertThat(violation.pointer()).isEqualTo("/taskType");
        assertThat(violation.message())
                .endsWith(
                        "accepted: 0 (toDo), 2 (call), 4 (meeting), 5 (linkedIn), 7 (manualEmail), 8 (sms), 9 (whatsApp)");
    }

    @Test
    void anUnknownValueIsNamedInTheMessage() {
        Violation violation =
                WireEnums.parse(Priority.class, "/priority", "urgent").getLeft();

        assertThat(violation.message()).startsWith("unknown priority 'urgent'; accepted: ");
    }

    @Test
    void theFieldOfTheCodeIsTheLastSegmentOfThePointer() {
        Violation violation = WireEnums.parse(LinkedInTaskType.class, "/tasks/3/linkedInTaskType", "poke")
                .getLeft();

        assertThat(violation.code()).isEqualTo("task.linkedInTaskType.unknown");
        assertThat(violation.pointer()).isEqualTo("/tasks/3/linkedInTaskType");
    }

    @Test
    void anUnknownCodeIsAViolation() {
        Violation violation = WireEnums.fromCode(TaskStatus.class, "/status", 2).getLeft();

        assertThat(violation.code()).isEqualTo("task.status.unknown");
        assertThat(violation.message())
                .startsWith("unknown status '2'; accepted: 0 (new), 1 (finished), 3 (cancelled)");
    }

    @Test
    void controlCharactersInAnUnknownValueAreShownEscaped() {
        Violation violation =
                WireEnums.parse(Priority.class, "/priority", "ho\u0000t").getLeft();

        assertThat(violation.message()).startsWith("unknown priority 'ho\\u0000t'");
    }

    @Test
    void aLongUnknownValueIsShortenedInTheMessage() {
        Violation violation =
                WireEnums.parse(Priority.class, "/priority", "x".repeat(1_000)).getLeft();

        assertThat(violation.message()).startsWith("unknown priority '" + "x".repeat(40) + "…'");
    }

    @Test
    void codesAndNamesAreUniqueWithinEachEnum() {
        for (Class<? extends WireEnum> type : WIRE_ENUMS) {
            WireEnum[] constants = type.getEnumConstants();
            assertThat(Arrays.stream(constants).map(WireEnum::code))
                    .as(type.getSimpleName())
                    .doesNotHaveDuplicates();
            assertThat(Arrays.stream(constants).map(WireEnum::wireName))
                    .as(type.getSimpleName())
                    .doesNotHaveDuplicates();
        }
    }

    @Test
    void aValueInAListIsNamedByItsListNotItsIndex() {
        Violation violation = WireEnums.parse(TaskType.class, "/types/1", "fax").getLeft();

        org.assertj.core.api.Assertions.assertThat(violation.code()).isEqualTo("task.types.unknown");
        org.assertj.core.api.Assertions.assertThat(violation.pointer()).isEqualTo("/types/1");
    }
}
