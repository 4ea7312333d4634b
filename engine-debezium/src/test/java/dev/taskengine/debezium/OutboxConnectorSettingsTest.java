package dev.taskengine.debezium;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

import java.nio.file.Path;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class OutboxConnectorSettingsTest {
    private static OutboxConnectorSettings settings() {
        return OutboxConnectorSettings.on("db.internal", 6432, "app", "cdc", "secret")
                .schema("crm")
                .slot("crm_outbox")
                .publication("crm_outbox_pub");
    }

    @Test
    void thePublicationHoldsTheOutboxInsertsOnly() {
        assertThat(settings().createPublicationSql())
                .isEqualTo("CREATE PUBLICATION crm_outbox_pub FOR TABLE crm.te_task_event WITH (publish = 'insert')");
    }

    @Test
    void theConnectorStreamsTheOutboxTableThroughTheOutboxRouterWithoutMakingAPublication() {
        var config = settings().connectorConfig();

        assertThat(config)
                .containsEntry("connector.class", "io.debezium.connector.postgresql.PostgresConnector")
                .containsEntry("plugin.name", "pgoutput")
                .containsEntry("database.hostname", "db.internal")
                .containsEntry("database.port", "6432")
                .containsEntry("database.dbname", "app")
                .containsEntry("table.include.list", "crm.te_task_event")
                .containsEntry("slot.name", "crm_outbox")
                .containsEntry("slot.drop.on.stop", "false")
                .containsEntry("publication.name", "crm_outbox_pub")
                .containsEntry("publication.autocreate.mode", "disabled")
                .containsEntry("snapshot.mode", "no_data")
                .containsEntry("transforms", "outbox")
                .containsEntry("transforms.outbox.type", "io.debezium.transforms.outbox.EventRouter")
                .containsEntry("transforms.outbox.route.topic.replacement", "outbox.event.${routedByValue}");
    }

    @Test
    void theEmbeddedEngineKeepsItsOffsetsInTheFileItIsGiven() {
        Properties properties = settings().embeddedEngine("crm-outbox", Path.of("/var/lib/crm/offsets.dat"));

        assertThat(properties.getProperty("name")).isEqualTo("crm-outbox");
        assertThat(properties.getProperty("offset.storage"))
                .isEqualTo("org.apache.kafka.connect.storage.FileOffsetBackingStore");
        assertThat(properties.getProperty("offset.storage.file.filename")).isEqualTo("/var/lib/crm/offsets.dat");
        assertThat(properties.getProperty("slot.name")).isEqualTo("crm_outbox");
    }

    @Test
    void aNameThatIsNotAPlainLowerCaseIdentifierIsRefused() {
        OutboxConnectorSettings settings = settings();

        assertThatIllegalArgumentException().isThrownBy(() -> settings.slot("Outbox"));
        assertThatIllegalArgumentException().isThrownBy(() -> settings.schema("crm; DROP TABLE x"));
        assertThatIllegalArgumentException().isThrownBy(() -> settings.publication("1pub"));
    }
}
