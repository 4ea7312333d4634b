package dev.taskengine.spring.boot;

import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.adapter.jdbi.JdbiWebhookStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskEngineBuilder;
import dev.taskengine.api.WebhookOptions;
import dev.taskengine.domain.TemplateEngine;
import dev.taskengine.spi.ContactDirectory;
import dev.taskengine.spi.EngineObserver;
import dev.taskengine.spi.EventPublisher;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.SenderAccounts;
import dev.taskengine.spi.SequenceMembership;
import dev.taskengine.store.TaskStore;
import dev.taskengine.store.WebhookStore;
import java.security.SecureRandom;
import java.util.function.Consumer;
import java.util.function.Function;
import javax.sql.DataSource;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.LazyInitializationExcludeFilter;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DependsOnDatabaseInitialization;
import org.springframework.context.annotation.Bean;
import org.springframework.jdbc.datasource.TransactionAwareDataSourceProxy;

/**
 * The task engine on the application's DataSource (H2 or PostgreSQL, told by the DataSource): its schema, its store,
 * the engine (joining Spring transactions, see {@link SpringTransactionalTaskEngine}) and its scheduler. Every bean
 * backs off when the application defines its own.
 */
@AutoConfiguration(after = DataSourceAutoConfiguration.class)
@ConditionalOnClass({TaskEngine.class, JdbiTaskStore.class})
@ConditionalOnBean(DataSource.class)
@ConditionalOnBooleanProperty(name = "taskengine.enabled", matchIfMissing = true)
@EnableConfigurationProperties(TaskEngineProperties.class)
public class TaskEngineAutoConfiguration {
    private static final System.Logger LOG = System.getLogger(TaskEngineAutoConfiguration.class.getName());

    /** The DataSource itself, never a transaction-aware proxy: the key a transaction manager binds its connection to. */
    static DataSource raw(DataSource dataSource) {
        return dataSource instanceof TransactionAwareDataSourceProxy proxy ? proxy.getTargetDataSource() : dataSource;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "taskengine.migrations.enabled", matchIfMissing = true)
    @DependsOnDatabaseInitialization
    TaskSchemaInitializer taskEngineSchemaInitializer(DataSource dataSource) {
        return new TaskSchemaInitializer(raw(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    TaskStore taskEngineStore(DataSource dataSource, ObjectProvider<TaskSchemaInitializer> schema) {
        schema.ifAvailable(initializer -> {}); // migrated before the store is used
        return new JdbiTaskStore(raw(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "taskengine.webhooks.enabled")
    WebhookStore taskEngineWebhookStore(DataSource dataSource, ObjectProvider<TaskSchemaInitializer> schema) {
        schema.ifAvailable(initializer -> {});
        return new JdbiWebhookStore(raw(dataSource));
    }

    @Bean
    @ConditionalOnMissingBean
    @DependsOnDatabaseInitialization
    TaskEngine taskEngine(
            TaskEngineProperties properties,
            DataSource dataSource,
            TaskStore store,
            ObjectProvider<WebhookStore> webhookStore,
            ObjectProvider<ContactDirectory> contacts,
            ObjectProvider<MessageSender> sender,
            ObjectProvider<SenderAccounts> senderAccounts,
            ObjectProvider<SequenceMembership> sequenceMembership,
            ObjectProvider<EventPublisher> events,
            ObjectProvider<EngineObserver> observer) {
        // Every engine of this application (the one committing itself, and one per joined transaction) shares these,
        // so that a cursor of one pages on another and templates are compiled once.
        byte[] cursorSecret = new byte[32];
        new SecureRandom().nextBytes(cursorSecret);
        TemplateEngine templates = TemplateEngine.create();
        ContactDirectory contactDirectory =
                pick(contacts, ContactDirectory.none(), "ContactDirectory", "no contacts are known");
        MessageSender messageSender =
                pick(sender, MessageSender.none(), "MessageSender", "every execution fails, saying so");
        SenderAccounts accounts =
                pick(senderAccounts, SenderAccounts.none(), "SenderAccounts", "no sending account is known");
        SequenceMembership membership =
                pick(sequenceMembership, SequenceMembership.none(), "SequenceMembership", "nobody is told");
        EventPublisher publisher = events.getIfUnique();
        if (publisher == null) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "taskengine: no EventPublisher bean, using the engine's default: no events kept or published");
        }
        WebhookStore webhooks = webhookStore.getIfUnique();
        WebhookOptions webhookOptions = WebhookOptions.defaults()
                .withAllowHttp(properties.getWebhooks().isAllowHttp())
                .withAllowPrivateNetworks(properties.getWebhooks().isAllowPrivate());
        EngineObserver engineObserver = observer.getIfUnique(EngineObserver::none);
        Consumer<TaskEngineBuilder> settings = builder -> {
            builder.cursorSecret(cursorSecret)
                    .templates(templates)
                    .contacts(contactDirectory)
                    .sender(messageSender)
                    .senderAccounts(accounts)
                    .sequenceMembership(membership)
                    .observer(engineObserver);
            if (publisher != null) {
                builder.events(publisher);
            }
            if (webhooks != null) {
                builder.webhooks(webhooks, webhookOptions);
            }
        };
        Function<TaskStore, TaskEngine> engines = kept -> {
            TaskEngineBuilder builder = TaskEngine.builder().store(kept);
            settings.accept(builder);
            return builder.build();
        };
        TaskEngine own = engines.apply(store);
        if (properties.getTransactions() == TaskEngineProperties.Transactions.OWN) {
            return own;
        }
        if (!(store instanceof JdbiTaskStore)) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "taskengine: the TaskStore bean is not a JdbiTaskStore; Spring transactions are not joined");
            return own;
        }
        return new SpringTransactionalTaskEngine(own, raw(dataSource), engines);
    }

    /** The host's bean, or the engine's default with one INFO line saying so. */
    private static <T> T pick(ObjectProvider<T> beans, T fallback, String type, String means) {
        T bean = beans.getIfUnique();
        if (bean != null) {
            return bean;
        }
        LOG.log(System.Logger.Level.INFO, "taskengine: no {0} bean, using the engine''s default: {1}", type, means);
        return fallback;
    }

    @Bean
    @ConditionalOnMissingBean
    @ConditionalOnBooleanProperty(name = "taskengine.scheduler.enabled", matchIfMissing = true)
    TaskSchedulerLifecycle taskEngineScheduler(TaskEngine engine, TaskEngineProperties properties) {
        return new TaskSchedulerLifecycle(engine, properties.getScheduler().toOptions());
    }

    /** The scheduler starts with the context even when the application initializes its beans lazily. */
    @Bean
    static LazyInitializationExcludeFilter taskEngineSchedulerEagerly() {
        return LazyInitializationExcludeFilter.forBeanTypes(TaskSchedulerLifecycle.class);
    }
}
