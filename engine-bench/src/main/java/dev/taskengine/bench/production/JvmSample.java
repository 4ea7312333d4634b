package dev.taskengine.bench.production;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Another JVM's live heap and thread count at one moment. The heap is the total of {@code jcmd <pid>
 * GC.class_histogram}, which runs a full GC and counts what survives it: the live objects' bytes, whatever the collector
 * (its per-class figures are kept, to show what grew between two samples). The threads are the process's, from {@code
 * /proc/<pid>/status} (the JVM's own included).
 */
record JvmSample(long liveBytes, int threads, Map<String, Long> bytesByClass) {
    private static final Pattern CLASS_LINE = Pattern.compile("^\\s*\\d+:\\s+\\d+\\s+(\\d+)\\s+(\\S+)");
    private static final Pattern TOTAL_LINE = Pattern.compile("^Total\\s+\\d+\\s+(\\d+)");
    private static final int JCMD_TIMEOUT_SECONDS = 120;

    static JvmSample of(long pid) throws IOException, InterruptedException {
        String histogram = jcmd(pid, "GC.class_histogram");
        Map<String, Long> bytesByClass = new HashMap<>();
        long total = -1;
        for (String line : histogram.split("\n")) {
            Matcher classLine = CLASS_LINE.matcher(line);
            if (classLine.find()) {
                bytesByClass.merge(classLine.group(2), Long.parseLong(classLine.group(1)), Long::sum);
            }
            Matcher totalLine = TOTAL_LINE.matcher(line);
            if (totalLine.find()) {
                total = Long.parseLong(totalLine.group(1));
            }
        }
        if (total < 0) {
            throw new IllegalStateException("no total in jcmd " + pid + " GC.class_histogram:\n" + histogram);
        }
        return new JvmSample(total, threads(pid), Map.copyOf(bytesByClass));
    }

    double liveMiB() {
        return liveBytes / (1024.0 * 1024.0);
    }

    /** The classes whose live bytes grew most from {@code earlier} to this sample, a line each. */
    String growthSince(JvmSample earlier, int classes) {
        List<Map.Entry<String, Long>> growth = bytesByClass.entrySet().stream()
                .map(e -> Map.entry(e.getKey(), e.getValue() - earlier.bytesByClass.getOrDefault(e.getKey(), 0L)))
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed())
                .limit(classes)
                .toList();
        StringBuilder text = new StringBuilder(String.format(
                Locale.ROOT,
                "live heap %,d → %,d bytes (%+,d)%n%12s  %s%n",
                earlier.liveBytes,
                liveBytes,
                liveBytes - earlier.liveBytes,
                "bytes",
                "class"));
        growth.forEach(e -> text.append(String.format(Locale.ROOT, "%+,12d  %s%n", e.getValue(), e.getKey())));
        return text.toString();
    }

    private static int threads(long pid) throws IOException {
        for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
            if (line.startsWith("Threads:")) {
                return Integer.parseInt(line.substring("Threads:".length()).trim());
            }
        }
        throw new IllegalStateException("no Threads line in /proc/" + pid + "/status");
    }

    /** What {@code jcmd <pid> <command>} prints; fails if it fails. */
    static String jcmd(long pid, String command) throws IOException, InterruptedException {
        String jcmd = Path.of(System.getProperty("java.home"), "bin", "jcmd").toString();
        Process process = new ProcessBuilder(jcmd, Long.toString(pid), command)
                .redirectErrorStream(true)
                .start();
        try {
            String printed = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(JCMD_TIMEOUT_SECONDS, TimeUnit.SECONDS) || process.exitValue() != 0) {
                throw new IllegalStateException("jcmd " + pid + " " + command + " failed:\n" + printed);
            }
            return printed;
        } finally {
            process.destroyForcibly();
        }
    }
}
