package dev.taskengine.example.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same on the PostgreSQL of TASKENGINE_PG_URL/_USER/_PASSWORD, in a schema of its own (dropped at the end): the
 * application's scheduler and health read every tenant's tasks, so another suite's leftovers in the shared schema would
 * be claimed and counted here. Skipped without a server (or when it cannot be reached), failing instead with CI=true.
 */
class ExampleApplicationPostgresqlTest extends ExampleApplicationTest {
    static final String URL = System.getenv("TASKENGINE_PG_URL");
    static final String USER = System.getenv().getOrDefault("TASKENGINE_PG_USER", "taskengine");
    static final String PASSWORD = System.getenv().getOrDefault("TASKENGINE_PG_PASSWORD", "taskengine");
    static final String SCHEMA = "te_example_"
            + java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);

    @BeforeAll
    static void postgresql() {
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        if (URL == null) {
            if (ci) {
                throw new IllegalStateException("CI=true but TASKENGINE_PG_URL is not set");
            }
            Assumptions.abort("TASKENGINE_PG_URL is not set");
        }
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            connection.isValid(5);
            connection.createStatement().execute("CREATE SCHEMA " + SCHEMA);
        } catch (SQLException e) {
            if (ci) {
                throw new IllegalStateException("CI=true but PostgreSQL at " + URL + " cannot be reached", e);
            }
            Assumptions.abort("PostgreSQL at " + URL + " cannot be reached: " + e.getMessage());
        }
    }

    @org.junit.jupiter.api.AfterAll
    static void dropSchema() throws SQLException {
        if (URL == null) {
            return;
        }
        try (Connection connection = DriverManager.getConnection(URL, USER, PASSWORD)) {
            connection.createStatement().execute("DROP SCHEMA IF EXISTS " + SCHEMA + " CASCADE");
        }
    }

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL + (URL.contains("?") ? "&" : "?") + "currentSchema=" + SCHEMA);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
    }
}
