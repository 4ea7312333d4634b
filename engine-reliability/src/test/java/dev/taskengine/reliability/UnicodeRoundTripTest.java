package dev.taskengine.reliability;

import static dev.taskengine.contract.TaskFixtures.NOW;
import static dev.taskengine.contract.TaskFixtures.newToDo;
import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.contract.MutableClock;
import dev.taskengine.contract.Writes;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.SequenceRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.Template;
import dev.taskengine.domain.TenantId;
import io.vavr.control.Either;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The other side of the corpus's Unicode cases: unusual but well-formed text (noncharacters, a byte-order mark,
 * bidirectional overrides, joiners, combining marks, supplementary characters, the largest code point, the longest
 * allowed body in 4-byte characters) is accepted and reads back identical on every adapter.
 */
class UnicodeRoundTripTest {
    static final List<String> TEXTS = List.of(
            "\uFFFF and \uFFFE",
            "\uFEFFstarts with a byte-order mark",
            "\u202Eright to left\u202C",
            "zero\u200Bwidth\u200Djoiner",
            "e\u0301\u0301\u0301 stacked accents",
            "\uD83D\uDC68\u200D\uD83D\uDC69\u200D\uD83D\uDC67 family",
            "\uDBFF\uDFFF the last code point",
            "\u00A0non-breaking only\u00A0",
            "line\u2028and\u2029paragraph separators",
            "\uD800\uDC00 the first supplementary character",
            "\u0130stanbul \u0131 dotless",
            "\uD83D\uDE00".repeat(32_768));

    @ParameterizedTest(name = "{0}")
    @EnumSource(Adapter.class)
    void wellFormedUnusualTextIsStoredExactly(Adapter adapter) {
        TenantId tenant = TenantId.of("rel-unicode-" + UUID.randomUUID());
        TaskEngine engine = TaskEngine.builder()
                .store(adapter.store())
                .contacts(World.contactsOf(tenant))
                .clock(new MutableClock(NOW))
                .templates(World.TEMPLATES)
                .build();
        for (String text : TEXTS) {
            String shortText = text.length() > 200 ? text.substring(0, 200) : text;
            Either<TaskError, Task> created = engine.create(
                    Writes.ACTOR,
                    newToDo(tenant)
                            .type(TaskType.MANUAL_EMAIL)
                            .contact(ContactId.of(1))
                            .template(Template.of(shortText, text))
                            .sequence(SequenceRef.of(1, 1, shortText))
                            .build());
            assertThat(created.isRight()).as("accepted: %s", created).isTrue();
            assertThat(engine.get(tenant, created.get().id(), false).get().task())
                    .isEqualTo(created.get());
        }
        Figures.report(
                "unusual Unicode on %s: %d well-formed texts (noncharacters, BOM, bidi overrides, joiners, combining"
                        + " marks, supplementary characters, 65,536 characters of emoji) stored and read back identical",
                adapter.label(), TEXTS.size());
    }
}
