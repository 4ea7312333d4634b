package dev.taskengine.bench;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.Template;
import com.github.jknack.handlebars.context.MapValueResolver;
import dev.taskengine.adapter.memory.InMemoryContactDirectory;
import dev.taskengine.domain.ContactId;
import dev.taskengine.domain.TenantId;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import javax.sql.DataSource;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The floors: what a host writing its own SQL against the engine's table would run. Lifecycle: one INSERT, one UPDATE
 * to reassign and one UPDATE to complete, each in its own transaction (auto-commit), with the same optimistic version
 * check the engine makes. Get: one SELECT by tenant and id, then the template rendered by handlebars.java from a
 * compiled-template map.
 */
public final class RawJdbi {
    private static final String INSERT =
            "INSERT INTO te_task (id, tenant, version, task_type, status, priority, contact_id,"
                    + " assigned_user_id, creation_source, created_at, updated_at, start_at, due_to, failed, scheduled, subject, body,"
                    + " attachment_ids, failed_attempts) VALUES (%s, :tenant, 1, 7, 0, 1, :contact, :assignee, 0, :now, :now, :start,"
                    + " :due, FALSE, FALSE, :subject, :body, '', 0)";
    private static final String REASSIGN = "UPDATE te_task SET assigned_user_id = :assignee, version = version + 1,"
            + " updated_at = :now WHERE tenant = :tenant AND id = :id AND version = :expected";
    private static final String COMPLETE = "UPDATE te_task SET status = 1, finished_at = :now, version = version + 1,"
            + " updated_at = :now WHERE tenant = :tenant AND id = :id AND version = :expected";
    private static final String SELECT = "SELECT id, version, task_type, status, contact_id, subject, body FROM te_task"
            + " WHERE tenant = :tenant AND id = :id";

    /** What the raw get answers: the row's fields it needs and the rendered content. */
    public record Rendered(long id, long version, String subject, String body) {}

    private final Jdbi jdbi;
    private final String insert;
    private final Handlebars html = handlebars(EscapingStrategy.HBS4);
    private final Handlebars plain = handlebars(EscapingStrategy.NOOP);
    private final Map<String, Template> compiledHtml = new ConcurrentHashMap<>();
    private final Map<String, Template> compiledPlain = new ConcurrentHashMap<>();

    public RawJdbi(DataSource dataSource, boolean postgres) {
        this.jdbi = Jdbi.create(dataSource);
        this.insert = String.format(INSERT, postgres ? "nextval('te_task_id_seq')" : "NEXT VALUE FOR te_task_id_seq");
    }

    /** Inserts a new manual email; answers its id. */
    public long insert(TenantId tenant, Instant now) {
        return jdbi.withHandle(h -> insert(h, tenant, now));
    }

    private long insert(Handle h, TenantId tenant, Instant now) {
        OffsetDateTime at = time(now);
        return h.createUpdate(insert)
                .bind("tenant", tenant.value())
                .bind("contact", Fixtures.CONTACT_ID.value())
                .bind("assignee", Fixtures.OWNER.value())
                .bind("now", at)
                .bind("start", at)
                .bind("due", time(now.plus(Duration.ofDays(1))))
                .bind("subject", Fixtures.SUBJECT)
                .bind("body", Fixtures.BODY)
                .executeAndReturnGeneratedKeys("id")
                .mapTo(Long.class)
                .one();
    }

    /** The three statements of the lifecycle, each in its own transaction. */
    public long lifecycle(TenantId tenant, Instant now) {
        long id = insert(tenant, now);
        OffsetDateTime at = time(now);
        int reassigned = jdbi.withHandle(h -> h.createUpdate(REASSIGN)
                .bind("assignee", Fixtures.OTHER.value())
                .bind("now", at)
                .bind("tenant", tenant.value())
                .bind("id", id)
                .bind("expected", 1L)
                .execute());
        int completed = jdbi.withHandle(h -> h.createUpdate(COMPLETE)
                .bind("now", at)
                .bind("tenant", tenant.value())
                .bind("id", id)
                .bind("expected", 2L)
                .execute());
        if (reassigned != 1 || completed != 1) {
            throw new IllegalStateException(
                    "raw lifecycle of task " + id + " changed " + reassigned + "/" + completed + " rows");
        }
        return id;
    }

    private static final String HISTORY = "INSERT INTO te_history (tenant, id, task_id, version, occurred_at, actor,"
            + " event_type, status_before, status_after, changes) VALUES (:tenant, :id, :task, :version, :now, 'user:7',"
            + " :type, :before, :after, :changes)";

