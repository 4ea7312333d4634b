package dev.taskengine.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskengine.adapter.jdbi.JdbiTaskStore;
import dev.taskengine.api.TaskEngine;
import dev.taskengine.api.TaskRef;
import dev.taskengine.contract.TaskFixtures;
import dev.taskengine.debezium.OutboxReader.Routed;
import dev.taskengine.domain.Actor;
import dev.taskengine.domain.Completion;
import dev.taskengine.domain.Priority;
import dev.taskengine.domain.Task;
import dev.taskengine.domain.TaskError;
import dev.taskengine.domain.TaskUpdate;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.TaskEvent;
import io.vavr.control.Either;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The engine's outbox read by Debezium's PostgreSQL connector (pgoutput) through its outbox event router, run in
 * Debezium's embedded engine with the settings of {@link OutboxConnectorSettings}: what a host reading the outbox with
 * change data capture gets. Each test works in a fresh tenant and looks only at the messages of that tenant.
 */
class DebeziumOutboxTest {
    private static final Actor ACTOR = Actor.user(7);
    private static final ObjectMapper JSON = new ObjectMapper();

    private static Postgres.Schema schema;
    private static OutboxReader reader;
    private static final List<TaskEvent> published = new CopyOnWriteArrayList<>();
    /** Relays every event to an in-process publisher, and so deletes its outbox rows right after each write. */
    private static TaskEngine publishing;
    /** Keeps events in the outbox for the connector alone. */
    private static TaskEngine outboxOnly;

    @BeforeAll
    static void startTheConnector(@TempDir Path offsets) {
        schema = Postgres.isolatedSchema();
        reader = OutboxReader.start(schema.name(), offsets);
        publishing = TaskEngine.builder()
                .store(new JdbiTaskStore(schema.pool()))
                .events(published::add)
                .build();
        outboxOnly = TaskEngine.builder()
                .store(new JdbiTaskStore(schema.pool()))
                .eventsInOutboxOnly()
                .build();
        awaitEverythingCommittedSoFar();
    }

    @AfterAll
    static void stopTheConnector() {
        try {
            if (reader != null) {
                reader.close();
            }
        } finally {
            if (schema != null) {
                schema.close();
            }
        }
    }

    @Test
    void everyCommittedEventComesOutKeyedByItsTaskWithItsPayloadAndItsIdAndTypeInHeaders() {
        TenantId tenant = TaskFixtures.freshTenant();
        Task task = create(publishing, tenant);
        task = ok(publishing.update(ref(tenant, task), TaskUpdate.from(task).withPriority(Priority.HOT)));
        ok(publishing.complete(ref(tenant, task), Completion.done()));
        List<TaskEvent> events = publishedOf(tenant);
        assertThat(events).hasSize(3);

        awaitEverythingCommittedSoFar();

        List<Routed> messages = reader.routedOf(tenant.value());
        assertThat(messages).hasSameSizeAs(events);
        for (int i = 0; i < events.size(); i++) {
            TaskEvent event = events.get(i);
            Routed message = messages.get(i);
            assertThat(message.topic()).isEqualTo(OutboxConnectorSettings.TOPIC);
            assertThat(message.key()).isEqualTo(Long.toString(event.taskId().value()));
            assertThat(message.value())
                    .as("the payload, as the engine wrote it")
                    .isEqualTo(event.payload());
            assertThat(message.header("id")).isEqualTo(event.id().toString());
            assertThat(message.header("eventType")).isEqualTo(event.typeName());
            assertThat(message.header("tenant")).isEqualTo(tenant.value());
        }
        assertThat(outboxRows(tenant))
                .as("rows the relay deleted after publishing")
                .isZero();
    }

    @Test
    void theEventsOfATaskComeOutInTheOrderOfItsVersions() {
        TenantId tenant = TaskFixtures.freshTenant();
        Task task = create(outboxOnly, tenant);
        task = ok(outboxOnly.update(ref(tenant, task), TaskUpdate.from(task).withPriority(Priority.HOT)));
        ok(outboxOnly.complete(ref(tenant, task), Completion.done()));

        awaitEverythingCommittedSoFar();

        List<Routed> messages = reader.routedOf(tenant.value());
        assertThat(messages)
                .extracting(m -> m.header("eventType"))
                .containsExactly("task.created", "task.updated", "task.completed");
        assertThat(messages)
                .extracting(m -> json(m.value()).get("taskVersion").asLong())
                .containsExactly(1L, 2L, 3L);
        assertThat(messages)
                .extracting(Routed::key)
                .containsOnly(Long.toString(task.id().value()));
    }

