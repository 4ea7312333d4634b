package dev.taskengine.adapter.http;

import com.fasterxml.jackson.databind.JsonNode;
import dev.taskengine.api.NewWebhook;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.WebhookChange;
import dev.taskengine.api.WebhookDelivery;
import dev.taskengine.api.WebhookDeliveryPage;
import dev.taskengine.api.WebhookError;
import dev.taskengine.api.WebhookSubscription;
import dev.taskengine.api.Webhooks;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskEventType;
import dev.taskengine.domain.Violation;
import io.javalin.http.Context;
import io.javalin.http.Handler;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * A tenant's webhook subscriptions and their delivery logs in the Reply dialect, under {@code /v3/webhooks}, for the
 * tenant of the request's key. A subscription's secret is answered only by its create and by a rotation, never by a
 * read. The routes are always registered; on an engine built without webhooks ({@link TaskEngine#webhooks()} empty)
 * each answers 404 {@code webhook.unavailable}. An id that is not a subscription of the tenant (another tenant's, or
 * not a UUID) is 404 {@code webhook.notFound}.
 */
final class ReplyWebhookApi {
    static final int DELIVERIES_LIMIT_DEFAULT = 20;
    static final int DELIVERIES_LIMIT_MAX = 100;

    /** A subscription id: a UUID in its canonical form (which {@link UUID#fromString} alone does not insist on). */
    private static final Pattern UUID_FORM =
            Pattern.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

    private final Optional<Webhooks> webhooks;
    private final HttpApi http;
    private final Clock clock;

    ReplyWebhookApi(TaskEngine engine, HttpApi http, Clock clock) {
        this.webhooks = engine.webhooks();
        this.http = http;
        this.clock = clock;
    }

    /** The code of every 400 of these routes, the body's problems and the engine's alike. */
    static final String INVALID = "webhook.invalid";

    void register(Routes routes) {
        routes.post("/v3/webhooks", webhook(this::create));
        routes.get("/v3/webhooks", webhook(this::list));
        routes.get("/v3/webhooks/{id}", webhook(this::get));
        routes.patch("/v3/webhooks/{id}", webhook(this::change));
        routes.delete("/v3/webhooks/{id}", webhook(this::delete));
        routes.post("/v3/webhooks/{id}/rotate-secret", webhook(this::rotateSecret));
        routes.get("/v3/webhooks/{id}/deliveries", webhook(this::deliveries));
    }

    /**
     * A handler whose invalid inputs are answered with {@link #INVALID} rather than the task family's code: a malformed
     * body or a wrong parameter is a webhook request's problem here.
     */
    private static Handler webhook(Handler handler) {
        return ctx -> {
            try {
                handler.handle(ctx);
            } catch (Refusal refusal) {
                if (refusal.failure() instanceof Refusal.Failure.Rejected rejected
                        && rejected.error() instanceof TaskError.InvalidInput invalid) {
                    throw invalid(invalid.violations());
                }
                throw refusal;
            }
        };
    }

    private static Refusal invalid(List<Violation> violations) {
        return new Refusal(new Refusal.Failure.Invalid(INVALID, violations));
    }

    // --- handlers

    private void create(Context ctx) {
        Webhooks hooks = webhooks();
        Principal principal = HttpApi.principal(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.NewWebhook body = http.replyBody(ctx, false, ReplyBodies.NewWebhook.class, in);
        Optional<List<String>> types = eventTypes(body.eventTypes(), in);
        in.throwIfInvalid();
        WebhookSubscription created = hooks.create(new NewWebhook(
                        principal.tenant(),
                        body.url(),
                        types.orElseGet(List::of),
                        Optional.ofNullable(body.secret()),
                        body.enabled() == null || body.enabled()))
                .getOrElseThrow(error -> refusal(error));
        ctx.header("Location", "/v3/webhooks/" + created.id());
        http.json(ctx, 201, withSecret(created));
    }

    private void list(Context ctx) {
        Webhooks hooks = webhooks();
        Principal principal = HttpApi.principal(ctx);
        http.json(
                ctx,
                200,
                new ReplyAnswers.WebhookList(
                        hooks.list(principal.tenant()).stream().map(this::view).toList()));
    }

    private void get(Context ctx) {
        Webhooks hooks = webhooks();
        Principal principal = HttpApi.principal(ctx);
        UUID id = pathId(ctx);
        WebhookSubscription found =
                hooks.find(principal.tenant(), id).orElseThrow(() -> refusal(new WebhookError.NotFound(id)));
        http.json(ctx, 200, view(found));
    }

    private void change(Context ctx) {
        Webhooks hooks = webhooks();
        Principal principal = HttpApi.principal(ctx);
        UUID id = pathId(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.WebhookChange body = http.replyBody(ctx, false, ReplyBodies.WebhookChange.class, in);
        Optional<List<String>> types = eventTypes(body.eventTypes(), in);
        in.throwIfInvalid();
        WebhookChange change =
                new WebhookChange(Optional.ofNullable(body.url()), types, Optional.ofNullable(body.enabled()));
        WebhookSubscription changed =
                hooks.change(principal.tenant(), id, change).getOrElseThrow(error -> refusal(error));
        http.json(ctx, 200, view(changed));
    }

    private void rotateSecret(Context ctx) {
        Webhooks hooks = webhooks();
        Principal principal = HttpApi.principal(ctx);
        UUID id = pathId(ctx);
        JsonInput in = new JsonInput();
        ReplyBodies.RotateSecret body = http.replyBody(ctx, true, ReplyBodies.RotateSecret.class, in);
        in.throwIfInvalid();
        WebhookSubscription rotated = hooks.rotateSecret(principal.tenant(), id, Optional.ofNullable(body.secret()))
                .getOrElseThrow(error -> refusal(error));
        http.json(ctx, 200, withSecret(rotated));
    }

    private void delete(Context ctx) {
        Webhooks hooks = webhooks();
        Principal principal = HttpApi.principal(ctx);
        UUID id = pathId(ctx);
        hooks.delete(principal.tenant(), id).getOrElseThrow(error -> refusal(error));
        ctx.status(204);
    }

    private void deliveries(Context ctx) {
        Webhooks hooks = webhooks();
        Principal principal = HttpApi.principal(ctx);
        UUID id = pathId(ctx);
        List<Violation> problems = new ArrayList<>();
        int limit = HttpApi.intParam(ctx, "limit", DELIVERIES_LIMIT_DEFAULT, 1, DELIVERIES_LIMIT_MAX, problems);
        if (!problems.isEmpty()) {
            throw Refusal.invalid(problems);
        }
        String cursor = ctx.queryParam("cursor");
        WebhookDeliveryPage page = hooks.deliveries(
                        principal.tenant(),
                        id,
                        limit,
                        cursor == null || cursor.isEmpty() ? Optional.empty() : Optional.of(cursor))
                .getOrElseThrow(error -> refusal(error));
        http.json(
                ctx,
                200,
                new ReplyAnswers.WebhookDeliveryPageView(
                        page.items().stream().map(ReplyWebhookApi::delivery).toList(),
                        page.nextCursor().orElse(null)));
    }

    // --- reading requests

    /** The engine's webhooks; a 404 that says so on an engine without them. */
    private Webhooks webhooks() {
        return webhooks.orElseThrow(() -> new Refusal(new Refusal.Failure.Unknown(
                "webhook.unavailable",
                "this server delivers no webhooks: its engine runs without them, so there are no subscriptions"
                        + " to create or read")));
    }

    /** The subscription id in the path; one that is not a UUID names no subscription: 404, as an unknown one. */
    private static UUID pathId(Context ctx) {
        String raw = ctx.pathParam("id");
        if (raw == null || !UUID_FORM.matcher(raw).matches()) {
            throw new Refusal(new Refusal.Failure.Unknown(
                    "webhook.notFound",
                    "no webhook subscription " + JsonInput.abbreviate(raw)
                            + " in this tenant; a subscription id is a UUID"));
        }
        return UUID.fromString(raw);
    }

    /**
     * The event type names of {@code eventTypes}, an array of strings (empty when absent or null); an item that is not a
     * string, or an array that is not one, is a problem added to {@code in}. Whether each name is a type, the engine says.
     */
    private static Optional<List<String>> eventTypes(JsonNode eventTypes, JsonInput in) {
        if (eventTypes == null || eventTypes.isNull() || eventTypes.isMissingNode()) {
            return Optional.empty();
        }
        if (!eventTypes.isArray()) {
            in.add(
                    "request.field.wrongType",
                    "/eventTypes",
                    "expected an array of event type names such as [\"task.completed\"], not " + kind(eventTypes));
            return Optional.empty();
        }
        List<String> names = new ArrayList<>();
        for (int i = 0; i < eventTypes.size(); i++) {
            JsonNode item = eventTypes.get(i);
            if (item.isTextual()) {
                names.add(item.asText());
            } else {
                in.add(
                        "request.field.wrongType",
                        "/eventTypes/" + i,
                        "expected an event type name such as task.completed, not " + kind(item));
            }
        }
        return Optional.of(names);
    }

    private static String kind(JsonNode node) {
        if (node.isObject()) {
            return "an object";
        }
        if (node.isArray()) {
            return "an array";
        }
        if (node.isBoolean()) {
            return "a boolean";
        }
        if (node.isNumber()) {
            return "a number";
        }
        if (node.isNull()) {
            return "null";
        }
        return node.isTextual() ? "a string" : "something else";
    }

    // --- errors

    /**
     * A webhook error as the dialect answers it: an invalid input is a 400 with every violation, an unknown subscription
     * a 404, a change that kept conflicting with others a 409.
     */
    private static Refusal refusal(WebhookError error) {
        if (error instanceof WebhookError.Invalid invalid) {
            return invalid(invalid.violations());
        }
        if (error instanceof WebhookError.NotFound notFound) {
            return new Refusal(new Refusal.Failure.Unknown(notFound.code(), notFound.message()));
        }
        if (error instanceof WebhookError.Conflict conflict) {
            return new Refusal(new Refusal.Failure.Conflict(conflict.code(), conflict.message()));
        }
        throw new IllegalStateException("a webhook error without a status: " + error.code());
    }

    // --- answers

    private ReplyAnswers.WebhookWithSecretView withSecret(WebhookSubscription subscription) {
        return new ReplyAnswers.WebhookWithSecretView(view(subscription), subscription.secret());
    }

    ReplyAnswers.WebhookView view(WebhookSubscription subscription) {
        Instant now = clock.instant();
        Optional<WebhookSubscription.Disabled> disabled = subscription.disabled();
        Instant previousExpires = subscription.secrets().stream()
                .skip(1)
                .map(secret -> secret.expiresAt().orElse(null))
                .filter(expires -> expires != null && now.isBefore(expires))
                .findFirst()
                .orElse(null);
        return new ReplyAnswers.WebhookView(
                subscription.id().toString(),
                subscription.url().toString(),
                subscription.eventTypes().stream()
                        .map(TaskEventType::eventName)
                        .sorted()
                        .toList(),
                subscription.enabled(),
                disabled.map(d -> REASONS.get(d.reason())).orElse(null),
                disabled.map(WebhookSubscription.Disabled::at).orElse(null),
                disabled.map(WebhookSubscription.Disabled::detail).orElse(null),
                subscription.consecutiveFailures(),
                subscription.failingSince().orElse(null),
                subscription.signingSecrets(now).size(),
                previousExpires,
                subscription.createdAt(),
                subscription.updatedAt());
    }

    private static final Map<WebhookSubscription.Reason, String> REASONS = Map.of(
            WebhookSubscription.Reason.BY_REQUEST, "byRequest",
            WebhookSubscription.Reason.GONE, "gone",
            WebhookSubscription.Reason.FAILING, "failing");

    private static ReplyAnswers.WebhookDeliveryView delivery(WebhookDelivery delivery) {
        return new ReplyAnswers.WebhookDeliveryView(
                delivery.eventId().toString(),
                delivery.eventType().eventName(),
                delivery.taskId().value(),
                delivery.state().name().toLowerCase(Locale.ROOT),
                delivery.createdAt(),
                delivery.nextAttemptAt().orElse(null),
                delivery.finishedAt().orElse(null),
                delivery.attempts().stream()
                        .map(attempt -> new ReplyAnswers.WebhookAttemptView(
                                attempt.at(),
                                attempt.engine(),
                                attempt.statusCode(),
                                attempt.latency().toMillis(),
                                attempt.error().orElse(null)))
                        .toList());
    }
}