    /**
     * The floor that keeps what the engine keeps: the lifecycle's three statements, each in a transaction with the
     * history row of its step (the engine's te_history, with the same indexes), as a host writing its own SQL and its
     * own audit trail would.
     */
    public long lifecycleWithHistory(TenantId tenant, Instant now) {
        OffsetDateTime at = time(now);
        long id = jdbi.inTransaction(h -> {
            long created = insert(h, tenant, now);
            history(h, tenant, created, 1, at, 0, null, 0, "[]");
            return created;
        });
        int reassigned = jdbi.inTransaction(h -> {
            int rows = h.createUpdate(REASSIGN)
                    .bind("assignee", Fixtures.OTHER.value())
                    .bind("now", at)
                    .bind("tenant", tenant.value())
                    .bind("id", id)
                    .bind("expected", 1L)
                    .execute();
            history(h, tenant, id, 2, at, 2, 0, 0, "[{\"field\":\"assignedUserId\",\"from\":\"7\",\"to\":\"8\"}]");
            return rows;
        });
        int completed = jdbi.inTransaction(h -> {
            int rows = h.createUpdate(COMPLETE)
                    .bind("now", at)
                    .bind("tenant", tenant.value())
                    .bind("id", id)
                    .bind("expected", 2L)
                    .execute();
            history(h, tenant, id, 3, at, 6, 0, 1, "[{\"field\":\"status\",\"from\":\"New\",\"to\":\"Finished\"}]");
            return rows;
        });
        if (reassigned != 1 || completed != 1) {
            throw new IllegalStateException(
                    "raw lifecycle of task " + id + " changed " + reassigned + "/" + completed + " rows");
        }
        return id;
    }

    /** The history row of one step; event types and statuses as adapter-jdbi stores them (StoredCodes). */
    private static void history(
            Handle h,
            TenantId tenant,
            long task,
            long version,
            OffsetDateTime at,
            int type,
            Integer before,
            int after,
            String changes) {
        h.createUpdate(HISTORY)
                .bind("tenant", tenant.value())
                .bind("id", timeOrderedId(at.toInstant()))
                .bind("task", task)
                .bind("version", version)
                .bind("now", at)
                .bind("type", type)
                .bind("before", before)
                .bind("after", after)
                .bind("changes", changes)
                .execute();
    }

    /** A version 7 UUID, as the engine's history ids are: time-ordered, so that the index on them grows at its end. */
    private static UUID timeOrderedId(Instant at) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        long high = ((at.toEpochMilli() & 0xFFFF_FFFF_FFFFL) << 16) | 0x7000L | (random.nextLong() & 0x0FFFL);
        return new UUID(high, (random.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L);
    }

    /** One SELECT, then the subject and body rendered from compiled templates with the contact's variables. */
    public Rendered get(TenantId tenant, long id, InMemoryContactDirectory contacts) {
        return jdbi.withHandle(h -> h.createQuery(SELECT)
                .bind("tenant", tenant.value())
                .bind("id", id)
                .map((rs, ctx) -> {
                    long contact = rs.getLong("contact_id");
                    Map<String, String> variables = contacts.find(tenant, ContactId.of(contact))
                            .orElseThrow()
                            .variables();
                    boolean email = rs.getInt("task_type") == 7;
                    String subject = rs.getString("subject");
                    return new Rendered(
                            rs.getLong("id"),
                            rs.getLong("version"),
                            subject == null ? null : render(compiledPlain, plain, subject, variables),
                            render(
                                    email ? compiledHtml : compiledPlain,
                                    email ? html : plain,
                                    rs.getString("body"),
                                    variables));
                })
                .one());
    }

    private static String render(
            Map<String, Template> compiled, Handlebars handlebars, String source, Map<String, String> variables) {
        Template template = compiled.computeIfAbsent(source, s -> {
            try {
                return handlebars.compileInline(s);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        return apply(template, variables);
    }

    /** A compiled template applied to a map of variables, with the map resolver only (as the engine does). */
    public static String apply(Template template, Map<String, String> variables) {
        Context context = Context.newBuilder(variables)
                .resolver(MapValueResolver.INSTANCE)
                .build();
        try {
            return template.apply(context);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            context.destroy();
        }
    }

    /** Plain handlebars.java with the one helper the fixtures' template uses. */
    public static Handlebars handlebars(EscapingStrategy escaping) {
        Handlebars handlebars = new Handlebars().with(escaping);
        handlebars.registerHelper("default", (Helper<Object>)
                (value, options) -> value == null || value.toString().isBlank() ? options.param(0, "") : value);
        return handlebars;
    }

    static OffsetDateTime time(Instant instant) {
        return OffsetDateTime.ofInstant(instant.truncatedTo(ChronoUnit.MICROS), ZoneOffset.UTC);
    }
}
