package dev.taskengine.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.api.TaskEngine;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.EventPublisher;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.TransactionDefinition;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * Inside a Spring transaction the task, its outbox event and the host's own row commit or roll back together, and
 * nothing is published before the commit. Run on H2 and on PostgreSQL by the subclasses.
 */
abstract class JoinedTransactionsTest {
    abstract String[] database();

    private ApplicationContextRunner runner(Fixtures.RecordingPublisher publisher) {
        return new ApplicationContextRunner()
                .withPropertyValues(database())
                // No scheduler: only the relay after the commit can publish here.
                .withPropertyValues("taskengine.scheduler.enabled=false")
                .withBean(EventPublisher.class, () -> publisher)
                .withConfiguration(AutoConfigurations.of(
                        DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class))
                .withConfiguration(TaskEngineAutoConfigurationTest.ENGINE);
    }

    private static void dealTable(JdbcTemplate jdbc) {
        jdbc.execute("CREATE TABLE IF NOT EXISTS host_deal (id VARCHAR(40) PRIMARY KEY, task_id BIGINT)");
    }

    @Test
    void a_commit_keeps_the_task_and_the_host_row_and_then_publishes_the_event() {
        Fixtures.RecordingPublisher publisher = new Fixtures.RecordingPublisher();
        runner(publisher).run(context -> {
            TaskEngine engine = context.getBean(TaskEngine.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
            dealTable(jdbc);
            TenantId tenant = Fixtures.tenant();
            String deal = UUID.randomUUID().toString();
            TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            Task task = tx.execute(status -> {
                Task created =
                        engine.create(Fixtures.REP, Fixtures.todo(tenant)).get();
                jdbc.update(
                        "INSERT INTO host_deal (id, task_id) VALUES (?, ?)",
                        deal,
                        created.id().value());
                // Seen inside the transaction, by the engine and by the host:
                assertThat(engine.get(tenant, created.id(), false).isRight()).isTrue();
                // Not published yet, and not visible to others (the relay on its own connection sees nothing):
                assertThat(publisher.published).isEmpty();
                assertThat(((SpringTransactionalTaskEngine) engine)
                                .ownEngine()
                                .get(tenant, created.id(), false)
                                .isLeft())
                        .isTrue();
                return created;
            });
            assertThat(engine.get(tenant, task.id(), false).isRight()).isTrue();
            assertThat(jdbc.queryForObject("SELECT task_id FROM host_deal WHERE id = ?", Long.class, deal))
                    .isEqualTo(task.id().value());
            // Published after the commit, by the engine's relaying thread:
            awaitPublished(publisher, task);
            assertThat(eventsOf(publisher, task)).hasSize(1);
        });
    }

    @Test
    void a_rollback_keeps_neither_the_task_nor_the_host_row_nor_an_event() {
        Fixtures.RecordingPublisher publisher = new Fixtures.RecordingPublisher();
        runner(publisher).run(context -> {
            TaskEngine engine = context.getBean(TaskEngine.class);
            JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
            dealTable(jdbc);
            TenantId tenant = Fixtures.tenant();
            String deal = UUID.randomUUID().toString();
            TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            Task task = tx.execute(status -> {
                Task created =
                        engine.create(Fixtures.REP, Fixtures.todo(tenant)).get();
                jdbc.update(
                        "INSERT INTO host_deal (id, task_id) VALUES (?, ?)",
                        deal,
                        created.id().value());
                status.setRollbackOnly();
                return created;
            });
            assertThat(engine.get(tenant, task.id(), false).getLeft()).isInstanceOf(TaskError.NotFound.class);
            assertThat(jdbc.queryForObject("SELECT COUNT(*) FROM host_deal WHERE id = ?", Integer.class, deal))
                    .isZero();
            engine.relayPendingEvents();
            assertThat(eventsOf(publisher, task)).isEmpty();
        });
    }

    @Test
    void an_exception_rolls_back_and_a_requires_new_transaction_commits_on_its_own() {
        Fixtures.RecordingPublisher publisher = new Fixtures.RecordingPublisher();
        runner(publisher).run(context -> {
            TaskEngine engine = context.getBean(TaskEngine.class);
            TenantId tenant = Fixtures.tenant();
            PlatformTransactionManager manager = context.getBean(PlatformTransactionManager.class);
            TransactionTemplate outer = new TransactionTemplate(manager);
            TransactionTemplate inner = new TransactionTemplate(manager);
            inner.setPropagationBehavior(TransactionDefinition.PROPAGATION_REQUIRES_NEW);
            Task[] tasks = new Task[2];
            try {
                outer.executeWithoutResult(status -> {
                    tasks[0] =
                            engine.create(Fixtures.REP, Fixtures.todo(tenant)).get();
                    tasks[1] = inner.execute(s ->
                            engine.create(Fixtures.REP, Fixtures.todo(tenant)).get());
                    // The outer transaction's engine is bound again after the inner one:
                    assertThat(engine.get(tenant, tasks[0].id(), false).isRight())
                            .isTrue();
                    throw new IllegalStateException("the host fails");
                });
            } catch (IllegalStateException expected) {
                // rolled back
            }
            assertThat(engine.get(tenant, tasks[0].id(), false).isLeft()).isTrue();
            assertThat(engine.get(tenant, tasks[1].id(), false).isRight()).isTrue();
            awaitPublished(publisher, tasks[1]);
            assertThat(eventsOf(publisher, tasks[1])).hasSize(1);
            engine.relayPendingEvents();
            assertThat(eventsOf(publisher, tasks[0])).isEmpty();
        });
    }

    @Test
    void execute_inside_a_transaction_is_refused_and_writes_nothing() {
        Fixtures.RecordingPublisher publisher = new Fixtures.RecordingPublisher();
        runner(publisher)
                .withBean(dev.taskengine.spi.ContactDirectory.class, Fixtures::contacts)
                .run(context -> {
                    TaskEngine engine = context.getBean(TaskEngine.class);
                    TenantId tenant = Fixtures.tenant();
                    Task email = engine.create(Fixtures.REP, Fixtures.scheduledEmail(tenant))
                            .get();
                    TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
                    var answer = tx.execute(
                            status -> engine.execute(dev.taskengine.api.TaskRef.of(Fixtures.REP, tenant, email.id())));
                    assertThat(answer.getLeft()).isInstanceOf(TaskError.ExecutionInsideTransaction.class);
                });
    }

    /** The events published about {@code task} (a relay publishes every pending event, other tests' too). */
    static java.util.List<dev.taskengine.spi.TaskEvent> eventsOf(Fixtures.RecordingPublisher publisher, Task task) {
        return publisher.published.stream()
                .filter(event -> event.taskId().equals(task.id()))
                .toList();
    }

    /** Waits (a minute at most) until an event of {@code task} was published. */
    static void awaitPublished(Fixtures.RecordingPublisher publisher, Task task) throws InterruptedException {
        long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
        while (eventsOf(publisher, task).isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
    }
}
