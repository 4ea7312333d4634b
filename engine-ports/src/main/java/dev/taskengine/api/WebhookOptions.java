package dev.taskengine.api;

import java.time.Duration;
import java.util.Objects;

/**
 * How an engine delivers webhooks. Safe by default: only https targets, never to loopback, private, link-local or
 * metadata addresses, redirects never followed, at most {@code maxResponseBytes} of an answer read.
 *
 * @param allowHttp              also deliver to http targets (checked before each attempt, not pinned: for tests and
 *                               trusted networks)
 * @param allowLoopback          deliver to loopback addresses (127.0.0.0/8, ::1): for tests
 * @param allowPrivateNetworks   deliver to private addresses (10/8, 172.16/12, 192.168/16, fc00::/7, 100.64/10)
 * @param connectTimeout         how long a connection may take
 * @param requestTimeout         how long an attempt may take, answer included
 * @param maxResponseBytes       how much of an answer is read
 * @param retryFor               how long a delivery is retried after it was made (a day by default); then it is given
 *                               up and the task's next event goes
 * @param firstRetryAfter        the wait after a first failed attempt; each failure doubles it, up to
 *                               {@code longestRetryAfter}, and jitter takes up to half of it off
 * @param longestRetryAfter      the longest wait between two attempts
 * @param disableAfterFailures   how many attempts in a row must fail, for at least {@code disableAfterFailingFor}, before
 *                               the subscription is disabled
 * @param disableAfterFailingFor see {@code disableAfterFailures}
 * @param deliveryThreads        how many attempts one engine makes at once
 * @param batchSize              how many deliveries one claim takes at most (fewer when the delivery threads could not
 *                               attempt that many within the lease, each taking its longest)
 * @param lease                  how long a claimed delivery is this engine's; another engine attempts it again after that
 *                               (with the same {@code webhook-id}), so that a delivery under way when its engine died is
 *                               not lost
 * @param secretOverlap          how long the previous secret still signs after a rotation
 * @param logRetention           how long delivered and given-up deliveries stay in the log
 */
