package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The server closes its database itself, last: H2's own closing at JVM exit is turned off on every H2 URL. */
class OwnedShutdownTest {
    @Test
    void everyH2UrlWithoutTheSettingGetsDbCloseOnExitFalse() {
        assertThat(TaskServer.ownedShutdown(ServerOptions.DEFAULT_DATABASE))
                .isEqualTo("jdbc:h2:file:./data/taskengine-server;WRITE_DELAY=0;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(TaskServer.ownedShutdown("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1"))
                .isEqualTo("jdbc:h2:mem:x;DB_CLOSE_DELAY=-1;DB_CLOSE_ON_EXIT=FALSE");
        assertThat(TaskServer.ownedShutdown("JDBC:H2:./db")).isEqualTo("JDBC:H2:./db;DB_CLOSE_ON_EXIT=FALSE");
    }

    @Test
    void aUrlThatSetsItOrIsNotH2IsLeftAsItIs() {
        assertThat(TaskServer.ownedShutdown("jdbc:h2:./db;db_close_on_exit=true")).isEqualTo("jdbc:h2:./db;db_close_on_exit=true");
        String pg = "jdbc:postgresql://127.0.0.1:5432/taskengine?user=taskengine";
        assertThat(TaskServer.ownedShutdown(pg)).isEqualTo(pg);
    }
}
