package dev.taskengine.adapter.jdbi;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Locale;
import javax.sql.DataSource;

/**
 * For a host that runs the engine on an embedded H2 database and wants to own the order of its shutdown. H2 closes a
 * database from a JVM shutdown hook of its own by default, which at SIGTERM can close it under requests and executions
 * still in flight; with {@link #ownedShutdownUrl} it stays open until the host calls {@link #shutDown}, last.
 */
public final class EmbeddedH2 {
    private EmbeddedH2() {}

    /** Whether {@code url} is an H2 URL. */
    public static boolean isH2(String url) {
        return url.regionMatches(true, 0, "jdbc:h2:", 0, "jdbc:h2:".length());
    }

    /**
     * {@code url} with {@code DB_CLOSE_ON_EXIT=FALSE} when it is an H2 URL that does not set it already; every other URL
     * as it is.
     */
    public static String ownedShutdownUrl(String url) {
        if (!isH2(url) || url.toUpperCase(Locale.ROOT).contains(";DB_CLOSE_ON_EXIT=")) {
            return url;
        }
        return url + ";DB_CLOSE_ON_EXIT=FALSE";
    }

    /**
     * Closes the H2 database behind {@code dataSource} ({@code SHUTDOWN}): every session ends, and the file is left
     * consistent. Answers what went wrong, if anything, in a sentence for a log; never throws.
     */
    public static java.util.Optional<String> shutDown(DataSource dataSource) {
        try (Connection connection = dataSource.getConnection();
                Statement statement = connection.createStatement()) {
            statement.execute("SHUTDOWN");
            return java.util.Optional.empty();
        } catch (SQLException e) {
            // The session ends with the database, so closing the connection afterwards may fail too; that is expected.
            return e.getMessage() != null && e.getMessage().contains("Database is already closed")
                    ? java.util.Optional.empty()
                    : java.util.Optional.of("the H2 database did not shut down cleanly: " + e.getMessage());
        }
    }
}
