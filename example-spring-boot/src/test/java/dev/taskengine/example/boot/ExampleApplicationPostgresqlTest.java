package dev.taskengine.example.boot;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The same on the PostgreSQL of TASKENGINE_PG_URL/_USER/_PASSWORD: skipped without it (or when it cannot be reached),
 * failing instead with CI=true.
 */
class ExampleApplicationPostgresqlTest extends ExampleApplicationTest {
    static final String URL = System.getenv("TASKENGINE_PG_URL");
    static final String USER = System.getenv().getOrDefault("TASKENGINE_PG_USER", "taskengine");
    static final String PASSWORD = System.getenv().getOrDefault("TASKENGINE_PG_PASSWORD", "taskengine");

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
        } catch (SQLException e) {
            if (ci) {
                throw new IllegalStateException("CI=true but PostgreSQL at " + URL + " cannot be reached", e);
            }
            Assumptions.abort("PostgreSQL at " + URL + " cannot be reached: " + e.getMessage());
        }
    }

    @DynamicPropertySource
    static void datasource(DynamicPropertyRegistry registry) {
        registry.add("spring.datasource.url", () -> URL);
        registry.add("spring.datasource.username", () -> USER);
        registry.add("spring.datasource.password", () -> PASSWORD);
    }
}
