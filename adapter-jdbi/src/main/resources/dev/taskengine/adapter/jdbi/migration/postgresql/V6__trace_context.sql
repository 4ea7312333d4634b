-- Task engine schema, version 6, for PostgreSQL: the trace context kept with a task (Task#trace, TraceContext).
--
-- trace_parent          the W3C traceparent of the call that created the task, or last made it scheduled or moved its
--                       scheduled start (an update, a reschedule), as the engine's observer reported it
--                       (EngineObserver#traceContext): 00-<32 hex>-<16 hex>-<2 hex>, 55 characters; null when there was
--                       no trace. The scheduler hands it back to the observer when it sends the task, so that the send
--                       shows in that call's trace. Rows written before this version have none
-- trace_state           the W3C tracestate that came with it, at most 512 characters; null when none (never set without
--                       trace_parent)

ALTER TABLE te_task ADD COLUMN trace_parent varchar(55);
ALTER TABLE te_task ADD COLUMN trace_state varchar(512);
