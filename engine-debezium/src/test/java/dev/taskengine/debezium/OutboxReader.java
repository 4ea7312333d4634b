package dev.taskengine.debezium;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.debezium.engine.ChangeEvent;
import io.debezium.engine.DebeziumEngine;
import io.debezium.engine.Header;
import io.debezium.engine.format.Json;
import io.debezium.engine.format.KeyValueHeaderChangeEventFormat;
import io.debezium.engine.format.SimpleString;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Debezium's embedded engine reading one schema's outbox with the settings of {@link OutboxConnectorSettings}, keeping
 * every message the router let out. Its publication and its replication slot (server-wide) are its own, and both are
 * dropped on close, whatever the tests did.
 */
final class OutboxReader implements AutoCloseable {
    /** Long enough for a slow CI machine; the tests never measure speed. */
    static final Duration PATIENCE = Duration.ofSeconds(90);

    private static final ObjectMapper JSON = new ObjectMapper();

    private final OutboxConnectorSettings settings;
    private final List<Routed> routed = new CopyOnWriteArrayList<>();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final ExecutorService executor = Executors.newSingleThreadExecutor(r -> new Thread(r, "debezium-outbox"));
    private DebeziumEngine<ChangeEvent<String, String>> engine;

    /** One message as the router made it: the topic, the key, the value and the headers, all as strings. */
    record Routed(String topic, String key, String value, Map<String, String> headers) {
        String header(String name) {
            return headers.get(name);
        }
    }

    private OutboxReader(OutboxConnectorSettings settings) {
        this.settings = settings;
    }

    /** Starts reading {@code schema}'s outbox; answers once the connector holds its slot. */
    static OutboxReader start(String schema, Path offsets) {
        String suffix = Long.toHexString(System.nanoTime()).toLowerCase(Locale.ROOT);
        OutboxConnectorSettings settings = Postgres.connectorSettings()
                .schema(schema)
                .slot("te_deb_test_" + suffix)
                .publication("te_deb_test_" + suffix)
                .topicPrefix("te-deb-test-" + suffix)
                .dropSlotOnStop(true);
        OutboxReader reader = new OutboxReader(settings);
        try {
            reader.run(offsets);
        } catch (RuntimeException | Error e) {
            reader.close();
            throw e;
        }
        return reader;
    }

    private void run(Path offsets) {
        Postgres.admin().useHandle(h -> h.execute(settings.createPublicationSql()));
        Properties properties = settings.embeddedEngine("te-deb-test", offsets.resolve("offsets.dat"));
        engine = DebeziumEngine.create(
                        KeyValueHeaderChangeEventFormat.of(SimpleString.class, SimpleString.class, Json.class))
                .using(properties)
                .notifying(event -> {
                    routed.add(routed(event));
                })
                .using((success, message, error) -> {
                    if (!success) {
                        failure.set(error == null ? new IllegalStateException(message) : error);
                    }
                })
                .build();
        executor.execute(engine);
        await("the connector holds its slot " + settings.slot(), () -> slotActive());
    }

    private static Routed routed(ChangeEvent<String, String> event) {
        Map<String, String> headers = new LinkedHashMap<>();
        for (Header<?> header : event.headers()) {
            headers.put(header.getKey(), headerText(header.getValue()));
        }
        return new Routed(event.destination(), event.key(), event.value(), headers);
    }

    /** A header's value as text: the Json header format writes each as a JSON value, here always a string. */
    private static String headerText(Object json) {
        try {
            return JSON.readTree(String.valueOf(json)).asText();
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("a header that is not JSON: " + json, e);
        }
    }

    /** Every message so far. */
    List<Routed> routed() {
        return List.copyOf(routed);
    }

    /** The messages so far whose {@code tenant} header is {@code tenant}. */
    List<Routed> routedOf(String tenant) {
        List<Routed> of = new ArrayList<>();
        for (Routed message : routed) {
            if (tenant.equals(message.header("tenant"))) {
                of.add(message);
            }
        }
        return of;
    }

    /** Waits until {@code tenant} has at least {@code count} messages; answers all of them. */
    List<Routed> awaitMessagesOf(String tenant, int count) {
        await(count + " messages of tenant " + tenant, () -> routedOf(tenant).size() >= count);
        return routedOf(tenant);
    }

    void await(String what, Check check) {
        Instant deadline = Instant.now().plus(PATIENCE);
        while (true) {
            assertThat(failure.get()).as("the Debezium engine's failure").isNull();
            if (check.holds()) {
                return;
            }
            assertThat(Instant.now()).as("still waiting for " + what).isBefore(deadline);
            try {
                Thread.sleep(100);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for " + what, e);
            }
        }
    }

    @FunctionalInterface
    interface Check {
        boolean holds();
    }

    private boolean slotActive() {
        return Postgres.admin()
                        .withHandle(h -> h.createQuery(
                                        "SELECT count(*) FROM pg_replication_slots WHERE slot_name = :slot AND active")
                                .bind("slot", settings.slot())
                                .mapTo(Integer.class)
                                .one())
                == 1;
    }

    /** Stops the engine, then drops the slot (should the connector not have) and the publication. */
    @Override
    public void close() {
        try {
            if (engine != null) {
                engine.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            executor.shutdown();
            try {
                executor.awaitTermination(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            dropSlot();
            Postgres.admin().useHandle(h -> h.execute("DROP PUBLICATION IF EXISTS " + settings.publication()));
        }
    }

    private void dropSlot() {
        Instant deadline = Instant.now().plusSeconds(30);
        while (Instant.now().isBefore(deadline)) {
            int left = Postgres.admin().withHandle(h -> {
                h.createQuery("SELECT pg_drop_replication_slot(slot_name) FROM pg_replication_slots"
                                + " WHERE slot_name = :slot AND NOT active")
                        .bind("slot", settings.slot())
                        .mapToMap()
                        .list();
                return h.createQuery("SELECT count(*) FROM pg_replication_slots WHERE slot_name = :slot")
                        .bind("slot", settings.slot())
                        .mapTo(Integer.class)
                        .one();
            });
            if (left == 0) {
                return;
            }
            try {
                Thread.sleep(200);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
        throw new IllegalStateException("replication slot " + settings.slot() + " is still there: drop it by hand");
    }
}
