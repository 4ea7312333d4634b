-- Task engine schema, version 4, for PostgreSQL: the outbox as Debezium's outbox event router reads it.
--
-- te_task_event keeps every write's events until the engine published them (then deletes them; a change-data-capture
-- connector reads the inserts from the write-ahead log, so deleting a published row loses it nothing). Its columns:
--   id             the event's id (also the history entry's id and a webhook's webhook-id): a receiver drops duplicates
--   aggregatetype  always 'task': the router's default topic is outbox.event.task
--   aggregateid    the task's id as text: the message key, so that a task's events stay in one partition, in order
--   type           the event type as it leaves the process (TaskEventType#eventName): task.created, task.completed, ...
--                  (was event_type, holding the constant's name)
--   payload        the event as JSON, schema version 1 (TaskEvent#payload): id, type, time, tenant, actor, taskId,
--                  taskVersion and task, the task as the Reply dialect shows it. Events still pending when this version
--                  is applied were written without one: theirs is made here from the row, with "task": null
--   position, tenant, task_id, version, occurred_at, actor   what the engine's relay needs, as before

ALTER TABLE te_task_event RENAME COLUMN event_type TO type;
CREATE TABLE te_event_type_rename (stored varchar(40) NOT NULL, name varchar(40) NOT NULL);
INSERT INTO te_event_type_rename (stored, name) VALUES
    ('CREATED', 'task.created'),
    ('UPDATED', 'task.updated'),
    ('REASSIGNED', 'task.reassigned'),
    ('STARTED', 'task.started'),
    ('EXECUTED', 'task.executed'),
    ('EXECUTION_FAILED', 'task.executionFailed'),
    ('COMPLETED', 'task.completed'),
    ('SKIPPED', 'task.skipped'),
    ('CANCELLED', 'task.cancelled'),
    ('DETACHED', 'task.detached'),
    ('REOPENED', 'task.reopened'),
    ('ARCHIVED', 'task.archived'),
    ('DELETED', 'task.deleted'),
    ('EXECUTION_STARTED', 'task.executionStarted'),
    ('DEFERRED', 'task.deferred'),
    ('SNOOZED', 'task.snoozed'),
    ('UNSNOOZED', 'task.unsnoozed'),
    ('RESCHEDULED', 'task.rescheduled'),
    ('PAUSED', 'task.paused'),
    ('RESUMED', 'task.resumed'),
    ('NOTE_ADDED', 'task.noteAdded'),
    ('REMINDED', 'task.reminded');
UPDATE te_task_event SET type = (SELECT r.name FROM te_event_type_rename r WHERE r.stored = te_task_event.type);
DROP TABLE te_event_type_rename;
ALTER TABLE te_task_event ADD COLUMN aggregatetype varchar(20) NOT NULL DEFAULT 'task';
ALTER TABLE te_task_event ADD COLUMN aggregateid varchar(20);
ALTER TABLE te_task_event ADD COLUMN payload json;
UPDATE te_task_event SET aggregateid = CAST(task_id AS varchar(20)),
    payload = json_build_object(
        'schemaVersion', 1,
        'id', id,
        'type', type,
        'time', to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
        'tenant', tenant,
        'actor', actor,
        'taskId', task_id,
        'taskVersion', version,
        'task', NULL);
ALTER TABLE te_task_event ALTER COLUMN aggregateid SET NOT NULL;
ALTER TABLE te_task_event ALTER COLUMN payload SET NOT NULL;
