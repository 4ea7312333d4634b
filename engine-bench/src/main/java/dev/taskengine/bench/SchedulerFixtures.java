package dev.taskengine.bench;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.SendingLimits;
import dev.taskengine.domain.SequenceId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.UserId;
import dev.taskengine.spi.SenderAccounts;
import java.util.Optional;

/**
 * What every scheduler benchmark sets up alike: the sending identity of the owner's SMS and the limits of the policy
 * runs (far above what any run sends, so that every send is counted and none deferred), and db-scheduler's table.
 */
public final class SchedulerFixtures {
    /** The SMS sending identity of the owner with the policy on. */
    public static final String SMS_SENDER = "+44 20 7946 0999";

    /** Limits far above any run's sends: the whole counting path runs, no send is ever deferred. */
    public static final SendingLimits LIMITS =
            SendingLimits.none().withPerDay(10_000_000).withPerHour(1_000_000);

    /** db-scheduler's table for PostgreSQL, as its documentation gives it. */
    public static final String DB_SCHEDULER_TABLE = "CREATE TABLE IF NOT EXISTS scheduled_tasks ("
            + " task_name text NOT NULL, task_instance text NOT NULL, task_data bytea,"
            + " execution_time timestamp with time zone NOT NULL, picked boolean NOT NULL, picked_by text,"
            + " last_success timestamp with time zone, last_failure timestamp with time zone, consecutive_failures int,"
            + " last_heartbeat timestamp with time zone, version bigint NOT NULL, priority smallint,"
            + " PRIMARY KEY (task_name, task_instance));"
            + " CREATE INDEX IF NOT EXISTS execution_time_idx ON scheduled_tasks (execution_time);"
            + " CREATE INDEX IF NOT EXISTS last_heartbeat_idx ON scheduled_tasks (last_heartbeat);"
            + " CREATE INDEX IF NOT EXISTS priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)";

    private SchedulerFixtures() {}

    /** The owner's SMS go from {@link #SMS_SENDER}; no email account (the scheduled tasks are SMS only). */
    public static SenderAccounts ownerSmsSender() {
        return new SenderAccounts() {
            @Override
            public Optional<EmailAccountId> defaultAccount(TenantId tenant, UserId user) {
                return Optional.empty();
            }

            @Override
            public Optional<EmailAccountId> sequenceAccount(TenantId tenant, SequenceId sequence) {
                return Optional.empty();
            }

            @Override
            public boolean usable(TenantId tenant, UserId user, EmailAccountId account) {
                return false;
            }

            @Override
            public Optional<String> smsSender(TenantId tenant, UserId user) {
                return user.equals(Fixtures.OWNER) ? Optional.of(SMS_SENDER) : Optional.empty();
            }
        };
    }
}
