package dev.taskengine.adapter.jdbi;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** A host closes its H2 database itself, last: H2's own closing at JVM exit is turned off on every H2 URL. */
class EmbeddedH2Test {
    @Test
    void everyH2UrlWithoutTheSettingGetsDbCloseOnExitFalse() {
        assertThat(EmbeddedH2.ownedShutdownUrl("jdbc:h2:file:./data/taskengine-server;WRITE_DELAY=0"))
                .isEqualTo("jdbc:h2:file:./data/taskengine-server;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(EmbeddedH2.ownedShutdownUrl("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1"))
                .isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(EmbeddedH2.ownedShutdownUrl("JDBC:H2:./db")).isEqualTo("JDBC:H2:./db;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void aUrlThatSetsItOrIsNotH2IsLeftAsItIs() {
        assertThat(EmbeddedH2.ownedShutdownUrl("jdbc:h2:./db;db_close_on_exit=true"))
                .isEqualTo("jdbc:h2:./db;db_close_on_exit=true");
        String pg = "jdbc:postgresql://127.0.0.1:5432/taskengine?user=taskengine";
        assertThat(EmbeddedH2.ownedShutdownUrl(pg)).isEqualTo(pg);
    }

    @Test
    void shutDownClosesTheDatabase() throws Exception {
        org.h2.jdbcx.JdbcDataSource dataSource = new org.h2.jdbcx.JdbcDataSource();
        dataSource.setURL(EmbeddedH2.ownedShutdownUrl("jdbc:h2:mem:embedded-h2-test;DB_CLOSE_DELAY=-1"));
        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.Statement s = c.createStatement()) {
            s.execute("CREATE TABLE kept (id INT)");
        }

        assertThat(EmbeddedH2.shutDown(dataSource)).isEmpty();

        try (java.sql.Connection c = dataSource.getConnection();
                java.sql.Statement s = c.createStatement()) {
            java.sql.ResultSet tables =
                    s.executeQuery("SELECT COUNT(*) FROM INFORMATION_SCHEMA.TABLES WHERE TABLE_NAME = 'KEPT'");
            tables.next();
            assertThat(tables.getInt(1))
                    .as("a database opened anew after the shutdown")
                    .isZero();
        }
    }
}
