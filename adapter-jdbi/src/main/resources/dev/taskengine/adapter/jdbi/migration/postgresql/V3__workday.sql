-- Task engine schema, version 3, for PostgreSQL: the rep's working day (who acted, history, snooze, contact pauses,
-- reminders).
--
-- remind_at             when the assignee is reminded of the active task, once (cleared when the reminder is emitted)
-- snoozed_until         until when the task is snoozed: hidden from "my tasks now" and not executed before then
-- paused_until          until when the task is held because its contact is paused, like a snooze
-- hidden_until          derived (Task#hiddenUntil): the later of snoozed_until and paused_until, null when neither; written
--                       with every change, so that "hidden at now" is one comparison: hidden_until > now
-- next_execution_at     as in V2, and now also not before hidden_until (Task#nextExecutionAt); rows written before this
--                       version have no snooze or pause, so theirs stays right
-- te_task_event.actor   who made the write (Actor#wireName: user:42, system:scheduler). Events written before this
--                       version named nobody: they read as system:unknown
-- te_history            one entry per write of a task (Task's HistoryEntry), kept after the task is deleted until the
--                       engine forgets it. position is given by the store in the order entries are kept; pages are read
--                       newest first by it. event_type holds the stored codes of TaskEventType (StoredCodes):
--                         Created 0, Updated 1, Reassigned 2, Started 3, Executed 4, ExecutionFailed 5, Completed 6,
--                         Skipped 7, Cancelled 8, Detached 9, Reopened 10, Archived 11, Deleted 12,
--                         ExecutionStarted 13, Deferred 14, Snoozed 15, Unsnoozed 16, Rescheduled 17, Paused 18,
--                         Resumed 19, NoteAdded 20, Reminded 21
--                       status_before/status_after are status codes (absent before a creation, after a deletion);
--                       changes holds the changed fields, each as three length-prefixed texts (field, before, after;
--                       "-" for an absent value): see HistoryChanges
-- te_contact_pause      until when a contact of a tenant is paused (one row per paused contact)

ALTER TABLE te_task ADD COLUMN remind_at timestamptz;
ALTER TABLE te_task ADD COLUMN snoozed_until timestamptz;
ALTER TABLE te_task ADD COLUMN paused_until timestamptz;
ALTER TABLE te_task ADD COLUMN hidden_until timestamptz;

-- Due reminders, across tenants, earliest first: only tasks that have one.
CREATE INDEX te_task_remind_idx ON te_task (remind_at, id) WHERE remind_at IS NOT NULL;

ALTER TABLE te_task_event ADD COLUMN actor varchar(80) NOT NULL DEFAULT 'system:unknown';
ALTER TABLE te_task_event ALTER COLUMN actor DROP DEFAULT;

CREATE TABLE te_history (
    position      bigint       GENERATED ALWAYS AS IDENTITY,
    tenant        varchar(64)  NOT NULL,
    id            uuid         NOT NULL,
    task_id       bigint       NOT NULL,
    version       bigint       NOT NULL,
    occurred_at   timestamptz  NOT NULL,
    actor         varchar(80)  NOT NULL,
    event_type    smallint     NOT NULL,
    status_before smallint,
    status_after  smallint,
    changes       text         NOT NULL,
    reason        text,
    note          text,
    CONSTRAINT te_history_pkey PRIMARY KEY (tenant, position),
    CONSTRAINT te_history_id_key UNIQUE (tenant, id)
);

-- One task's history, newest first (the primary key serves the tenant's whole history).
CREATE INDEX te_history_task_idx ON te_history (tenant, task_id, position);
-- What one actor did, newest first.
CREATE INDEX te_history_actor_idx ON te_history (tenant, actor, position);
-- The deletions, by time, across tenants: which tasks' history the engine forgets.
CREATE INDEX te_history_deleted_idx ON te_history (occurred_at) WHERE event_type = 12;

CREATE TABLE te_contact_pause (
    tenant       varchar(64)  NOT NULL,
    contact_id   bigint       NOT NULL,
    paused_until timestamptz  NOT NULL,
    CONSTRAINT te_contact_pause_pkey PRIMARY KEY (tenant, contact_id)
);
