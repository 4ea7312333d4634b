package dev.taskengine.spring.boot;

import dev.taskengine.api.SchedulerOptions;
import java.time.Duration;
import org.springframework.boot.context.properties.ConfigurationProperties;

/** The {@code taskengine.*} properties. */
@ConfigurationProperties("taskengine")
public class TaskEngineProperties {
    /** Whether the task engine is auto-configured. */
    private boolean enabled = true;

    /** How the engine takes part in Spring-managed transactions on the application's DataSource. */
    private Transactions transactions = Transactions.JOIN;

    private final Migrations migrations = new Migrations();
    private final Scheduler scheduler = new Scheduler();
    private final Webhooks webhooks = new Webhooks();
    private final Health health = new Health();
    private final Tracing tracing = new Tracing();

    /** How the engine takes part in Spring-managed transactions. */
    public enum Transactions {
        /**
         * Inside a Spring transaction on the application's DataSource, writes join it (committed or rolled back with
         * the host's rows, events published after the commit); outside one, each call commits itself.
         */
        JOIN,
        /** Every call runs in its own transaction on its own connection, whatever the caller has open. */
        OWN
    }

    public boolean isEnabled() {
        return enabled;
    }

    public void setEnabled(boolean enabled) {
        this.enabled = enabled;
    }

    public Transactions getTransactions() {
        return transactions;
    }

    public void setTransactions(Transactions transactions) {
        this.transactions = transactions;
    }

    public Migrations getMigrations() {
        return migrations;
    }

    public Scheduler getScheduler() {
        return scheduler;
    }

    public Webhooks getWebhooks() {
        return webhooks;
    }

    public Health getHealth() {
        return health;
    }

    public Tracing getTracing() {
        return tracing;
    }

    /** The engine's schema. */
    public static class Migrations {
        /**
         * Whether the engine's Flyway migrations (history table te_schema_history) are applied to the application's
         * DataSource at start-up. Turn off when the host runs the shipped SQL with its own tool.
         */
        private boolean enabled = true;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }
    }

    /**
     * The scheduler that executes scheduled tasks and relays events. The defaults are {@link SchedulerOptions#defaults()}'s,
     * written out for the configuration metadata (a test checks that they agree).
     */
    public static class Scheduler {
        /** Whether this node runs a scheduler (off for web-only nodes). */
        private boolean enabled = true;

        /** How long the scheduler waits between looks for due tasks when there is nothing to do. */
        private Duration pollInterval = Duration.ofSeconds(1);

        /** How many due tasks one look claims at most. */
        private int batchSize = 50;

        /** How many executions run at once. */
        private int workerThreads = 2;

        /** How long a claim keeps other engines off a task. */
        private Duration lease = Duration.ofSeconds(15);

        /** This engine's name in claims, unique per instance (default: the JVM's name and a random suffix). */
        private String owner;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public Duration getPollInterval() {
            return pollInterval;
        }

        public void setPollInterval(Duration pollInterval) {
            this.pollInterval = pollInterval;
        }

        public int getBatchSize() {
            return batchSize;
        }

        public void setBatchSize(int batchSize) {
            this.batchSize = batchSize;
        }

        public int getWorkerThreads() {
            return workerThreads;
        }

        public void setWorkerThreads(int workerThreads) {
            this.workerThreads = workerThreads;
        }

        public Duration getLease() {
            return lease;
        }

        public void setLease(Duration lease) {
            this.lease = lease;
        }

        public String getOwner() {
            return owner;
        }

        public void setOwner(String owner) {
            this.owner = owner;
        }

        SchedulerOptions toOptions() {
            SchedulerOptions options = SchedulerOptions.defaults()
                    .withPollInterval(pollInterval)
                    .withBatchSize(batchSize)
                    .withWorkerThreads(workerThreads)
                    .withLease(lease);
            return owner == null || owner.isBlank() ? options : options.withOwner(owner);
        }
    }

    /** Webhook delivery (subscriptions kept in te_webhook*, delivered by the scheduler). */
    public static class Webhooks {
        /** Whether the engine keeps webhook subscriptions and delivers task events to them. */
        private boolean enabled = false;

        /** Also deliver to http targets (not only https): for tests and trusted networks. */
        private boolean allowHttp = false;

        /** Also deliver to private network addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10). */
        private boolean allowPrivate = false;

        public boolean isEnabled() {
            return enabled;
        }

        public void setEnabled(boolean enabled) {
            this.enabled = enabled;
        }

        public boolean isAllowHttp() {
            return allowHttp;
        }

        public void setAllowHttp(boolean allowHttp) {
            this.allowHttp = allowHttp;
        }

        public boolean isAllowPrivate() {
            return allowPrivate;
        }

        public void setAllowPrivate(boolean allowPrivate) {
            this.allowPrivate = allowPrivate;
        }
    }

    /** The health indicator's thresholds. */
    public static class Health {
        /** How many due, unexecuted tasks (or unpublished events) make the engine's health DEGRADED. */
        private long backlogThreshold = 10_000;

        /** How long the oldest due task may have waited before the engine's health is DEGRADED. */
        private Duration oldestDueLagThreshold = Duration.ofMinutes(15);

        public long getBacklogThreshold() {
            return backlogThreshold;
        }

        public void setBacklogThreshold(long backlogThreshold) {
            this.backlogThreshold = backlogThreshold;
        }

        public Duration getOldestDueLagThreshold() {
            return oldestDueLagThreshold;
        }

        public void setOldestDueLagThreshold(Duration oldestDueLagThreshold) {
            this.oldestDueLagThreshold = oldestDueLagThreshold;
        }
    }

    /** How a task's execution is tied to the trace that created or scheduled it (with Micrometer Tracing). */
    public static class Tracing {
        /**
         * How the trace context kept with a task is restored when it is executed: link (the execution span starts
         * without the creator as parent, with a link to it) or parent (the creator's trace is the execution's parent).
         */
        private Restore restore = Restore.LINK;

        public Restore getRestore() {
            return restore;
        }

        public void setRestore(Restore restore) {
            this.restore = restore;
        }
    }

    /** How the stored trace context is restored at execution. */
    public enum Restore {
        /**
         * The execution span's parent is what is current where it runs (none for the scheduler: a new trace), with one
         * link to the creating context (engine-micrometer's TraceLinkingHandler).
         */
        LINK,
        /** The creating context is the execution span's parent (Micrometer Tracing's stock receiver handler). */
        PARENT
    }
}
