package dev.taskengine.reliability;

import org.junit.jupiter.api.Assertions;
import org.opentest4j.TestAbortedException;

/** The rule for parts that need a server: on CI ({@code CI=true}) they fail when it is missing, elsewhere they skip. */
final class Skips {
    private Skips() {}

    static void skipOrFail(String what, String why, String skipLine) {
        if (Postgres.onCi()) {
            Assertions.fail(what + " reliability tests must run on CI, but there is " + why);
        }
        throw new TestAbortedException(skipLine);
    }
}
