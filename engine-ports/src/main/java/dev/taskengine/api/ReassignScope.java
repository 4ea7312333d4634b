package dev.taskengine.api;

/** Topo's reassign scope: this task only, or every active task of its sequence. */
public enum ReassignScope {
    TASK,
    SEQUENCE
}
