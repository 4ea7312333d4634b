-- Task engine schema, version 9, for PostgreSQL: each sending account's sends are also counted per hour.
--
-- te_send_hour  how many sends each account counted in each hour (hours since the epoch, UTC): one row per account and
--               hour, added to in the transaction that counts the sends, under the account's lock. A resend under the
--               same key moves its te_send row and adds to its new hour without taking from the old one, so a count
--               here is never below the sends it covers, only at times above; rows are deleted with the sends.
--
-- Why. Before a batch of sends, the store asks whether they all stay within the account's limits by its counts alone
-- (the last day's and hour's sends, and the latest), to skip reading the sends themselves. It counted te_send's rows of
-- the last day: at 1,374 sends a second on one account (the lateness run of issue 17) that count ran 24,427 times for
-- 278.6 s, 11.4 ms each, under the account's lock, and the scheduler fell 242 s behind. Summing at most 25 hours of
-- this table is the same answer (or above it, which only sends the store to the exact reading) in constant time.

CREATE TABLE te_send_hour (
    tenant     varchar(64)  NOT NULL,
    account    varchar(200) NOT NULL,
    epoch_hour bigint       NOT NULL,
    sends      bigint       NOT NULL,
    CONSTRAINT te_send_hour_pkey PRIMARY KEY (tenant, account, epoch_hour)
);

INSERT INTO te_send_hour (tenant, account, epoch_hour, sends)
SELECT tenant, account, floor(extract(epoch FROM sent_at) / 3600)::bigint, count(*)
  FROM te_send
 GROUP BY tenant, account, floor(extract(epoch FROM sent_at) / 3600)::bigint;
