package dev.taskengine.internal;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.spi.EngineObserver;

/** Makes engines; called by {@link dev.taskengine.api.TaskEngineBuilder} only. */
public final class Engines {
    private Engines() {}

    /** The engine of {@code parts}; its driving calls reported to its observer, unless that is {@link EngineObserver#none()}. */
    public static TaskEngine create(EngineParts parts) {
        TaskEngine engine = new DefaultTaskEngine(parts);
        return parts.observer() == EngineObserver.none() ? engine : new ObservedTaskEngine(engine, parts.observer());
    }
}
