package dev.taskengine.internal;

import dev.taskengine.api.WebhookDelivery;
import dev.taskengine.api.WebhookListener;
import dev.taskengine.api.WebhookOptions;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.TaskEvent;
import dev.taskengine.store.ClaimedDelivery;
import dev.taskengine.store.DeliveryAttempt;
import dev.taskengine.store.Lease;
import dev.taskengine.store.NewDelivery;
import dev.taskengine.store.RecordedAttempt;
import dev.taskengine.store.WebhookStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.random.RandomGenerator;

/**
 * Webhook deliveries: events become one delivery per subscription that wants them ({@link #enqueue}, by the event
 * relay, before the events are marked published), and due deliveries are claimed, signed, posted and recorded
 * ({@link #deliverDue}, by every engine whose scheduler runs). At least once: a delivery is recorded only after its
 * attempt, so one under way when its engine dies is claimed again once its lease ran out, and posted with the same
 * {@code webhook-id}.
 */
final class WebhookDispatch {
    private static final System.Logger LOG = System.getLogger(WebhookDispatch.class.getName());
    static final String USER_AGENT = "taskengine-webhooks/1";

    private final WebhookStore store;
    private final WebhookOptions options;
    private final Clock clock;
    private final RandomGenerator jitter;
    private final WebhookListener listener;
    private WebhookTransport transport;

    WebhookDispatch(
            WebhookStore store, WebhookOptions options, Clock clock, RandomGenerator jitter, WebhookListener listener) {
        this.store = store;
        this.options = options;
        this.clock = clock;
        this.jitter = jitter;
        this.listener = listener;
    }

    WebhookOptions options() {
        return options;
    }

    /**
     * Keeps a delivery of each event for each enabled subscription of its tenant that wants its type, in the events'
     * order. Kept at most once per subscription and event, so an event relayed again adds nothing. Throws when the store
     * fails: the events stay pending and are enqueued again by the next relay.
     */
    void enqueue(List<TaskEvent> events) {
        if (events.isEmpty()) {
            return;
        }
        Set<TenantId> tenants = new LinkedHashSet<>();
        events.forEach(e -> tenants.add(e.tenant()));
        Map<TenantId, List<WebhookSubscription>> byTenant = new LinkedHashMap<>();
        for (WebhookSubscription subscription : store.enabledWebhooks(tenants)) {
            byTenant.computeIfAbsent(subscription.tenant(), t -> new ArrayList<>())
                    .add(subscription);
        }
        if (byTenant.isEmpty()) {
            return;
        }
        Instant now = clock.instant();
        List<NewDelivery> deliveries = new ArrayList<>();
        for (TaskEvent event : events) {
            for (WebhookSubscription subscription : byTenant.getOrDefault(event.tenant(), List.of())) {
                if (subscription.wants(event.type())) {
                    deliveries.add(new NewDelivery(
                            subscription.id(),
                            event.tenant(),
                            event.id(),
                            event.type(),
                            event.taskId(),
                            event.payload(),
                            now));
                }
            }
        }
        if (!deliveries.isEmpty()) {
            store.enqueueDeliveries(deliveries);
        }
    }

    /**
     * Claims up to a batch of due deliveries under a lease of {@code owner}, attempts them side by side on
     * {@code senders} (or on this thread when null), records each attempt; answers how many were attempted.
     */
    int deliverDue(String owner, ExecutorService senders) {
        Instant now = clock.instant();
        Lease lease = new Lease(owner, now.plus(options.lease()));
        List<ClaimedDelivery> claimed = store.claimDeliveries(now, lease, claimLimit(senders != null));
        if (claimed.isEmpty()) {
            return 0;
        }
        WebhookTransport sending = transport();
        if (senders == null || claimed.size() == 1) {
            claimed.forEach(delivery -> attempt(sending, delivery, lease, owner));
            return claimed.size();
        }
        List<Future<?>> attempts = new ArrayList<>(claimed.size());
        for (ClaimedDelivery delivery : claimed) {
            attempts.add(senders.submit(() -> attempt(sending, delivery, lease, owner)));
        }
        for (int i = 0; i < attempts.size(); i++) {
            try {
                attempts.get(i).get();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return claimed.size();
            } catch (ExecutionException e) {
                LOG.log(
                        System.Logger.Level.WARNING,
                        "a webhook attempt of " + named(claimed.get(i).delivery()) + " failed to be recorded",
                        e.getCause());
            }
        }
        return claimed.size();
    }

