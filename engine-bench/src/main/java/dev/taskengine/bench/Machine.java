package dev.taskengine.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Properties;

/** What the benchmarks ran on: the machine, the JVM, the database server and the version of every library compared. */
public final class Machine {
    private Machine() {}

    public static String describe() {
        StringBuilder text = new StringBuilder();
        text.append(String.format(
                Locale.ROOT,
                "- machine: %d cores (nproc), %s memory, %s %s (%s)%n",
                Runtime.getRuntime().availableProcessors(),
                memory(),
                System.getProperty("os.name"),
                System.getProperty("os.version"),
                System.getProperty("os.arch")));
        text.append(String.format(
                Locale.ROOT,
                "- JVM: %s %s (%s), benchmark forks with the heap each benchmark sets%n",
                System.getProperty("java.vm.name"),
                System.getProperty("java.runtime.version"),
                System.getProperty("java.vm.vendor")));
        text.append("- PostgreSQL server: ")
                .append(Databases.postgresVersion())
                .append(" at ")
                .append(Databases.PG_URL)
                .append('\n');
        Properties versions = versions();
        text.append("- versions: ");
        text.append(String.join(
                ", ",
                versions.stringPropertyNames().stream()
                        .sorted()
                        .map(name -> name + " " + versions.getProperty(name))
                        .toList()));
        text.append('\n');
        return text.toString();
    }

    public static Properties versions() {
        Properties versions = new Properties();
        try (InputStream in = Machine.class.getResourceAsStream("versions.properties")) {
            if (in != null) {
                versions.load(in);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return versions;
    }

    private static String memory() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
                if (line.startsWith("MemTotal:")) {
                    long kib = Long.parseLong(line.replaceAll("\\D", ""));
                    return String.format(Locale.ROOT, "%.1f GiB", kib / 1024.0 / 1024.0);
                }
            }
        } catch (IOException | RuntimeException e) {
            // not Linux
        }
        return "unknown";
    }
}
