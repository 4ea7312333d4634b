-- Task engine schema, version 1, for PostgreSQL: the task table, its id sequence and the event outbox.
--
-- Every object carries the te_ prefix so that it can share a schema with the tables of the host application. The
-- Flyway history of the engine is kept in te_schema_history, apart from the history of the host. A host that runs its
-- migrations with its own tool can run this file as it is (no placeholders), in the schema its connections use.
--
-- Every primary key and unique constraint starts with tenant, so that both tables can later be partitioned by hash of
-- tenant, or distributed by tenant (Citus), without changing a key; see the adapter's README.
--
-- Enums are stored as smallint codes fixed by the adapter (StoredCodes), the same numbers as the wire codes of 0.1.0:
--   task_type          ToDo 0, Call 2, Meeting 4, LinkedIn 5, ManualEmail 7, Sms 8, WhatsApp 9
--   linkedin_task_type Message 0, Connect 1, InMail 2, ViewProfile 3 (LinkedIn tasks only)
--   status             New 0, Finished 1, Cancelled 3, Archived 4, SequenceDetached 5, InProgress 6, Skipped 7
--   priority           Hot 0, Today 1, Extra 2
--   creation_source    User 0, Sequence 1, Meeting 2
--   reopen_reason      ReminderRule 0, Manual 1
--   disposition        Answered 0, VoicemailLeft 1, NoAnswer 2
--   call_resolution    Positive 0, ToCall 1, Negative 2 (finished calls only)
-- Times are instants (timestamptz, microsecond precision). Free text is unbounded: the domain enforces its Limits
-- before any SQL, and the final content of an executed task (its template rendered with the variables of the contact)
-- may be longer than a template may be. attachment_ids holds the ids in order, as decimals joined by commas (the empty
-- string for none).
--
-- failure_reason       why the last execution failed (set exactly when failed)
-- failed_attempts      executions that failed since the task was last updated
-- retry_at             when a failed scheduled task is tried again (none: it stays failed)
-- execution_*          an execution under way: recorded before the message goes to the sender, cleared with its outcome;
--                      execution_key is the idempotency key the sender receives, also on a resend after a crash
-- claim_owner/_until   which scheduler holds the task and until when; any write of the task clears them
-- retry_key            the idempotency key a transiently failed execution leaves for its retry, so that a retry (the
--                      provider may have taken the message) is sent under the same key; set only on active failed tasks
-- template_literal     the template is literal text, never rendered: the final content of an executed or completed task
-- te_task_event        lifecycle events written in the transaction of their task's write, deleted once published;
--                      position orders them

CREATE SEQUENCE te_task_id_seq AS bigint START WITH 1;

CREATE TABLE te_task (
    id                   bigint       NOT NULL,
    tenant               varchar(64)  NOT NULL,
    version              bigint       NOT NULL,
    task_type            smallint     NOT NULL,
    linkedin_task_type   smallint,
    status               smallint     NOT NULL,
    priority             smallint     NOT NULL,
    contact_id           bigint,
    assigned_user_id     bigint       NOT NULL,
    creation_source      smallint     NOT NULL,
    sequence_id          bigint,
    sequence_step_id     bigint,
    step_display_name    text,
    created_at           timestamptz  NOT NULL,
    updated_at           timestamptz  NOT NULL,
    start_at             timestamptz  NOT NULL,
    due_to               timestamptz  NOT NULL,
    finished_at          timestamptz,
    skipped_at           timestamptz,
    reopened_at          timestamptz,
    reopen_reason        smallint,
    disposition          smallint,
    failed               boolean      NOT NULL,
    scheduled            boolean      NOT NULL,
    subject              text,
    body                 text         NOT NULL,
    attachment_ids       text         NOT NULL,
    call_resolution      smallint,
    failure_reason       text,
    failed_attempts      integer      NOT NULL DEFAULT 0,
    retry_at             timestamptz,
    execution_key        varchar(200),
    execution_started_at timestamptz,
    execution_subject    text,
    execution_body       text,
    execution_target     text,
    execution_account_id bigint,
    claim_owner          varchar(100),
    claim_until          timestamptz,
    retry_key            varchar(200),
    template_literal     boolean      NOT NULL DEFAULT false,
    CONSTRAINT te_task_pkey PRIMARY KEY (tenant, id)
);

-- The tasks of a user in given states and a start window (my active tasks this week).
CREATE INDEX te_task_assignee_idx ON te_task (tenant, assigned_user_id, status, start_at);

-- The sequence filter and the sequence-wide reassign.
CREATE INDEX te_task_sequence_idx ON te_task (tenant, sequence_id);

-- The tasks of a contact.
CREATE INDEX te_task_contact_idx ON te_task (tenant, contact_id);

-- Scheduled tasks that are due, across tenants, for the scheduler that claims them: only active scheduled tasks.
CREATE INDEX te_task_due_scheduled_idx ON te_task (start_at, id) WHERE scheduled AND status IN (0, 6);

-- Keyset paging in each sort order: the sort time, then id, within a tenant.
CREATE INDEX te_task_start_at_order_idx ON te_task (tenant, start_at, id);
CREATE INDEX te_task_due_to_order_idx ON te_task (tenant, due_to, id);
CREATE INDEX te_task_created_at_order_idx ON te_task (tenant, created_at, id);
CREATE INDEX te_task_updated_at_order_idx ON te_task (tenant, updated_at, id);

-- Executions recorded and never completed, across tenants, for recovery after a crash.
CREATE INDEX te_task_execution_idx ON te_task (execution_started_at) WHERE execution_key IS NOT NULL;

CREATE TABLE te_task_event (
    position    bigint       GENERATED ALWAYS AS IDENTITY,
    id          uuid         NOT NULL,
    event_type  varchar(40)  NOT NULL,
    tenant      varchar(64)  NOT NULL,
    task_id     bigint       NOT NULL,
    version     bigint       NOT NULL,
    occurred_at timestamptz  NOT NULL,
    CONSTRAINT te_task_event_pkey PRIMARY KEY (tenant, position),
    CONSTRAINT te_task_event_id_key UNIQUE (tenant, id)
);

-- The relay reads the oldest events of every tenant, in order, and deletes the published ones by id (it knows no tenant).
CREATE INDEX te_task_event_position_idx ON te_task_event (position);
CREATE INDEX te_task_event_id_idx ON te_task_event (id);
