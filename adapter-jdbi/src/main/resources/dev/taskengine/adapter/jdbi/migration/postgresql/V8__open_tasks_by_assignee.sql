-- Task engine schema, version 8, for PostgreSQL: a rep's open tasks in start order have an index of their own.
--
-- Why. "My tasks now" (a rep's new and in-progress tasks, not hidden, by start time, a page of 50) filtered the rep's
-- rows out of te_task_start_at_order_idx: te_task_assignee_idx (tenant, assigned_user_id, status, start_at) cannot give
-- the start order for two statuses at once, so with few reps the planner walked the tenant's tasks in start order and
-- stopped at the 51st match. The finished tasks come first in that order and only grow: in the soak of issue 17 (16
-- reps, 119,000 tasks) the first page removed 118,512 rows, read 108,000 buffers and took 81 ms, 137 ms on average over
-- the run. This index holds only the open tasks (new and in progress, the scheduler's statuses 0 and 6), in the page's
-- order, so the page reads the rep's next 51 entries whatever the size of the tenant; a task leaves it as it finishes.
--
-- As V7 says, an index on te_task must be followed by the primary key built again, so that a lookup by id plans on the
-- key before the table has statistics. A host can build both beforehand without a write lock, and the migration then
-- only swaps the constraint:
--   CREATE INDEX CONCURRENTLY te_task_assignee_open_idx ON te_task (tenant, assigned_user_id, start_at, id)
--       WHERE status IN (0, 6);
--   CREATE UNIQUE INDEX CONCURRENTLY te_task_key_idx ON te_task (tenant, id);

CREATE INDEX IF NOT EXISTS te_task_assignee_open_idx ON te_task (tenant, assigned_user_id, start_at, id)
    WHERE status IN (0, 6);

CREATE UNIQUE INDEX IF NOT EXISTS te_task_key_idx ON te_task (tenant, id);
ALTER TABLE te_task DROP CONSTRAINT te_task_pkey, ADD CONSTRAINT te_task_pkey PRIMARY KEY USING INDEX te_task_key_idx;
