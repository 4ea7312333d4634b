package dev.taskengine.spring.boot;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.memory.InMemoryTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.EngineObserver;
import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SequenceMembership;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.WebhookStore;
import io.micrometer.core.instrument.binder.MeterBinder;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicInteger;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

/** Every condition and back-off of the auto-configuration, on H2. */
class TaskEngineAutoConfigurationTest {
    static final AutoConfigurations ENGINE = AutoConfigurations.of(
            TaskEngineObservationAutoConfiguration.class,
            TaskEngineAutoConfiguration.class,
            TaskEngineHealthAutoConfiguration.class,
            TaskEngineMetricsAutoConfiguration.class);

    private final ApplicationContextRunner runner = new ApplicationContextRunner()
            .withPropertyValues(Fixtures.h2())
            .withPropertyValues("taskengine.scheduler.poll-interval=50ms")
            .withConfiguration(AutoConfigurations.of(
                    DataSourceAutoConfiguration.class, DataSourceTransactionManagerAutoConfiguration.class))
            .withConfiguration(ENGINE);

    @Test
    void without_a_data_source_there_is_no_engine() {
        new ApplicationContextRunner().withConfiguration(ENGINE).run(context -> {
            assertThat(context).hasNotFailed();
            assertThat(context).doesNotHaveBean(TaskEngine.class);
            assertThat(context).doesNotHaveBean(TaskStore.class);
            assertThat(context).doesNotHaveBean(TaskSchedulerLifecycle.class);
            assertThat(context).doesNotHaveBean(TaskEngineHealthIndicator.class);
        });
    }

    @Test
    void by_default_the_engine_joins_transactions_on_a_migrated_store_and_runs_a_scheduler() {
        runner.run(context -> {
            assertThat(context).hasSingleBean(TaskEngine.class);
            assertThat(context.getBean(TaskEngine.class)).isInstanceOf(SpringTransactionalTaskEngine.class);
            assertThat(context.getBean(TaskStore.class)).isInstanceOf(JdbiTaskStore.class);
            assertThat(context.getBean(TaskSchemaInitializer.class).migration().schemaVersion())
                    .isEqualTo("9");
            TaskSchedulerLifecycle scheduler = context.getBean(TaskSchedulerLifecycle.class);
            assertThat(scheduler.isRunning()).isTrue();
            assertThat(scheduler.options().pollInterval()).isEqualTo(Duration.ofMillis(50));
            assertThat(context).doesNotHaveBean(WebhookStore.class);
            assertThat(context.getBean(TaskEngine.class).webhooks()).isEmpty();
            assertThat(context).hasSingleBean(TaskEngineHealthIndicator.class);
            assertThat(context.getBean(TaskEngineHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.UP);
        });
    }

    @Test
    void the_scheduler_property_defaults_are_the_engine_defaults() {
        dev.taskengine.api.SchedulerOptions defaults = dev.taskengine.api.SchedulerOptions.defaults();
        dev.taskengine.api.SchedulerOptions bound =
                new TaskEngineProperties().getScheduler().toOptions();
        assertThat(bound.withOwner("x")).isEqualTo(defaults.withOwner("x"));
    }

    @Test
    void taskengine_enabled_false_turns_it_all_off() {
        runner.withPropertyValues("taskengine.enabled=false").run(context -> {
            assertThat(context).doesNotHaveBean(TaskEngine.class);
            assertThat(context).doesNotHaveBean(TaskSchemaInitializer.class);
            assertThat(context).doesNotHaveBean(TaskEngineHealthIndicator.class);
        });
    }

    @Test
    void the_scheduler_can_be_switched_off() {
        runner.withPropertyValues("taskengine.scheduler.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(TaskEngine.class);
            assertThat(context).doesNotHaveBean(TaskSchedulerLifecycle.class);
            Health health = context.getBean(TaskEngineHealthIndicator.class).health();
            assertThat(health.getStatus()).isEqualTo(Status.UP);
            assertThat(health.getDetails()).containsEntry("scheduler", "none");
        });
    }

    @Test
    void the_scheduler_stops_with_the_context_and_health_then_says_out_of_service() {
        runner.run(context -> {
            TaskSchedulerLifecycle scheduler = context.getBean(TaskSchedulerLifecycle.class);
            scheduler.stop();
            assertThat(context.getBean(TaskEngineHealthIndicator.class).health().getStatus())
                    .isEqualTo(Status.OUT_OF_SERVICE);
            scheduler.start();
            assertThat(scheduler.isRunning()).isTrue();
        });
    }

