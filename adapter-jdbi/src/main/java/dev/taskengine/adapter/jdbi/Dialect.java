package dev.taskengine.adapter.jdbi;

import java.sql.DatabaseMetaData;
import java.sql.SQLException;
import java.util.Locale;
import java.util.Optional;

/**
 * What differs between the two supported databases: how a sequence is read, how a data-changing statement answers the
 * rows it changed, and how a row is stored or replaced. Everything else is the same SQL.
 */
enum Dialect {
    H2 {
        @Override
        String nextIdsSql() {
            return "SELECT NEXT VALUE FOR te_task_id_seq FROM SYSTEM_RANGE(1, ?)";
        }

        @Override
        String returningChanged(String dataChange) {
            return "SELECT " + TaskSql.COLUMNS + " FROM FINAL TABLE (" + dataChange + ") ORDER BY id";
        }

        @Override
        String returningDeleted(String delete) {
            return "SELECT " + TaskSql.COLUMNS + " FROM OLD TABLE (" + delete + ")";
        }

        @Override
        String skipLocked() {
            // H2 has no SKIP LOCKED; the claim's UPDATE re-checks the condition on the row it locks.
            return "";
        }

        @Override
        Optional<String> asynchronousCommit() {
            return Optional.empty();
        }

        @Override
        String updatePicked(String pick, String update) {
            return update.formatted(pick);
        }

        @Override
        Optional<String> readCommittedTransaction() {
            // H2 has no per-transaction isolation statement; the store relies on its default, read committed.
            return Optional.empty();
        }

        @Override
        String lockSendingAccount() {
            // Inserting or updating the row locks it until the transaction ends.
            return "MERGE INTO te_sending_account (tenant, account) KEY (tenant, account) VALUES (?, ?)";
        }

        @Override
        String countSend() {
            return "MERGE INTO te_send (tenant, account, idempotency_key, sent_at) KEY (tenant, account, idempotency_key)"
                    + " VALUES (?, ?, ?, ?)";
        }

        @Override
        String countSendHour() {
            return "MERGE INTO te_send_hour t USING (VALUES (CAST(? AS CHARACTER VARYING(64)),"
                    + " CAST(? AS CHARACTER VARYING(200)), CAST(? AS BIGINT), CAST(? AS BIGINT)))"
                    + " AS s (tenant, account, epoch_hour, sends)"
                    + " ON t.tenant = s.tenant AND t.account = s.account AND t.epoch_hour = s.epoch_hour"
                    + " WHEN MATCHED THEN UPDATE SET sends = t.sends + s.sends"
                    + " WHEN NOT MATCHED THEN INSERT (tenant, account, epoch_hour, sends)"
                    + " VALUES (s.tenant, s.account, s.epoch_hour, s.sends)";
        }

        @Override
        String keepContactPause() {
            return "MERGE INTO te_contact_pause (tenant, contact_id, paused_until) KEY (tenant, contact_id)"
                    + " VALUES (?, ?, ?)";
        }
    },

