-- Task engine schema, version 6, for H2 (2.x): the trace context kept with a task.
--
-- The same changes as migration/postgresql/V6__trace_context.sql, whose header explains the columns, in the types of
-- H2.

ALTER TABLE te_task ADD COLUMN trace_parent CHARACTER VARYING(55);
ALTER TABLE te_task ADD COLUMN trace_state CHARACTER VARYING(512);
