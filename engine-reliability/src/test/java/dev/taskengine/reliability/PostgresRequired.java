package dev.taskengine.reliability;

import java.util.Optional;
import net.jqwik.api.lifecycle.LifecycleContext;
import net.jqwik.api.lifecycle.SkipExecutionHook;

/**
 * Skips a jqwik property that needs PostgreSQL when there is no server, with one line saying how to run it; on CI
 * ({@code CI=true}) it does not skip, and the property fails on its first try instead.
 */
public final class PostgresRequired implements SkipExecutionHook {
    @Override
    public SkipResult shouldBeSkipped(LifecycleContext context) {
        Optional<String> why = Postgres.unavailable();
        if (why.isEmpty() || Postgres.onCi()) {
            return SkipResult.doNotSkip();
        }
        return SkipResult.skip(Postgres.skipLine(why.get()));
    }
}
