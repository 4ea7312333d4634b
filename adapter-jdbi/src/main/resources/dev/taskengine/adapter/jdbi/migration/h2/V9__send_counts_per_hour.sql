-- Task engine schema, version 9, for H2: each sending account's sends are also counted per hour.
--
-- te_send_hour  how many sends each account counted in each hour (hours since the epoch, UTC): one row per account and
--               hour, added to in the transaction that counts the sends, under the account's lock. A resend under the
--               same key moves its te_send row and adds to its new hour without taking from the old one, so a count
--               here is never below the sends it covers, only at times above; rows are deleted with the sends.
--
-- See the PostgreSQL file for why: the store's check of a batch against an account's limits sums at most 25 of these
-- rows instead of counting the day's sends.

CREATE TABLE te_send_hour (
    tenant     CHARACTER VARYING(64)  NOT NULL,
    account    CHARACTER VARYING(200) NOT NULL,
    epoch_hour BIGINT                 NOT NULL,
    sends      BIGINT                 NOT NULL,
    CONSTRAINT te_send_hour_pkey PRIMARY KEY (tenant, account, epoch_hour)
);

INSERT INTO te_send_hour (tenant, account, epoch_hour, sends)
SELECT tenant, account, CAST(FLOOR(EXTRACT(EPOCH FROM sent_at) / 3600) AS BIGINT), COUNT(*)
  FROM te_send
 GROUP BY tenant, account, CAST(FLOOR(EXTRACT(EPOCH FROM sent_at) / 3600) AS BIGINT);
