package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskSort;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** The adapter's own mapping of each sort to the column it orders by, which each dialect's schema has a keyset index for. */
class QuerySqlSortTest {

    @Test
    void everySortOrdersByItsTimeColumnWhichHasAKeysetIndex() throws IOException {
        String h2 = resource("dev/taskengine/adapter/jdbi/migration/h2/V1__task_schema.sql");
        String postgresql = resource("dev/taskengine/adapter/jdbi/migration/postgresql/V1__task_schema.sql");
        for (TaskSort sort : TaskSort.values()) {
            String column = QuerySql.sortColumn(sort);
            assertThat(sort.name().toLowerCase(java.util.Locale.ROOT))
                    .as(sort.name())
                    .startsWith(column + "_");
            String index = "te_task_" + column + "_order_idx ON te_task (tenant, " + column + ", id)";
            assertThat(h2).as("H2 index for %s", sort).contains(index);
            assertThat(postgresql).as("PostgreSQL index for %s", sort).contains(index);
        }
    }

    private static String resource(String path) throws IOException {
        try (InputStream in = QuerySqlSortTest.class.getClassLoader().getResourceAsStream(path)) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