    @Test
    void migrations_can_be_switched_off_for_hosts_that_run_the_sql_themselves() {
        runner.withPropertyValues("taskengine.migrations.enabled=false", "taskengine.scheduler.enabled=false")
                .run(context -> {
                    assertThat(context).doesNotHaveBean(TaskSchemaInitializer.class);
                    assertThat(context).hasSingleBean(TaskEngine.class);
                    Integer tables = new JdbcTemplate(context.getBean(DataSource.class))
                            .queryForObject(
                                    "SELECT COUNT(*) FROM information_schema.tables WHERE LOWER(table_name) = 'te_task'",
                                    Integer.class);
                    assertThat(tables).isZero();
                    // Nothing to read: the health says so.
                    assertThat(context.getBean(TaskEngineHealthIndicator.class)
                                    .health()
                                    .getStatus())
                            .isEqualTo(Status.DOWN);
                });
    }

    @Test
    void transactions_own_commits_each_write_whatever_the_caller_has_open() {
        runner.withPropertyValues("taskengine.transactions=own").run(context -> {
            TaskEngine engine = context.getBean(TaskEngine.class);
            assertThat(engine).isNotInstanceOf(SpringTransactionalTaskEngine.class);
            TenantId tenant = Fixtures.tenant();
            TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            Task task = tx.execute(status -> {
                status.setRollbackOnly();
                return engine.create(Fixtures.REP, Fixtures.todo(tenant)).get();
            });
            assertThat(engine.get(tenant, task.id(), false).isRight()).isTrue();
        });
    }

