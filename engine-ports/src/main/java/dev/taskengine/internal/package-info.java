/**
 * The engine's machinery: the use cases behind {@link dev.taskengine.api.TaskEngine}, the execution protocol, the
 * scheduler, the event relay and page cursors. Not part of the library's API: it may change in any release, and no
 * host or adapter may depend on it (an architecture test enforces that; the jar does not export it).
 */
package dev.taskengine.internal;
