-- Task engine schema, version 2, for PostgreSQL: the sending policy.
--
-- execution_sms_sender  the sending identity an SMS under way goes from, when the host names one
-- deferred_until        when the sending policy deferred a scheduled send to (the scheduler does not claim it before)
-- deferral_reason       why: a stable code such as sending.outsideWindow, sending.dailyLimit (set with deferred_until)
-- next_execution_at     when the scheduler may execute the task next (Task#nextExecutionAt): the latest of start_at,
--                       retry_at and deferred_until for an active scheduled email or SMS task that is not being executed
--                       and has not failed for good; null for every other task. Written with every change of the task,
--                       so that the claim walks one index in this order and never reads a task it cannot send.
-- te_sending_account    one row per sending account that counts sends: locked by a write that counts one, so that the
--                       counting of an account is serialized across every engine sharing the database
-- te_send               the sends counted against each account's limits, one per execution (idempotency key): a resend
--                       under the same key moves its row, never adds one; rows older than any limit looks at are deleted

ALTER TABLE te_task ADD COLUMN execution_sms_sender varchar(200);
ALTER TABLE te_task ADD COLUMN deferred_until timestamptz;
ALTER TABLE te_task ADD COLUMN deferral_reason varchar(100);
ALTER TABLE te_task ADD COLUMN next_execution_at timestamptz;

UPDATE te_task SET next_execution_at = CASE WHEN failed AND retry_at > start_at THEN retry_at ELSE start_at END
 WHERE scheduled AND status IN (0, 6) AND task_type IN (7, 8) AND execution_key IS NULL
   AND (NOT failed OR retry_at IS NOT NULL);

-- A task is written several times in its life (claimed, its execution recorded, its outcome, a deferral), mostly in
-- columns no index holds (claim_owner, claim_until): room left on each page lets PostgreSQL update such a row in place
-- (a heap-only tuple), without a new entry in each of the table's indexes. Applies to pages written from now on.
ALTER TABLE te_task SET (fillfactor = 80);

DROP INDEX te_task_due_scheduled_idx;

-- The tasks the scheduler may claim, across tenants, in the order it claims them; deferred and failed tasks wait in it
-- at their next time, so that a backlog of one account never stands before another's due task.
CREATE INDEX te_task_next_execution_idx ON te_task (next_execution_at, id) WHERE next_execution_at IS NOT NULL;

CREATE TABLE te_sending_account (
    tenant  varchar(64)  NOT NULL,
    account varchar(200) NOT NULL,
    CONSTRAINT te_sending_account_pkey PRIMARY KEY (tenant, account)
);

CREATE TABLE te_send (
    tenant          varchar(64)  NOT NULL,
    account         varchar(200) NOT NULL,
    idempotency_key varchar(200) NOT NULL,
    sent_at         timestamptz  NOT NULL,
    CONSTRAINT te_send_pkey PRIMARY KEY (tenant, account, idempotency_key)
);

-- An account's latest sends, for its limits.
CREATE INDEX te_send_account_time_idx ON te_send (tenant, account, sent_at);