    /**
     * How many deliveries one claim takes: a batch at most, and no more than the attempts side by side
     * ({@code deliveryThreads}, or one on the calling thread) can make within the lease if every one of them took its
     * longest; so that a live engine never holds a claimed delivery past its lease.
     */
    int claimLimit(boolean pooled) {
        long longestAttempt =
                options.connectTimeout().plus(options.requestTimeout()).toMillis();
        long perThread = Math.max(1, options.lease().toMillis() / longestAttempt);
        long parallel = pooled ? options.deliveryThreads() : 1;
        return (int) Math.min(options.batchSize(), parallel * perThread);
    }

    /** Forgets the log of deliveries finished longer ago than the log is kept. */
    int forgetFinished() {
        return store.forgetDeliveries(clock.instant().minus(options.logRetention()));
    }

    private void attempt(WebhookTransport sending, ClaimedDelivery claimed, Lease lease, String owner) {
        NewDelivery delivery = claimed.delivery();
        WebhookSubscription subscription = claimed.subscription();
        Instant at = clock.instant();
        if (at.plus(options.connectTimeout()).plus(options.requestTimeout()).isAfter(lease.until())) {
            // An attempt begun now could outlast the lease and meet another engine's: this one is left to run out,
            // and the delivery is claimed again.
            LOG.log(
                    System.Logger.Level.INFO,
                    "webhook delivery of " + named(delivery) + " is left to its lease, which ends before an"
                            + " attempt begun now could");
            return;
        }
        byte[] body = delivery.payload().getBytes(StandardCharsets.UTF_8);
        long timestamp = at.getEpochSecond();
        String id = delivery.eventId().toString();
        Map<String, String> headers = new LinkedHashMap<>();
        headers.put("webhook-id", id);
        headers.put("webhook-timestamp", Long.toString(timestamp));
        headers.put("webhook-signature", WebhookSignatures.sign(id, timestamp, body, subscription.signingSecrets(at)));
        headers.put("User-Agent", USER_AGENT);
        WebhookTransport.Attempt answer = sending.post(subscription.url(), headers, body);
        if (answer.interrupted()) {
            // The engine is stopping: that says nothing of the receiver. Nothing is recorded; the lease runs out and
            // the delivery is claimed again.
            LOG.log(
                    System.Logger.Level.INFO,
                    "webhook delivery of " + named(delivery) + " was cut short by the engine stopping ("
                            + answer.error() + "); it is attempted again once its lease ran out");
            return;
        }
        Optional<RecordedAttempt> recorded = store.recordAttempt(outcome(claimed, lease, owner, at, answer));
        if (recorded.isEmpty()) {
            LOG.log(
                    System.Logger.Level.INFO,
                    "webhook delivery of event " + id + " (task " + delivery.taskId() + ", tenant "
                            + delivery.tenant().value() + ") was taken over before its attempt was recorded; the"
                            + " engine that holds it now attempts it again");
            return;
        }
        recorded.get().disabled().ifPresent(this::tell);
    }

