package dev.taskengine.spring.boot;

class JoinedTransactionsH2Test extends JoinedTransactionsTest {
    @Override
    String[] database() {
        return Fixtures.h2();
    }
}
