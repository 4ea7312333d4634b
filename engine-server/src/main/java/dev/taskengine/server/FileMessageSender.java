package dev.taskengine.server;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.taskengine.adapter.http.HttpApi;
import dev.taskengine.spi.Delivery;
import dev.taskengine.spi.MessageSender;
import dev.taskengine.spi.OutgoingMessage;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server's built-in sender: appends every email and SMS it is asked to send to a file, one JSON object per line,
 * and reports it delivered. It honours idempotency keys: a message whose key is already in the file (written by this
 * run or an earlier one) is acknowledged as delivered and not written again. It keeps every key in memory as a 128-bit
 * digest ({@link KeyDigests}, 21 to 43 bytes a message): a resend may come days after its first send (a taken-over
 * execution the sending policy deferred), so none may be forgotten. A real provider plugs in through the {@link MessageSender} port instead.
 *
 * <p>A line: {@code idempotencyKey, sentAt, tenant, taskId, channel (email|sms), emailAccountId, to, subject, body,
 * attachmentIds, providerMessageId}.
 */
public final class FileMessageSender implements MessageSender, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FileMessageSender.class.getName());

    private final Path file;
    private final Clock clock;
    private final ObjectMapper mapper = HttpApi.objectMapper();
    private final KeyDigests written = new KeyDigests();

    private final FileChannel channel;

    public FileMessageSender(Path file, Clock clock) {
        this.file = file;
        this.clock = clock;
        try {
            Path parent = file.toAbsolutePath().getParent();
            if (parent != null) {
                Files.createDirectories(parent);
            }
            if (Files.exists(file)) {
                try (BufferedReader lines = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                    int number = 0;
                    for (String line; (line = lines.readLine()) != null; ) {
                        remember(line, ++number);
                    }
                }
            }
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the sent-messages file " + file, e);
        }
    }

    private void remember(String line, int number) {
        if (line.isBlank()) {
            return;
        }
        try {
            JsonNode key = mapper.readTree(line).get("idempotencyKey");
            if (key != null && key.isTextual()) {
                written.add(key.textValue());
                return;
            }
        } catch (IOException e) {
            // below
        }
        LOG.log(System.Logger.Level.WARNING, file + " line " + number + " holds no message; ignored");
    }

    public Path file() {
        return file;
    }

    @Override
    public synchronized Delivery send(OutgoingMessage message) {
        String providerId = "file:" + message.idempotencyKey();
        if (written.contains(message.idempotencyKey())) {
            return Delivery.delivered(providerId);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("idempotencyKey", message.idempotencyKey());
        line.put("sentAt", clock.instant().truncatedTo(ChronoUnit.MICROS));
        line.put("tenant", message.tenant().value());
        line.put("taskId", message.taskId().value());
        line.put("channel", message.channel().name().toLowerCase(Locale.ROOT));
        line.put("emailAccountId", message.emailAccount().map(a -> a.value()).orElse(null));
        line.put("to", message.to());
        line.put("subject", message.subject().orElse(null));
        line.put("body", message.body());
        line.put("attachmentIds", message.attachmentIds());
        line.put("providerMessageId", providerId);
        try {
            byte[] bytes = (mapper.writeValueAsString(line) + "\n").getBytes(StandardCharsets.UTF_8);
            ByteBuffer buffer = ByteBuffer.wrap(bytes);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(false);
        } catch (IOException e) {
            return Delivery.transientFailure("the sent-messages file could not be written: " + e.getMessage());
        }
        written.add(message.idempotencyKey());
        return Delivery.delivered(providerId);
    }

    @Override
    public synchronized void close() {
        try {
            channel.close();
        } catch (IOException e) {
            LOG.log(System.Logger.Level.WARNING, "closing " + file + " failed", e);
        }
    }
}
