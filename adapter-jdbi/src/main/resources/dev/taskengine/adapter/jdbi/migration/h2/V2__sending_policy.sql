-- Task engine schema, version 2, for H2 (2.x): the sending policy.
--
-- The same changes as migration/postgresql/V2__sending_policy.sql, whose header explains the columns and tables, in
-- the types of H2. H2 has no partial index: the next-execution index covers every row.

ALTER TABLE te_task ADD COLUMN execution_sms_sender CHARACTER VARYING(200);
ALTER TABLE te_task ADD COLUMN deferred_until TIMESTAMP(6) WITH TIME ZONE;
ALTER TABLE te_task ADD COLUMN deferral_reason CHARACTER VARYING(100);
ALTER TABLE te_task ADD COLUMN next_execution_at TIMESTAMP(6) WITH TIME ZONE;

UPDATE te_task SET next_execution_at = CASE WHEN failed AND retry_at > start_at THEN retry_at ELSE start_at END
 WHERE scheduled AND status IN (0, 6) AND task_type IN (7, 8) AND execution_key IS NULL
   AND (NOT failed OR retry_at IS NOT NULL);

DROP INDEX te_task_due_scheduled_idx;

CREATE INDEX te_task_next_execution_idx ON te_task (next_execution_at, id);

CREATE TABLE te_sending_account (
    tenant  CHARACTER VARYING(64)  NOT NULL,
    account CHARACTER VARYING(200) NOT NULL,
    CONSTRAINT te_sending_account_pkey PRIMARY KEY (tenant, account)
);

CREATE TABLE te_send (
    tenant          CHARACTER VARYING(64)       NOT NULL,
    account         CHARACTER VARYING(200)      NOT NULL,
    idempotency_key CHARACTER VARYING(200)      NOT NULL,
    sent_at         TIMESTAMP(6) WITH TIME ZONE NOT NULL,
    CONSTRAINT te_send_pkey PRIMARY KEY (tenant, account, idempotency_key)
);

CREATE INDEX te_send_account_time_idx ON te_send (tenant, account, sent_at);