    @Test
    void the_host_beans_are_picked_up_and_a_scheduled_email_is_sent_by_the_scheduler() {
        Fixtures.RecordingSender sender = new Fixtures.RecordingSender();
        Fixtures.RecordingPublisher publisher = new Fixtures.RecordingPublisher();
        AtomicInteger finished = new AtomicInteger();
        runner.withBean(ContactDirectory.class, Fixtures::contacts)
                .withBean(SenderAccounts.class, Fixtures::accounts)
                .withBean(dev.taskengine.spi.MessageSender.class, () -> sender)
                .withBean(EventPublisher.class, () -> publisher)
                .withBean(SequenceMembership.class, () -> (tenant, sequence, contact) -> finished.incrementAndGet())
                .run(context -> {
                    TaskEngine engine = context.getBean(TaskEngine.class);
                    TenantId tenant = Fixtures.tenant();
                    Task email = engine.create(Fixtures.REP, Fixtures.scheduledEmail(tenant))
                            .get();
                    // The contact directory renders it:
                    assertThat(engine.get(tenant, email.id(), true)
                                    .get()
                                    .content()
                                    .orElseThrow()
                                    .toString())
                            .contains("Hello Ada");
                    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
                    while (sender.sent.isEmpty() && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(sender.sent).singleElement().satisfies(message -> {
                        assertThat(message.to()).isEqualTo("ada@example.com");
                        assertThat(message.emailAccount()).contains(dev.taskengine.domain.EmailAccountId.of(12));
                    });
                    while (publisher.published.size() < 2 && System.nanoTime() < deadline) {
                        Thread.sleep(20);
                    }
                    assertThat(publisher.published)
                            .allMatch(event -> event.taskId().equals(email.id()));
                    assertThat(publisher.published).hasSizeGreaterThanOrEqualTo(2);
                });
    }

    @Test
    void a_host_store_engine_scheduler_and_schema_win() {
        TaskStore store = new InMemoryTaskStore();
        runner.withUserConfiguration(HostBeans.class)
                .withBean(TaskStore.class, () -> store)
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskStore.class);
                    assertThat(context.getBean(TaskStore.class)).isSameAs(store);
                    // Not a JdbiTaskStore: Spring transactions are not joined.
                    assertThat(context.getBean(TaskEngine.class)).isNotInstanceOf(SpringTransactionalTaskEngine.class);
                    assertThat(context.getBeanNamesForType(TaskSchemaInitializer.class))
                            .containsExactly("hostSchema");
                    assertThat(context.getBean(EngineObserver.class)).isSameAs(EngineObserver.none());
                });
        TaskEngine host = TaskEngine.builder().store(new InMemoryTaskStore()).build();
        runner.withBean(TaskEngine.class, () -> host)
                .withPropertyValues("taskengine.scheduler.enabled=false")
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskEngine.class);
                    assertThat(context.getBean(TaskEngine.class)).isSameAs(host);
                    assertThat(context.getBean(TaskEngineHealthIndicator.class)
                                    .health()
                                    .getStatus())
                            .isEqualTo(Status.UP);
                });
        TaskSchedulerLifecycle lifecycle =
                new TaskSchedulerLifecycle(host, dev.taskengine.api.SchedulerOptions.defaults());
        runner.withBean(TaskSchedulerLifecycle.class, () -> lifecycle).run(context -> {
            assertThat(context).hasSingleBean(TaskSchedulerLifecycle.class);
            assertThat(context.getBean(TaskSchedulerLifecycle.class)).isSameAs(lifecycle);
        });
    }

    @Configuration(proxyBeanMethods = false)
    static class HostBeans {
        @Bean
        TaskSchemaInitializer hostSchema(DataSource dataSource) {
            return new TaskSchemaInitializer(dataSource);
        }

        @Bean
        EngineObserver hostObserver() {
            return EngineObserver.none();
        }
    }

    @Test
    void webhooks_are_on_when_asked_for() {
        runner.withPropertyValues(
                        "taskengine.webhooks.enabled=true",
                        "taskengine.webhooks.allow-http=true",
                        "taskengine.webhooks.allow-private=true")
                .run(context -> {
                    assertThat(context).hasSingleBean(WebhookStore.class);
                    assertThat(context.getBean(TaskEngine.class).webhooks()).isPresent();
                });
    }

    @Test
    void the_health_indicator_can_be_switched_off() {
        runner.withPropertyValues("management.health.taskengine.enabled=false").run(context -> {
            assertThat(context).hasSingleBean(TaskEngine.class);
            assertThat(context).doesNotHaveBean(TaskEngineHealthIndicator.class);
        });
        runner.withClassLoader(
                        new FilteredClassLoader(org.springframework.boot.health.contributor.HealthIndicator.class))
                .run(context -> {
                    assertThat(context).hasSingleBean(TaskEngine.class);
                    assertThat(context).doesNotHaveBean(TaskEngineHealthIndicator.class);
                });
    }

    @Test
    void health_is_degraded_past_a_threshold_with_the_backlog_in_its_details() {
        runner.withBean(ContactDirectory.class, Fixtures::contacts)
                .withPropertyValues("taskengine.health.backlog-threshold=0", "taskengine.scheduler.enabled=false")
                .run(context -> {
                    TaskEngine engine = context.getBean(TaskEngine.class);
                    TenantId tenant = Fixtures.tenant();
                    engine.create(Fixtures.REP, Fixtures.scheduledEmail(tenant)).get();
                    Health health =
                            context.getBean(TaskEngineHealthIndicator.class).health();
                    assertThat(health.getStatus()).isEqualTo(TaskEngineHealthIndicator.DEGRADED);
                    assertThat(health.getDetails())
                            .containsEntry("dueTasks", 1L)
                            .containsEntry("backlogThreshold", 0L);
                });
        runner.withBean(ContactDirectory.class, Fixtures::contacts)
                .withPropertyValues(
                        "taskengine.health.oldest-due-lag-threshold=0s", "taskengine.scheduler.enabled=false")
                .run(context -> {
                    TaskEngine engine = context.getBean(TaskEngine.class);
                    engine.create(Fixtures.REP, Fixtures.scheduledEmail(Fixtures.tenant()))
                            .get();
                    Thread.sleep(20);
                    assertThat(context.getBean(TaskEngineHealthIndicator.class)
                                    .health()
                                    .getStatus())
                            .isEqualTo(TaskEngineHealthIndicator.DEGRADED);
                });
    }

    @Test
    void without_micrometer_there_is_no_observer_and_no_meter_binder() {
        runner.withClassLoader(new FilteredClassLoader("io.micrometer")).run(context -> {
            assertThat(context).hasSingleBean(TaskEngine.class);
            assertThat(context).doesNotHaveBean(EngineObserver.class);
            assertThat(context).doesNotHaveBean(MeterBinder.class);
        });
    }

    @Test
    void a_ref_of_the_facade_reads_what_its_transaction_wrote() {
        runner.run(context -> {
            TaskEngine engine = context.getBean(TaskEngine.class);
            TenantId tenant = Fixtures.tenant();
            TransactionTemplate tx = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
            Task done = tx.execute(status -> {
                Task task = engine.create(Fixtures.REP, Fixtures.todo(tenant)).get();
                return engine.start(TaskRef.of(Fixtures.REP, tenant, task.id())).get();
            });
            assertThat(engine.get(tenant, done.id(), false).get().task().version())
                    .isEqualTo(2L);
        });
    }
}