    /** What an attempt's answer makes of its delivery: delivered, retried later, or given up. */
    DeliveryAttempt outcome(
            ClaimedDelivery claimed, Lease lease, String owner, Instant at, WebhookTransport.Attempt answer) {
        WebhookDelivery.Attempt logged = new WebhookDelivery.Attempt(
                at, owner, answer.statusCode(), answer.latency(), Optional.ofNullable(answer.error()));
        if (answer.delivered()) {
            return attempt(claimed, lease, logged, WebhookDelivery.State.DELIVERED, null, null);
        }
        if (answer.statusCode() == 410) {
            return attempt(
                    claimed,
                    lease,
                    logged,
                    WebhookDelivery.State.FAILED,
                    null,
                    new WebhookSubscription.Disabled(
                            WebhookSubscription.Reason.GONE, at, "the receiver answered 410 Gone"));
        }
        Instant next = at.plus(retryAfter(claimed.attempts() + 1, answer.retryAfter()));
        if (next.isAfter(claimed.delivery().createdAt().plus(options.retryFor()))) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "webhook delivery of event " + claimed.delivery().eventId() + " (task "
                            + claimed.delivery().taskId() + ", tenant "
                            + claimed.delivery().tenant().value()
                            + ") to " + claimed.subscription().url() + " is given up after " + (claimed.attempts() + 1)
                            + " attempts: " + answer.error());
            return attempt(claimed, lease, logged, WebhookDelivery.State.FAILED, null, null);
        }
        return attempt(claimed, lease, logged, WebhookDelivery.State.PENDING, next, null);
    }

    /**
     * The wait after the {@code failures}-th failed attempt: the first wait doubled for each failure before, at most the
     * longest, less up to half of it at random; at least what the receiver asked for (within the longest wait).
     */
    Duration retryAfter(int failures, Optional<Duration> asked) {
        long first = options.firstRetryAfter().toMillis();
        long longest = options.longestRetryAfter().toMillis();
        long wait = first;
        for (int i = 1; i < failures && wait < longest; i++) {
            wait *= 2;
        }
        wait = Math.min(wait, longest);
        double draw;
        // The engine's one jitter source is shared with the sending policy's threads; a RandomGenerator need not be
        // safe for that.
        synchronized (jitter) {
            draw = jitter.nextDouble();
        }
        long jittered = wait - (long) (draw * (wait / 2.0));
        long receiverAsked = asked.map(Duration::toMillis).orElse(0L);
        return Duration.ofMillis(Math.max(jittered, Math.min(receiverAsked, longest)));
    }

    private DeliveryAttempt attempt(
            ClaimedDelivery claimed,
            Lease lease,
            WebhookDelivery.Attempt logged,
            WebhookDelivery.State state,
            Instant next,
            WebhookSubscription.Disabled disable) {
        return new DeliveryAttempt(
                claimed.position(),
                lease,
                logged,
                state,
                Optional.ofNullable(next),
                Optional.ofNullable(disable),
                options.disableAfterFailures(),
                options.disableAfterFailingFor());
    }

    private void tell(WebhookSubscription disabled) {
        try {
            listener.disabled(disabled);
        } catch (RuntimeException e) {
            LOG.log(
                    System.Logger.Level.WARNING,
                    "the webhook listener failed for " + disabled.id() + " (tenant " + disabled.tenant() + ")",
                    e);
        }
    }

    /** How a log line names a delivery: its event, and the task and tenant of the event. */
    private static String named(NewDelivery delivery) {
        return "event " + delivery.eventId() + " (task " + delivery.taskId() + ", tenant "
                + delivery.tenant().value() + ")";
    }

    /**
     * Closes the transport (its tunnel's port, its threads), once the attempts on it are over: when the scheduler
     * stops. The next attempt opens a new one.
     */
    synchronized void close() {
        if (transport != null) {
            transport.close();
            transport = null;
        }
    }

    /** The transport, opened when first needed: for tests. */
    synchronized WebhookTransport transport() {
        if (transport == null) {
            try {
                transport = new WebhookTransport(new WebhookTransport.Settings(
                        options.allowHttp(),
                        options.allowLoopback(),
                        options.allowPrivateNetworks(),
                        options.connectTimeout(),
                        options.requestTimeout(),
                        options.maxResponseBytes()));
            } catch (IOException e) {
                throw new UncheckedIOException("the webhook transport could not open its loopback tunnel", e);
            }
        }
        return transport;
    }
}
