package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.taskengine.domain.FieldChange;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The changes of a history entry as one text: read back exactly, whatever the texts hold. */
class HistoryChangesTest {

    private static FieldChange change(String field, String before, String after) {
        return new FieldChange(field, Optional.ofNullable(before), Optional.ofNullable(after));
    }

    @Test
    void noChangeIsTheEmptyText() {
        assertThat(HistoryChanges.encode(List.of())).isEmpty();
        assertThat(HistoryChanges.decode("")).isEmpty();
    }

    @Test
    void absentEmptyAndPresentValuesStayApart() {
        List<FieldChange> changes = List.of(
                change("contactId", null, "42"),
                change("template.subject", "", null),
                change("remindAt", null, null),
                change("priority", "hot", "today"));

        assertThat(HistoryChanges.decode(HistoryChanges.encode(changes))).isEqualTo(changes);
    }

    @Test
    void textsThatLookLikeTheEncodingItselfRoundTrip() {
        List<FieldChange> changes = List.of(
                change("template.body", "-", "3:abc"),
                change("template.body", "12:", "::--::"),
                change("failureReason", "0", "-1:x"));

        assertThat(HistoryChanges.decode(HistoryChanges.encode(changes))).isEqualTo(changes);
    }

    @Test
    void anyTextABodyMayHoldRoundTrip() {
        String body = "Hi {{firstName}},\n\tline two\r\nemoji 😀👍🏽, accents é ü ß, CJK 漢字, RTL שלום\u200d, end ";
        List<FieldChange> changes = List.of(
                change("template.body", body, body + body.repeat(100)), change("template.subject", "😀", "-😀-"));

        assertThat(HistoryChanges.decode(HistoryChanges.encode(changes))).isEqualTo(changes);
    }

    @Test
    void theEncodingIsLengthPrefixedValuesWithADashForAbsent() {
        assertThat(HistoryChanges.encode(List.of(change("priority", "hot", null), change("remindAt", null, "😀"))))
                .isEqualTo("8:priority3:hot-8:remindAt-2:😀");
    }

    @Test
    void aTextTheEncodingDidNotWriteIsRefused() {
        for (String corrupt :
                List.of("8:priority", "8:priority3:hot", "9:priority3:hot-", "x:a--", "-:--", "3a:abc--")) {
            assertThatThrownBy(() -> HistoryChanges.decode(corrupt))
                    .as(corrupt)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("not a history's changes");
        }
    }
}
