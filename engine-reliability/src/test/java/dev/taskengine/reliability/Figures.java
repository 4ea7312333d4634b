package dev.taskengine.reliability;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The suite's figures: each printed as one line starting with "RELIABILITY" and appended to
 * {@code target/reliability-figures.txt}, which RELIABILITY.md is written from.
 */
final class Figures {
    private static final Path FILE = Path.of("target", "reliability-figures.txt");

    private Figures() {}

    static synchronized void report(String format, Object... args) {
        String line = "RELIABILITY " + String.format(java.util.Locale.ROOT, format, args);
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
