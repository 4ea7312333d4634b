-- Task engine schema, version 7, for PostgreSQL: the primary key of te_task is built again, after every other index of
-- the table, and the sequence index holds sequence tasks only.
--
-- Why the primary key is rebuilt. Until PostgreSQL has statistics for te_task (a new install, until autovacuum first
-- analyzes it, up to a minute after the first writes), every index that starts with tenant costs the same as the
-- primary key for a lookup by tenant and id, and the planner takes the index created last among equals. A connection
-- that prepares the engine's statements then (the JDBC driver does from the fifth execution on) keeps that generic
-- plan until the table is analyzed: every read and write of a task by its id walked all of its tenant's entries in
-- te_task_updated_at_order_idx, slower with every task written (measured: a lifecycle of three writes fell from 830 to
-- 410 a second within 40 seconds, then rose to 1,100 when autovacuum analyzed the table). Built last, the primary key
-- wins those ties. A later migration that adds an index to te_task must build the primary key again after it; the
-- adapter's PostgresFreshTablePlanTest fails otherwise.
--
-- On a large table this builds the key's index (a write lock on te_task meanwhile), once; a host can build it
-- beforehand without that lock (CREATE UNIQUE INDEX CONCURRENTLY te_task_key_idx ON te_task (tenant, id)), and the
-- migration then only swaps the constraint onto it.
--
-- Why the sequence index is partial. Only sequence tasks have a sequence_id, and every query and reassignment by
-- sequence names one; a manual task, and each of its updates that cannot be HOT, no longer adds an entry to it.

CREATE INDEX te_task_sequence_only_idx ON te_task (tenant, sequence_id) WHERE sequence_id IS NOT NULL;
DROP INDEX te_task_sequence_idx;
ALTER INDEX te_task_sequence_only_idx RENAME TO te_task_sequence_idx;

CREATE UNIQUE INDEX IF NOT EXISTS te_task_key_idx ON te_task (tenant, id);
ALTER TABLE te_task DROP CONSTRAINT te_task_pkey, ADD CONSTRAINT te_task_pkey PRIMARY KEY USING INDEX te_task_key_idx;