    @Test
    void anOutboxOnlyEngineDeletesItsRowsOnceCommittedAndTheConnectorStillReadsTheirInserts() {
        TenantId tenant = TaskFixtures.freshTenant();
        Task task = create(outboxOnly, tenant);

        // The relay "publishes" to nobody and deletes right after the commit; the insert is in the log already.
        assertThat(outboxRows(tenant)).isZero();
        awaitEverythingCommittedSoFar();
        assertThat(reader.routedOf(tenant.value()))
                .as("the insert, and nothing for the deletion")
                .extracting(Routed::key)
                .containsExactly(Long.toString(task.id().value()));
    }

    @Test
    void anEventOfARolledBackHostTransactionNeverComesOutWhileACommittedOneDoes() {
        TenantId tenant = TaskFixtures.freshTenant();
        Task rolledBack;
        try (Handle host = schema.jdbi().open()) {
            host.begin();
            rolledBack = create(inHostTransaction(host), tenant);
            host.rollback();
        }
        Task committed;
        try (Handle host = schema.jdbi().open()) {
            host.begin();
            committed = create(inHostTransaction(host), tenant);
            host.commit();
        }

        awaitEverythingCommittedSoFar();

        assertThat(reader.routedOf(tenant.value()))
                .extracting(Routed::key)
                .containsExactly(Long.toString(committed.id().value()))
                .doesNotContain(Long.toString(rolledBack.id().value()));
    }

    @Test
    void theEventsOfConcurrentWritersAllComeOutEachOnce() throws Exception {
        TenantId tenant = TaskFixtures.freshTenant();
        int writers = 8;
        int tasksEach = 25;
        Set<String> written = ConcurrentHashMap.newKeySet();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(writers);
        try {
            List<Future<?>> done = new ArrayList<>();
            for (int w = 0; w < writers; w++) {
                TaskEngine engine = w % 2 == 0 ? outboxOnly : publishing;
                done.add(pool.submit(() -> {
                    start.await();
                    for (int i = 0; i < tasksEach; i++) {
                        Task task = create(engine, tenant);
                        Task updated = ok(engine.update(
                                ref(tenant, task), TaskUpdate.from(task).withPriority(Priority.HOT)));
                        written.add(task.id().value() + "@" + task.version());
                        written.add(updated.id().value() + "@" + updated.version());
                    }
                    return null;
                }));
            }
            start.countDown();
            for (Future<?> writer : done) {
                writer.get();
            }
        } finally {
            pool.shutdownNow();
        }
        int expected = writers * tasksEach * 2;
        assertThat(written).hasSize(expected);
        awaitEverythingCommittedSoFar();

        List<Routed> messages = reader.routedOf(tenant.value());

        Map<String, Long> perId =
                messages.stream().collect(Collectors.groupingBy(m -> m.header("id"), Collectors.counting()));
        assertThat(perId.values()).as("messages per event id").containsOnly(1L);
        assertThat(messages).hasSize(expected);
        assertThat(perId.keySet())
                .as("the ids of the events the publishing writers' relay published")
                .containsAll(
                        publishedOf(tenant).stream().map(e -> e.id().toString()).toList());
        Set<String> routedTasksAndVersions = new HashSet<>();
        for (Routed message : messages) {
            routedTasksAndVersions.add(message.key() + "@"
                    + json(message.value()).get("taskVersion").asLong());
        }
        assertThat(routedTasksAndVersions).isEqualTo(written);
        System.out.println("DEBEZIUM concurrent writers=" + writers + " events written=" + expected + " routed="
                + messages.size() + " distinct ids=" + perId.size());
    }

    /**
     * Writes a marker event and waits for it: the connector reads the log in commit order, so once the marker is out,
     * every change committed before it is out too (and whatever is not, never will be).
     */
    private static void awaitEverythingCommittedSoFar() {
        TenantId marker = TaskFixtures.freshTenant();
        create(outboxOnly, marker);
        reader.awaitMessagesOf(marker.value(), 1);
    }

    private static TaskEngine inHostTransaction(Handle host) {
        return TaskEngine.builder()
                .store(JdbiTaskStore.inTransaction(host))
                .eventsInOutboxOnly()
                .build();
    }

    private static Task create(TaskEngine engine, TenantId tenant) {
        return ok(engine.create(ACTOR, TaskFixtures.newToDo(tenant).build()));
    }

    private static TaskRef ref(TenantId tenant, Task task) {
        return TaskRef.of(ACTOR, tenant, task.id()).expecting(task.version());
    }

    private static <T> T ok(Either<TaskError, T> result) {
        assertThat(result.isRight()).as("the write succeeded: %s", result).isTrue();
        return result.get();
    }

    private static List<TaskEvent> publishedOf(TenantId tenant) {
        return published.stream().filter(e -> e.tenant().equals(tenant)).toList();
    }

    private static long outboxRows(TenantId tenant) {
        return schema.jdbi()
                .withHandle(h -> h.createQuery("SELECT count(*) FROM te_task_event WHERE tenant = :tenant")
                        .bind("tenant", tenant.value())
                        .mapTo(Long.class)
                        .one());
    }

    private static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
