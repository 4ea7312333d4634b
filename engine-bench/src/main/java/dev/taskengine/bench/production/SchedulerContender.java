package dev.taskengine.bench.production;

import java.util.Arrays;
import java.util.Locale;

/**
 * Who executes the scheduled tasks of the scheduler workloads: the engine's {@code TaskScheduler}, the same with the
 * sending policy on but not binding, or db-scheduler with lock-and-fetch polling.
 */
enum SchedulerContender {
    ENGINE,
    ENGINE_POLICY,
    DB_SCHEDULER;

    /** Its name in the report and on a fork's command line: engine, engine-policy, db-scheduler. */
    String label() {
        return name().toLowerCase(Locale.ROOT).replace('_', '-');
    }

    boolean engine() {
        return this != DB_SCHEDULER;
    }

    static SchedulerContender of(String label) {
        return Arrays.stream(values())
                .filter(c -> c.label().equals(label))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException("no scheduler contender " + label));
    }
}