public record WebhookOptions(
        boolean allowHttp,
        boolean allowLoopback,
        boolean allowPrivateNetworks,
        Duration connectTimeout,
        Duration requestTimeout,
        int maxResponseBytes,
        Duration retryFor,
        Duration firstRetryAfter,
        Duration longestRetryAfter,
        int disableAfterFailures,
        Duration disableAfterFailingFor,
        int deliveryThreads,
        int batchSize,
        Duration lease,
        Duration secretOverlap,
        Duration logRetention) {
    public WebhookOptions {
        positive(connectTimeout, "connectTimeout");
        positive(requestTimeout, "requestTimeout");
        positive(retryFor, "retryFor");
        positive(firstRetryAfter, "firstRetryAfter");
        positive(longestRetryAfter, "longestRetryAfter");
        Objects.requireNonNull(disableAfterFailingFor, "disableAfterFailingFor");
        positive(lease, "lease");
        Objects.requireNonNull(secretOverlap, "secretOverlap");
        positive(logRetention, "logRetention");
        if (maxResponseBytes < 0) {
            throw new IllegalArgumentException("maxResponseBytes is at least 0, not " + maxResponseBytes);
        }
        if (disableAfterFailures < 1 || deliveryThreads < 1 || batchSize < 1) {
            throw new IllegalArgumentException("disableAfterFailures, deliveryThreads and batchSize are at least 1: "
                    + disableAfterFailures + ", " + deliveryThreads + ", " + batchSize);
        }
        if (longestRetryAfter.compareTo(firstRetryAfter) < 0) {
            throw new IllegalArgumentException(
                    "longestRetryAfter " + longestRetryAfter + " is shorter than firstRetryAfter " + firstRetryAfter);
        }
        if (lease.compareTo(connectTimeout.plus(requestTimeout)) <= 0) {
            throw new IllegalArgumentException("a lease of " + lease + " must outlast an attempt ("
                    + connectTimeout.plus(requestTimeout) + "), or a live engine's delivery would be taken over");
        }
    }

    /** The defaults: https only, public addresses only, 5 s to connect, 15 s an attempt, retried for a day. */
    public static WebhookOptions defaults() {
        return new WebhookOptions(
                false,
                false,
                false,
                Duration.ofSeconds(5),
                Duration.ofSeconds(15),
                64 * 1024,
                Duration.ofDays(1),
                Duration.ofSeconds(5),
                Duration.ofHours(1),
                20,
                Duration.ofHours(1),
                4,
                50,
                Duration.ofMinutes(2),
                Duration.ofHours(24),
                Duration.ofDays(7));
    }

    public WebhookOptions withAllowHttp(boolean value) {
        return new WebhookOptions(
                value,
                allowLoopback,
                allowPrivateNetworks,
                connectTimeout,
                requestTimeout,
                maxResponseBytes,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                disableAfterFailures,
                disableAfterFailingFor,
                deliveryThreads,
                batchSize,
                lease,
                secretOverlap,
                logRetention);
    }

    public WebhookOptions withAllowLoopback(boolean value) {
        return new WebhookOptions(
                allowHttp,
                value,
                allowPrivateNetworks,
                connectTimeout,
                requestTimeout,
                maxResponseBytes,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                disableAfterFailures,
                disableAfterFailingFor,
                deliveryThreads,
                batchSize,
                lease,
                secretOverlap,
                logRetention);
    }

    public WebhookOptions withAllowPrivateNetworks(boolean value) {
        return new WebhookOptions(
                allowHttp,
                allowLoopback,
                value,
                connectTimeout,
                requestTimeout,
                maxResponseBytes,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                disableAfterFailures,
                disableAfterFailingFor,
                deliveryThreads,
                batchSize,
                lease,
                secretOverlap,
                logRetention);
    }

    public WebhookOptions withTimeouts(Duration connect, Duration request) {
        return new WebhookOptions(
                allowHttp,
                allowLoopback,
                allowPrivateNetworks,
                connect,
                request,
                maxResponseBytes,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                disableAfterFailures,
                disableAfterFailingFor,
                deliveryThreads,
                batchSize,
                lease,
                secretOverlap,
                logRetention);
    }

    public WebhookOptions withMaxResponseBytes(int value) {
        return new WebhookOptions(
                allowHttp,
                allowLoopback,
                allowPrivateNetworks,
                connectTimeout,
                requestTimeout,
                value,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                disableAfterFailures,
                disableAfterFailingFor,
                deliveryThreads,
                batchSize,
                lease,
                secretOverlap,
                logRetention);
    }

    /** Retries for {@code retryFor} in all, waiting {@code first} after the first failure, doubling up to {@code longest}. */
    public WebhookOptions withRetries(Duration retryFor, Duration first, Duration longest) {
        return new WebhookOptions(
                allowHttp,
                allowLoopback,
                allowPrivateNetworks,
                connectTimeout,
                requestTimeout,
                maxResponseBytes,
                retryFor,
                first,
                longest,
                disableAfterFailures,
                disableAfterFailingFor,
                deliveryThreads,
                batchSize,
                lease,
                secretOverlap,
                logRetention);
    }

    public WebhookOptions withDisableAfter(int failures, Duration failingFor) {
        return new WebhookOptions(
                allowHttp,
                allowLoopback,
                allowPrivateNetworks,
                connectTimeout,
                requestTimeout,
                maxResponseBytes,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                failures,
                failingFor,
                deliveryThreads,
                batchSize,
                lease,
                secretOverlap,
                logRetention);
    }

    public WebhookOptions withDelivery(int threads, int batch, Duration leaseFor) {
        return new WebhookOptions(
                allowHttp,
                allowLoopback,
                allowPrivateNetworks,
                connectTimeout,
                requestTimeout,
                maxResponseBytes,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                disableAfterFailures,
                disableAfterFailingFor,
                threads,
                batch,
                leaseFor,
                secretOverlap,
                logRetention);
    }

    public WebhookOptions withSecretOverlap(Duration value) {
        return new WebhookOptions(
                allowHttp,
                allowLoopback,
                allowPrivateNetworks,
                connectTimeout,
                requestTimeout,
                maxResponseBytes,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                disableAfterFailures,
                disableAfterFailingFor,
                deliveryThreads,
                batchSize,
                lease,
                value,
                logRetention);
    }

    public WebhookOptions withLogRetention(Duration value) {
        return new WebhookOptions(
                allowHttp,
                allowLoopback,
                allowPrivateNetworks,
                connectTimeout,
                requestTimeout,
                maxResponseBytes,
                retryFor,
                firstRetryAfter,
                longestRetryAfter,
                disableAfterFailures,
                disableAfterFailingFor,
                deliveryThreads,
                batchSize,
                lease,
                secretOverlap,
                value);
    }

    private static void positive(Duration value, String name) {
        Objects.requireNonNull(value, name);
        if (value.isNegative() || value.isZero()) {
            throw new IllegalArgumentException(name + " is longer than zero, not " + value);
        }
    }
}
