package dev.taskengine.internal;

import dev.taskengine.api.NewWebhook;
import dev.taskengine.api.WebhookChange;
import dev.taskengine.api.WebhookDeliveryPage;
import dev.taskengine.api.WebhookError;
import dev.taskengine.api.WebhookOptions;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.api.Webhooks;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.TenantId;
import dev.taskengine.domain.Violation;
import dev.taskengine.store.StoredDeliveries;
import dev.taskengine.store.WebhookStore;
import io.vavr.control.Either;
import java.net.URI;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.UUID;

/** The {@link Webhooks} of an engine: subscriptions validated, kept in the webhook store, and their delivery logs. */
final class DefaultWebhooks implements Webhooks {
    static final int DELIVERIES_PAGE_MAX = 100;
    /** How many times a change is made from the subscription as read before a conflict refuses it. */
    static final int CHANGE_TRIES = 5;

    private final WebhookStore store;
    private final WebhookOptions options;
    private final Clock clock;
    private final SecureRandom random = new SecureRandom();

    DefaultWebhooks(WebhookStore store, WebhookOptions options, Clock clock) {
        this.store = store;
        this.options = options;
        this.clock = clock;
    }

    @Override
    public Either<WebhookError, WebhookSubscription> create(NewWebhook subscription) {
        Objects.requireNonNull(subscription, "subscription");
        List<Violation> violations = new ArrayList<>(urlViolations(subscription.url()));
        Set<TaskEventType> types = eventTypes(subscription.eventTypes(), violations);
        subscription.secret().ifPresent(secret -> secretViolation(secret).ifPresent(violations::add));
        if (!violations.isEmpty()) {
            return Either.left(new WebhookError.Invalid(violations));
        }
        Instant now = clock.instant();
        String secret = subscription.secret().orElseGet(() -> WebhookSignatures.newSecret(random));
        WebhookSubscription created = new WebhookSubscription(
                EntryIds.at(now),
                subscription.tenant(),
                URI.create(subscription.url()),
                types,
                List.of(new WebhookSubscription.Secret(secret, now, Optional.empty())),
                subscription.enabled() ? Optional.empty() : Optional.of(byRequest(now)),
                0,
                Optional.empty(),
                now,
                now,
                0);
        store.insertWebhook(created);
        return Either.right(created);
    }

    @Override
    public Either<WebhookError, WebhookSubscription> change(TenantId tenant, UUID id, WebhookChange change) {
        Objects.requireNonNull(change, "change");
        List<Violation> violations = new ArrayList<>();
        change.url().ifPresent(url -> violations.addAll(urlViolations(url)));
        Optional<Set<TaskEventType>> types = change.eventTypes().map(names -> eventTypes(names, violations));
        if (!violations.isEmpty()) {
            return Either.left(new WebhookError.Invalid(violations));
        }
        return kept(tenant, id, current -> {
            Instant now = clock.instant();
            Optional<WebhookSubscription.Disabled> disabled = change.enabled()
                    .map(enabled -> enabled
                            ? Optional.<WebhookSubscription.Disabled>empty()
                            : Optional.of(current.disabled().orElse(byRequest(now))))
                    .orElse(current.disabled());
            boolean enabling = !current.enabled() && disabled.isEmpty();
            return new WebhookSubscription(
                    current.id(),
                    current.tenant(),
                    change.url().map(URI::create).orElse(current.url()),
                    types.orElse(current.eventTypes()),
                    current.secrets(),
                    disabled,
                    enabling ? 0 : current.consecutiveFailures(),
                    enabling ? Optional.empty() : current.failingSince(),
                    current.createdAt(),
                    now,
                    current.version() + 1);
        });
    }

    @Override
    public Either<WebhookError, WebhookSubscription> rotateSecret(TenantId tenant, UUID id, Optional<String> secret) {
        Objects.requireNonNull(secret, "secret");
        Optional<Violation> problem = secret.flatMap(DefaultWebhooks::secretViolation);
        if (problem.isPresent()) {
            return Either.left(new WebhookError.Invalid(List.of(problem.get())));
        }
        // The new secret is drawn once: made again after a conflict, the rotation answers the secret it keeps.
        String next = secret.orElseGet(() -> WebhookSignatures.newSecret(random));
        return kept(tenant, id, current -> {
            Instant now = clock.instant();
            WebhookSubscription.Secret previous = current.secrets().get(0);
            List<WebhookSubscription.Secret> secrets = List.of(
                    new WebhookSubscription.Secret(next, now, Optional.empty()),
                    new WebhookSubscription.Secret(
                            previous.value(), previous.createdAt(), Optional.of(now.plus(options.secretOverlap()))));
            return new WebhookSubscription(
                    current.id(),
                    current.tenant(),
                    current.url(),
                    current.eventTypes(),
                    secrets,
                    current.disabled(),
                    current.consecutiveFailures(),
                    current.failingSince(),
                    current.createdAt(),
                    now,
                    current.version() + 1);
        });
    }

    @Override
    public Either<WebhookError, WebhookSubscription> delete(TenantId tenant, UUID id) {
        return found(tenant, id)
                .flatMap(current -> store.deleteWebhook(tenant, id)
                        ? Either.right(current)
                        : Either.left(new WebhookError.NotFound(id)));
    }

    @Override
    public Optional<WebhookSubscription> find(TenantId tenant, UUID id) {
        Objects.requireNonNull(tenant, "tenant");
        Objects.requireNonNull(id, "id");
        return store.findWebhook(tenant, id);
    }

    @Override
    public List<WebhookSubscription> list(TenantId tenant) {
        Objects.requireNonNull(tenant, "tenant");
        return store.webhooks(tenant);
    }

