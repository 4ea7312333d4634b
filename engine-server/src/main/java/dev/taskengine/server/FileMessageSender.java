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
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The server's built-in sender: appends every email and SMS it is asked to send to a file, one JSON object per line,
 * and reports it delivered. It honours idempotency keys: a message whose key it wrote within {@link #REMEMBERED_FOR}
 * (in this run or an earlier one) is acknowledged as delivered and not written again. A real provider plugs in through
 * the {@link MessageSender} port instead.
 *
 * <p>An engine resends under the same key only an execution whose outcome it lost: once its lease (15 s by default)
 * ran out, or 5 minutes after a by-hand execution was recorded; and after a restart, the executions under way at the
 * crash, the last lines of the file. So the keys of the last {@link #REMEMBERED_FOR} before the latest send are kept,
 * on start too, and older ones let go: memory bounded by the send rate, not by every message ever sent.
 *
 * <p>A line: {@code idempotencyKey, sentAt, tenant, taskId, channel (email|sms), emailAccountId, to, subject, body,
 * attachmentIds, providerMessageId}.
 */
public final class FileMessageSender implements MessageSender, AutoCloseable {
    private static final System.Logger LOG = System.getLogger(FileMessageSender.class.getName());

    private final Path file;
    private final Clock clock;
    private final ObjectMapper mapper = HttpApi.objectMapper();
    /** Twice the longest wait before a default engine resends (a by-hand execution's five minutes). */
    static final Duration REMEMBERED_FOR = Duration.ofMinutes(10);

    /** The keys written, with when, oldest first. */
    private final LinkedHashMap<String, Instant> written = new LinkedHashMap<>();

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
            JsonNode message = mapper.readTree(line);
            JsonNode key = message.get("idempotencyKey");
            JsonNode sentAt = message.get("sentAt");
            if (key != null && key.isTextual() && sentAt != null && sentAt.isTextual()) {
                keep(key.textValue(), Instant.parse(sentAt.textValue()));
                return;
            }
        } catch (IOException | DateTimeParseException e) {
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
        if (written.containsKey(message.idempotencyKey())) {
            return Delivery.delivered(providerId);
        }
        Map<String, Object> line = new LinkedHashMap<>();
        line.put("idempotencyKey", message.idempotencyKey());
        Instant sentAt = clock.instant().truncatedTo(ChronoUnit.MICROS);
        line.put("sentAt", sentAt);
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
        keep(message.idempotencyKey(), sentAt);
        return Delivery.delivered(providerId);
    }

    /** Keeps {@code key} as written at {@code sentAt} and lets go of the keys older than the window before it. */
    private void keep(String key, Instant sentAt) {
        written.put(key, sentAt);
        Instant horizon = sentAt.minus(REMEMBERED_FOR);
        for (Iterator<Instant> oldest = written.values().iterator(); oldest.hasNext(); ) {
            if (!oldest.next().isBefore(horizon)) {
                return;
            }
            oldest.remove();
        }
    }

    /** How many keys it keeps now. */
    int rememberedKeys() {
        return written.size();
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
