package dev.taskengine.domain;

import static dev.taskengine.domain.WireEnumsTest.WIRE_ENUMS;
import static dev.taskengine.domain.WireEnumsTest.fromCode;
import static dev.taskengine.domain.WireEnumsTest.parse;
import static org.assertj.core.api.Assertions.assertThat;

import com.pholser.junit.quickcheck.From;
import com.pholser.junit.quickcheck.Property;
import com.pholser.junit.quickcheck.generator.GenerationStatus;
import com.pholser.junit.quickcheck.generator.Generator;
import com.pholser.junit.quickcheck.random.SourceOfRandomness;
import com.pholser.junit.quickcheck.runner.JUnitQuickcheck;
import io.vavr.control.Either;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.runner.RunWith;

/**
 * WireEnumsTest's properties over random values (junit-quickcheck, as the reliability suite: see
 * EngineSequencePropertiesTest there for why), 1,000 tries each.
 */
@RunWith(JUnitQuickcheck.class)
public class WireEnumsPropertiesTest {
    static final int TRIES = 1_000;

    /** Every constant of every wire enum. */
    static final List<WireEnum> CONSTANTS = WIRE_ENUMS.stream()
            .<WireEnum>flatMap(type -> Arrays.stream(type.getEnumConstants()))
            .toList();

    /** Every code and name that travels. */
    static final List<String> KNOWN = CONSTANTS.stream()
            .flatMap(c -> Stream.of(c.wireName(), Integer.toString(c.code())))
            .distinct()
            .toList();

    @Property(trials = TRIES)
    public void everyConstantRoundTripsThroughItsNameAndItsCode(@From(Constants.class) WireEnum constant) {
        Class<? extends WireEnum> type =
                ((Enum<?>) constant).getDeclaringClass().asSubclass(WireEnum.class);

        assertThat(parse(type, "/field", constant.wireName()).get()).isSameAs(constant);
        assertThat(parse(type, "/field", Integer.toString(constant.code())).get())
                .isSameAs(constant);
        assertThat(fromCode(type, "/field", constant.code()).get()).isSameAs(constant);
    }

    @Property(trials = TRIES)
    public void anyOtherStringIsRefusedNeverThrown(
            @From(WireEnumTypes.class) WireEnumType wireEnum, @From(Raws.class) String raw) {
        Class<? extends WireEnum> type = wireEnum.type();
        Either<Violation, WireEnum> parsed = parse(type, "/field", raw);

        Optional<WireEnum> expected = Arrays.<WireEnum>stream(type.getEnumConstants())
                .filter(c -> c.wireName().equals(raw.strip())
                        || Integer.toString(c.code()).equals(raw.strip()))
                .findFirst();
        if (expected.isPresent()) {
            assertThat(parsed.get()).isSameAs(expected.get());
        } else {
            assertThat(parsed.getLeft().code()).isEqualTo("task.field.unknown");
            assertThat(parsed.getLeft().pointer()).isEqualTo("/field");
        }
    }

    @Property(trials = TRIES)
    public void anyOtherCodeIsRefused(@From(WireEnumTypes.class) WireEnumType wireEnum, int code) {
        Class<? extends WireEnum> type = wireEnum.type();
        boolean known = Arrays.stream(type.getEnumConstants()).anyMatch(c -> c.code() == code);

        assertThat(fromCode(type, "/field", code).isRight()).isEqualTo(known);
    }

    public static final class Constants extends Generator<WireEnum> {
        public Constants() {
            super(WireEnum.class);
        }

        @Override
        public WireEnum generate(SourceOfRandomness random, GenerationStatus status) {
            return random.choose(CONSTANTS);
        }
    }

    /** One of the wire enums (a record, as junit-quickcheck finds no generator for a {@code Class<? extends ...>}). */
    record WireEnumType(Class<? extends WireEnum> type) {
        @Override
        public String toString() {
            return type.getSimpleName();
        }
    }

    public static final class WireEnumTypes extends Generator<WireEnumType> {
        public WireEnumTypes() {
            super(WireEnumType.class);
        }

        @Override
        public WireEnumType generate(SourceOfRandomness random, GenerationStatus status) {
            return new WireEnumType(random.choose(WIRE_ENUMS));
        }
    }

    /** Arbitrary text, and near misses: codes and names with whitespace, case changes, prefixes and suffixes. */
    public static final class Raws extends Generator<String> {
        private static final String[] AFFIXES = {"", " ", "\t", "\n", "\u0000", "0", "-", "+", "x", "\u00a0"};

        public Raws() {
            super(String.class);
        }

        @Override
        public String generate(SourceOfRandomness random, GenerationStatus status) {
            return switch (random.nextInt(0, 2)) {
                case 0 -> text(random, 0, 20);
                case 1 -> {
                    String value = random.choose(KNOWN);
                    yield affix(random)
                            + (random.nextBoolean() ? value.toUpperCase(Locale.ROOT) : value)
                            + affix(random);
                }
                default -> random.choose(KNOWN);
            };
        }

        private static String affix(SourceOfRandomness random) {
            return random.nextBoolean() ? random.choose(AFFIXES) : text(random, 0, 3);
        }

        /** Any characters, mostly ASCII, some anywhere in the Basic Multilingual Plane. */
        private static String text(SourceOfRandomness random, int min, int max) {
            int length = random.nextInt(min, max);
            StringBuilder text = new StringBuilder(length);
            for (int i = 0; i < length; i++) {
                text.append(
                        random.nextInt(0, 3) == 0
                                ? random.nextChar('\u0000', '\uffff')
                                : random.nextChar('\u0000', '\u007f'));
            }
            return text.toString();
        }
    }
}
