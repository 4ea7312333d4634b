package dev.taskengine.adapter.jdbi;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import dev.taskengine.contract.SendingPolicyContract;
import dev.taskengine.store.TaskStore;
import org.junit.jupiter.api.AfterAll;

/**
 * The sending policy's contract on a pool whose connections default to repeatable read, as some hosts set theirs: the
 * store's counting stays exact (each write that counts a send runs read committed, so that it sees the sends committed
 * while it waited for the account's lock).
 */
class PostgresRepeatableReadSendingPolicyContractTest extends SendingPolicyContract {
    private static TestDatabase.Isolated schema;
    private static HikariDataSource pool;
    private static JdbiTaskStore store;

    @Override
    protected TaskStore store() {
        synchronized (PostgresRepeatableReadSendingPolicyContractTest.class) {
            if (store == null) {
                schema = PostgresServer.isolatedSchema();
                TaskSchema.migrate(schema.dataSource());
                HikariConfig config = new HikariConfig();
                config.setDataSource(schema.dataSource());
                config.setMaximumPoolSize(16);
                config.setTransactionIsolation("TRANSACTION_REPEATABLE_READ");
                pool = new HikariDataSource(config);
                store = new JdbiTaskStore(pool);
            }
            return store;
        }
    }

    @AfterAll
    static void dropTheSchema() {
        if (pool != null) {
            pool.close();
            schema.close();
        }
    }
}
