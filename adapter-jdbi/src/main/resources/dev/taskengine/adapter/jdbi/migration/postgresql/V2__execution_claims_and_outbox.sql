-- Task engine schema, version 2, for PostgreSQL: execution, scheduler claims and the event outbox.
--
-- call_resolution      Positive 0, ToCall 1, Negative 2 (finished calls only)
-- failure_reason       why the last execution failed (set exactly when failed)
-- failed_attempts      executions that failed since the task was last updated
-- retry_at             when a failed scheduled task is tried again (none: it stays failed)
-- execution_*          an execution under way: recorded before the message goes to the sender, cleared with its outcome;
--                      execution_key is the idempotency key the sender receives, also on a resend after a crash
-- claim_owner/_until   which scheduler holds the task and until when; any write of the task clears them
-- te_task_event        lifecycle events written in the transaction of their task's write, deleted once published;
--                      position orders them

ALTER TABLE te_task ADD COLUMN call_resolution smallint;
ALTER TABLE te_task ADD COLUMN failure_reason text;
ALTER TABLE te_task ADD COLUMN failed_attempts integer NOT NULL DEFAULT 0;
ALTER TABLE te_task ADD COLUMN retry_at timestamptz;
ALTER TABLE te_task ADD COLUMN execution_key varchar(200);
ALTER TABLE te_task ADD COLUMN execution_started_at timestamptz;
ALTER TABLE te_task ADD COLUMN execution_subject text;
ALTER TABLE te_task ADD COLUMN execution_body text;
ALTER TABLE te_task ADD COLUMN execution_target text;
ALTER TABLE te_task ADD COLUMN execution_account_id bigint;
ALTER TABLE te_task ADD COLUMN claim_owner varchar(100);
ALTER TABLE te_task ADD COLUMN claim_until timestamptz;

-- Executions recorded and never completed, for recovery after a crash.
CREATE INDEX te_task_execution_idx ON te_task (execution_started_at) WHERE execution_key IS NOT NULL;

CREATE TABLE te_task_event (
    position    bigint       GENERATED ALWAYS AS IDENTITY,
    id          uuid         NOT NULL,
    event_type  varchar(40)  NOT NULL,
    tenant      varchar(64)  NOT NULL,
    task_id     bigint       NOT NULL,
    version     bigint       NOT NULL,
    occurred_at timestamptz  NOT NULL,
    CONSTRAINT te_task_event_pkey PRIMARY KEY (position),
    CONSTRAINT te_task_event_id_key UNIQUE (id)
);
