package dev.taskengine.spring.boot;

import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.jdbi.v3.core.ConnectionFactory;
import org.springframework.jdbc.datasource.DataSourceUtils;

/**
 * Connections of the Spring transaction bound to the thread (what jdbi3-spring's SpringConnectionFactory does):
 * {@link DataSourceUtils} hands out the transaction's connection and releasing it leaves it open.
 */
final class SpringConnections implements ConnectionFactory {
    private final DataSource dataSource;

    SpringConnections(DataSource dataSource) {
        this.dataSource = dataSource;
    }

    @Override
    public Connection openConnection() throws SQLException {
        return DataSourceUtils.getConnection(dataSource);
    }

    @Override
    public void closeConnection(Connection connection) {
        DataSourceUtils.releaseConnection(connection, dataSource);
    }
}
