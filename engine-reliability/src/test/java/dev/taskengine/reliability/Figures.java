package dev.taskengine.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The suite's figures: each printed as one line starting with "RELIABILITY" (or "POLICY", for the sending-policy
 * proof, or "WEBHOOK", for the webhook proof) and appended to
 * {@code target/reliability-figures.txt}, which RELIABILITY.md is written from.
 */
final class Figures {
    private static final Path FILE = Path.of("target", "reliability-figures.txt");

    private Figures() {}

    static void report(String format, Object... args) {
        reportAs("RELIABILITY", format, args);
    }

    /** A figure of the sending-policy proof: a line starting with "POLICY". */
    static void policy(String format, Object... args) {
        reportAs("POLICY", format, args);
    }

    /** A figure of the webhook proof: a line starting with "WEBHOOK". */
    static void webhook(String format, Object... args) {
        reportAs("WEBHOOK", format, args);
    }

    private static synchronized void reportAs(String prefix, String format, Object... args) {
        String line = prefix + " " + String.format(java.util.Locale.ROOT, format, args);
        System.out.println(line);
        try {
            Files.createDirectories(FILE.getParent());
            Files.writeString(
                    FILE,
                    line + System.lineSeparator(),
                    StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE,
                    StandardOpenOption.APPEND);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
