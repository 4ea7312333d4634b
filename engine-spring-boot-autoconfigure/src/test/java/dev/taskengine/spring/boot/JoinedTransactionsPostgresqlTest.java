package dev.taskengine.spring.boot;

/** On the PostgreSQL of TASKENGINE_PG_URL (skipped without it, failing with CI=true). */
class JoinedTransactionsPostgresqlTest extends JoinedTransactionsTest {
    @Override
    String[] database() {
        return Fixtures.postgresql();
    }
}