    @Override
    public Either<WebhookError, WebhookDeliveryPage> deliveries(
            TenantId tenant, UUID id, int limit, Optional<String> cursor) {
        Objects.requireNonNull(cursor, "cursor");
        List<Violation> violations = new ArrayList<>();
        if (limit < 1 || limit > DELIVERIES_PAGE_MAX) {
            violations.add(Violation.of(
                    "webhook.deliveries.limit.outOfRange",
                    "/limit",
                    "is from 1 to " + DELIVERIES_PAGE_MAX + ", not " + limit));
        }
        OptionalLong before = OptionalLong.empty();
        if (cursor.isPresent()) {
            try {
                long position = Long.parseLong(cursor.get());
                if (position < 1) {
                    throw new NumberFormatException();
                }
                before = OptionalLong.of(position);
            } catch (NumberFormatException e) {
                violations.add(Violation.of(
                        "webhook.deliveries.cursor.invalid", "/cursor", "is not a cursor this log gave out"));
            }
        }
        if (!violations.isEmpty()) {
            return Either.left(new WebhookError.Invalid(violations));
        }
        OptionalLong from = before;
        return found(tenant, id).map(subscription -> {
            StoredDeliveries page = store.deliveries(tenant, id, limit, from);
            return new WebhookDeliveryPage(
                    page.deliveries(),
                    page.next().isPresent()
                            ? Optional.of(Long.toString(page.next().getAsLong()))
                            : Optional.empty());
        });
    }

    private Either<WebhookError, WebhookSubscription> found(TenantId tenant, UUID id) {
        return find(tenant, id)
                .<Either<WebhookError, WebhookSubscription>>map(Either::right)
                .orElseGet(() -> Either.left(new WebhookError.NotFound(id)));
    }

    /**
     * Keeps what {@code change} makes of the subscription as stored: a compare-and-set at the version read, so that
     * nothing another writer kept since (a concurrent change, or an attempt on another engine that counted a failure
     * or disabled it) is undone; on a conflict the subscription is read again and the change made again from it, up to
     * {@value #CHANGE_TRIES} times, then refused as a {@link WebhookError.Conflict}.
     */
    private Either<WebhookError, WebhookSubscription> kept(
            TenantId tenant, UUID id, java.util.function.UnaryOperator<WebhookSubscription> change) {
        for (int tries = 1; ; tries++) {
            Optional<WebhookSubscription> read = find(tenant, id);
            if (read.isEmpty()) {
                return Either.left(new WebhookError.NotFound(id));
            }
            WebhookSubscription current = read.get();
            WebhookSubscription changed = change.apply(current).withVersion(current.version() + 1);
            switch (store.updateWebhook(changed, current.version())) {
                case UPDATED:
                    return Either.right(changed);
                case NOT_FOUND:
                    return Either.left(new WebhookError.NotFound(id));
                case CONFLICT:
                    if (tries == CHANGE_TRIES) {
                        return Either.left(new WebhookError.Conflict(id, tries));
                    }
                    break;
                default:
                    throw new IllegalStateException();
            }
        }
    }

    /**
     * Every problem with a target URL; one whose host is an address (or {@code localhost}) is judged by the address
     * rules at once. A host name is resolved only at each attempt, where the same rules refuse it.
     */
    private List<Violation> urlViolations(String url) {
        List<Violation> violations = WebhookTargets.urlViolations(url, "/url", options.allowHttp());
        if (!violations.isEmpty()) {
            return violations;
        }
        String host = URI.create(url).getHost();
        if (host == null) {
            return violations;
        }
        String name = host.toLowerCase(java.util.Locale.ROOT);
        boolean literal = name.startsWith("[") || name.matches("[0-9.]+");
        boolean loopbackName = name.equals("localhost") || name.endsWith(".localhost");
        if (!literal && !loopbackName) {
            return violations;
        }
        try {
            java.net.InetAddress address = loopbackName
                    ? java.net.InetAddress.getLoopbackAddress()
                    : java.net.InetAddress.getByName(
                            name.startsWith("[") ? name.substring(1, name.length() - 1) : name);
            return WebhookTargets.addressRefusal(address, options.allowLoopback(), options.allowPrivateNetworks())
                    .map(refusal -> List.of(Violation.of("webhook.url.address", "/url", refusal)))
                    .orElse(List.of());
        } catch (java.net.UnknownHostException e) {
            return List.of(Violation.of("webhook.url.host", "/url", "is not an address: " + host));
        }
    }

    private static Optional<Violation> secretViolation(String secret) {
        return WebhookSignatures.secretProblem(secret)
                .map(problem -> Violation.of("webhook.secret.invalid", "/secret", problem));
    }

    /** The types {@code names} name; each unknown name is a violation pointing at its item. */
    private static Set<TaskEventType> eventTypes(List<String> names, List<Violation> violations) {
        Set<TaskEventType> types = EnumSet.noneOf(TaskEventType.class);
        for (int i = 0; i < names.size(); i++) {
            String name = names.get(i);
            Optional<TaskEventType> type = TaskEventType.ofEventName(name);
            if (type.isPresent()) {
                types.add(type.get());
            } else {
                violations.add(Violation.of(
                        "webhook.eventTypes.unknown",
                        "/eventTypes/" + i,
                        "no event type is named " + name + "; types are named like task.created, task.completed"));
            }
        }
        return types;
    }

    private static WebhookSubscription.Disabled byRequest(Instant at) {
        return new WebhookSubscription.Disabled(WebhookSubscription.Reason.BY_REQUEST, at, "disabled on request");
    }
}