    POSTGRESQL {
        @Override
        String nextIdsSql() {
            return "SELECT nextval('te_task_id_seq') FROM generate_series(1, ?)";
        }

        @Override
        String returningChanged(String dataChange) {
            return "WITH changed AS (" + dataChange + " RETURNING " + TaskSql.COLUMNS
                    + ") SELECT * FROM changed ORDER BY id";
        }

        @Override
        String returningDeleted(String delete) {
            return delete + " RETURNING " + TaskSql.COLUMNS;
        }

        @Override
        String skipLocked() {
            // Concurrent schedulers take different rows instead of queueing behind each other's locks.
            return " FOR UPDATE SKIP LOCKED";
        }

        @Override
        Optional<String> asynchronousCommit() {
            return Optional.of("SET LOCAL synchronous_commit TO OFF");
        }

        @Override
        String updatePicked(String pick, String update) {
            // The pick runs once, materialized: as a sub-query of the UPDATE, PostgreSQL may run it again (a nested
            // loop
            // or a re-check), and a LIMIT … SKIP LOCKED run again picks other rows, so that the UPDATE claimed more
            // than the limit (seen in the contract test with a large table).
            return "WITH picked AS MATERIALIZED (" + pick + ") " + update.formatted("SELECT tenant, id FROM picked");
        }

        @Override
        Optional<String> readCommittedTransaction() {
            return Optional.of("SET TRANSACTION ISOLATION LEVEL READ COMMITTED");
        }

        @Override
        String lockSendingAccount() {
            // DO UPDATE (unlike DO NOTHING) locks the existing row until the transaction ends: one statement, one round
            // trip, for what would otherwise be an insert and a SELECT … FOR UPDATE.
            return "INSERT INTO te_sending_account (tenant, account) VALUES (?, ?)"
                    + " ON CONFLICT (tenant, account) DO UPDATE SET account = EXCLUDED.account";
        }

        @Override
        String countSend() {
            return "INSERT INTO te_send (tenant, account, idempotency_key, sent_at) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (tenant, account, idempotency_key) DO UPDATE SET sent_at = EXCLUDED.sent_at";
        }

        @Override
        String countSendHour() {
            return "INSERT INTO te_send_hour (tenant, account, epoch_hour, sends) VALUES (?, ?, ?, ?)"
                    + " ON CONFLICT (tenant, account, epoch_hour) DO UPDATE SET sends = te_send_hour.sends + EXCLUDED.sends";
        }

        @Override
        String keepContactPause() {
            return "INSERT INTO te_contact_pause (tenant, contact_id, paused_until) VALUES (?, ?, ?)"
                    + " ON CONFLICT (tenant, contact_id) DO UPDATE SET paused_until = EXCLUDED.paused_until";
        }
    };

    /**
     * How many ids a store draws from the sequence at first; each later draw doubles it, up to {@link
     * #LARGEST_ID_BLOCK}.
     */
    static final int FIRST_ID_BLOCK = 50;

    /** The most ids a store draws at once. */
    static final int LARGEST_ID_BLOCK = 1_000;

    /** A statement answering as many fresh values of {@code te_task_id_seq} as its one parameter, one per row. */
    abstract String nextIdsSql();

    /** Wraps an UPDATE so that it answers the changed rows, as stored, in id order. */
    abstract String returningChanged(String dataChange);

    /** Wraps a DELETE so that it answers the removed row. */
    abstract String returningDeleted(String delete);

    /** Added to the sub-query that picks the rows a scheduler claims: how rows locked by another claim are passed over. */
    abstract String skipLocked();

    /**
     * The statement that lets the current transaction commit without waiting for its commit record to reach the disk
     * (it is visible at once, and durable a moment later), if the database has one.
     */
    abstract Optional<String> asynchronousCommit();

    /**
     * An UPDATE of the rows a locking pick chooses, the pick evaluated exactly once: {@code update} holds {@code %s}
     * where a query answering the picked keys (tenant, id) goes.
     */
    abstract String updatePicked(String pick, String update);

    /**
     * The statement that makes the current transaction read committed whatever the connection's default, run before
     * any other, if the database has one.
     */
    abstract Optional<String> readCommittedTransaction();

    /**
     * Stores a sending account's row unless it is there, and locks it until the transaction ends: parameters tenant,
     * account.
     */
    abstract String lockSendingAccount();

    /** Counts a send under its key, moving an earlier count of the key: parameters tenant, account, key, time. */
    abstract String countSend();

    /** Adds to an account's count of sends in an hour (since the epoch): parameters tenant, account, hour, sends. */
    abstract String countSendHour();

    /** Keeps until when a contact is paused, replacing an earlier pause: parameters tenant, contact, until. */
    abstract String keepContactPause();

    static Dialect of(DatabaseMetaData metaData) throws SQLException {
        String product = metaData.getDatabaseProductName();
        String name = product == null ? "" : product.toLowerCase(Locale.ROOT);
        if (name.equals("h2")) {
            return H2;
        }
        if (name.equals("postgresql")) {
            return POSTGRESQL;
        }
        throw new UnsupportedDatabaseException(product);
    }

    /** The database is neither H2 nor PostgreSQL: a configuration error of the host, not an outage. */
    static final class UnsupportedDatabaseException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        UnsupportedDatabaseException(String product) {
            super("the task store supports H2 and PostgreSQL, not " + product);
        }
    }
}
