package dev.taskengine.server;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.EmailAccountId;
import dev.taskengine.domain.TaskId;
import dev.taskengine.domain.TenantId;
import dev.taskengine.spi.Channel;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.OutgoingMessage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileMessageSenderTest {

    static OutgoingMessage email(String key) {
        return new OutgoingMessage(
                key,
                TenantId.of("acme"),
                TaskId.of(3),
                Channel.EMAIL,
                Optional.of(EmailAccountId.of(7)),
                "ada@analytical.example",
                Optional.of("Hello Ada"),
                "Hi Ada",
                List.of(11L),
                Optional.empty());
    }

    @Test
    void everyMessageIsAppendedAsOneJsonLine(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("out/sent.jsonl");
        try (FileMessageSender sender = new FileMessageSender(file, Clock.systemUTC())) {
            assertThat(sender.send(email("acme/3/2"))).isEqualTo(Delivery.delivered("file:acme/3/2"));
            sender.send(email("acme/3/5"));
        }

        List<String> lines = Files.readAllLines(file);
        assertThat(lines).hasSize(2);
        assertThat(lines.get(0))
                .startsWith("{\"idempotencyKey\":\"acme/3/2\",\"sentAt\":\"")
                .contains(
                        "\"tenant\":\"acme\",\"taskId\":3,\"channel\":\"email\",\"emailAccountId\":7,\"to\":\"ada@analytical.example\","
                                + "\"subject\":\"Hello Ada\",\"body\":\"Hi Ada\",\"attachmentIds\":[11],\"providerMessageId\":\"file:acme/3/2\"}");
    }

    @Test
    void aKeyAlreadyWrittenIsAcknowledgedAndNotWrittenAgainEvenByALaterRun(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("sent.jsonl");
        try (FileMessageSender first = new FileMessageSender(file, Clock.systemUTC())) {
            first.send(email("acme/3/2"));
            assertThat(first.send(email("acme/3/2"))).isInstanceOf(Delivery.Delivered.class);
        }
        try (FileMessageSender restarted = new FileMessageSender(file, Clock.systemUTC())) {
            assertThat(restarted.send(email("acme/3/2"))).isEqualTo(Delivery.delivered("file:acme/3/2"));
        }

        assertThat(Files.readAllLines(file)).hasSize(1);
    }
}
