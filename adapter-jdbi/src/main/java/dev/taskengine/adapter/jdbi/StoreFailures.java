package dev.taskengine.adapter.jdbi;

import dev.taskengine.api.StoreUnavailableException;
import java.sql.SQLException;

/**
 * Turns what JDBC and Jdbi throw into what a {@link dev.taskengine.store.TaskStore} caller may see. No
 * {@link SQLException} leaves the store.
 *
 * <ul>
 *   <li>A duplicate key on insert: {@link IllegalStateException}, as the memory store answers a task stored twice.</li>
 *   <li>A data or integrity exception (SQLState classes 22 and 23): {@link IllegalArgumentException}. The domain
 *       refuses every value the schema cannot hold before any SQL, so this is a task built around the domain.</li>
 *   <li>Anything else (no connection, a missing table, a timeout, a dropped session): {@link StoreUnavailableException},
 *       an infrastructure failure, never a business answer such as "not found".</li>
 * </ul>
 */
final class StoreFailures {
    private static final String UNIQUE_VIOLATION = "23505";
    /** A row refers to one that is not there: PostgreSQL's foreign_key_violation; H2 answers 23506. */
    private static final String FOREIGN_KEY_VIOLATION = "23503";

    private static final String H2_PARENT_MISSING = "23506";
    private static final String SERIALIZATION_FAILURE = "40001";
    private static final String DEADLOCK_DETECTED = "40P01";

    private StoreFailures() {}

    static RuntimeException translate(String operation, Exception failure) {
        String state = sqlState(failure);
        if (state != null && state.equals(UNIQUE_VIOLATION)) {
            return new IllegalStateException(operation + ": the task is already stored", failure);
        }
        if (state != null && (state.startsWith("22") || state.startsWith("23"))) {
            return new IllegalArgumentException(
                    operation + ": the database refused a value (" + sqlMessage(failure) + ")", failure);
        }
        return new StoreUnavailableException(
                operation + " failed: the task store is unavailable (" + sqlMessage(failure) + ")", failure);
    }

    /**
     * Whether the database gave up on the statement only because of another transaction (a detected deadlock or a
     * serialization failure): nothing was written, and the same statement may simply run again.
     */
    static boolean isTransient(Exception failure) {
        String state = sqlState(failure);
        return SERIALIZATION_FAILURE.equals(state) || DEADLOCK_DETECTED.equals(state);
    }

    /** Whether the database refused a row because its key is stored already (a unique violation). */
    static boolean isUniqueViolation(Exception failure) {
        return UNIQUE_VIOLATION.equals(sqlState(failure));
    }

    /** Whether the database refused a row because a row it refers to is missing (a foreign key violation). */
    static boolean isForeignKeyViolation(Exception failure) {
        String state = sqlState(failure);
        return FOREIGN_KEY_VIOLATION.equals(state) || H2_PARENT_MISSING.equals(state);
    }

    private static String sqlState(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql && sql.getSQLState() != null) {
                return sql.getSQLState();
            }
        }
        return null;
    }

    private static String sqlMessage(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof SQLException sql) {
                return (sql.getSQLState() == null ? "" : "SQLState " + sql.getSQLState() + ": ") + sql.getMessage();
            }
        }
        return failure.toString();
    }
}
