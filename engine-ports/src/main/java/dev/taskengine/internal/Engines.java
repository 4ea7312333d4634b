package dev.taskengine.internal;

import dev.taskengine.api.TaskEngine;

/** Makes engines; called by {@link dev.taskengine.api.TaskEngineBuilder} only. */
public final class Engines {
    private Engines() {}

    public static TaskEngine create(EngineParts parts) {
        return new DefaultTaskEngine(parts);
    }
}
