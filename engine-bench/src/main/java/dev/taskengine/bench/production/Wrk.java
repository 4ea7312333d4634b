package dev.taskengine.bench.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * <a href="https://github.com/wg/wrk">wrk</a> (Debian's package {@code wrk}), the load generator, driving one kind of
 * request at full speed over a fixed number of connections, in a closed loop (each connection sends its next request
 * when its answer is in): a C event loop per thread, so that the driver takes little of the cores it shares with the
 * server. The request and the report of the run are Lua ({@code -s}); the report is one line of JSON that this class
 * reads back.
 */
final class Wrk {
    static final String COMMAND = "wrk";
    private static final String RESULT = "wrk-result ";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The latency percentiles a run reports, as HttpLoadWorkload draws them. */
    static final double[] PERCENTILES = {50, 75, 90, 95, 99, 99.5, 99.9, 99.95, 99.99};

    /**
     * What one run measured: the requests answered and over how long, their latency in milliseconds at each of {@link
     * #PERCENTILES} and at most, the failures by kind (a socket error, or an answer of 400 or more), and the CPU that
     * wrk and the server each spent from the start of the run to its end.
     */
    record Run(
            long requests,
            Duration measured,
            Map<Double, Double> percentilesMs,
            double maxMs,
            Map<String, Long> errors,
            Duration driverCpu,
            Duration serverCpu) {
        double perSecond() {
            return requests / (measured.toNanos() / 1e9);
        }

        long errorCount() {
            return errors.values().stream().mapToLong(Long::longValue).sum();
        }

        String describeErrors() {
            String failed = errors.entrySet().stream()
                    .filter(e -> e.getValue() > 0)
                    .map(e -> e.getKey() + " ×" + e.getValue())
                    .collect(Collectors.joining("; "));
            return failed.isEmpty() ? "none" : failed;
        }

        double driverCpuMsPerRequest() {
            return driverCpu.toNanos() / 1e6 / Math.max(1, requests);
        }

        double serverCpuMsPerRequest() {
            return serverCpu.toNanos() / 1e6 / Math.max(1, requests);
        }
    }

    /** One kind of request, as the Lua of a wrk script sets it up. */
    record Request(String lua) {
        /** {@code method path} with {@code body} (JSON), the same for every request. */
        static Request fixed(String method, String path, String key, String body) {
            return new Request("wrk.method = " + lua(method) + "\nwrk.path = " + lua(path)
                    + "\nwrk.headers[\"X-API-Key\"] = " + lua(key)
                    + "\nwrk.headers[\"Content-Type\"] = \"application/json\"\nwrk.body = " + lua(body) + "\n");
        }

        /** {@code GET prefix + id}, the id drawn at random from {@code ids} for each request. */
        static Request getAny(String prefix, String key, List<Long> ids) {
            String table = ids.stream().map(String::valueOf).collect(Collectors.joining(","));
            return new Request("wrk.headers[\"X-API-Key\"] = " + lua(key) + "\nlocal ids = {" + table + "}\n"
                    + "request = function()\n  return wrk.format(\"GET\", " + lua(prefix)
                    + " .. ids[math.random(#ids)])\nend\n");
        }

        private static String lua(String text) {
            StringBuilder quoted = new StringBuilder("\"");
            for (char c : text.toCharArray()) {
                switch (c) {
                    case '"' -> quoted.append("\\\"");
                    case '\\' -> quoted.append("\\\\");
                    case '\n' -> quoted.append("\\n");
                    default -> quoted.append(c);
                }
            }
            return quoted.append('"').toString();
        }
    }

    private Wrk() {}

    /** Fails, saying how to install it, when wrk is not on the PATH. */
    static void requireInstalled() throws InterruptedException {
        try {
            Process version = new ProcessBuilder(COMMAND, "--version")
                    .redirectErrorStream(true)
                    .start();
            version.getInputStream().readAllBytes();
            version.waitFor();
        } catch (IOException e) {
            throw new IllegalStateException(
                    "http-load drives the server with wrk, which is not installed: apt-get install wrk, or run `bash .ci/run`"
                            + " once, which installs it",
                    e);
        }
    }

    /**
     * Runs {@code request} against {@code server} over {@code connections} connections on {@code threads} threads for
     * {@code duration}; runs {@code midway} halfway through.
     */
    static Run run(ServerFork server, Request request, int connections, int threads, Duration duration, Runnable midway)
            throws IOException, InterruptedException {
        Path script = Files.createTempFile("taskengine-wrk-", ".lua");
        try {
            Files.writeString(script, request.lua() + REPORT, StandardCharsets.UTF_8);
            List<String> command = List.of(
                    COMMAND,
                    "-t" + threads,
                    "-c" + connections,
                    "-d" + Math.max(1, duration.toSeconds()) + "s",
                    "--timeout",
                    "30s",
                    "-s",
                    script.toString(),
                    server.base().toString());
            Duration serverBefore = ClosedLoop.cpu(server.handle());
            Process wrk = new ProcessBuilder(command).redirectErrorStream(true).start();
            // wrk's CPU is read while it runs (a process that has exited has none to read): every 50 ms, the last read
            // kept, which misses at most its last 50 ms.
            Duration[] driverCpu = {Duration.ZERO};
            Thread watcher = new Thread(
                    () -> {
                        long half = System.nanoTime() + duration.toNanos() / 2;
                        boolean midwayRan = false;
                        while (wrk.isAlive()) {
                            wrk.toHandle().info().totalCpuDuration().ifPresent(cpu -> driverCpu[0] = cpu);
                            if (!midwayRan && System.nanoTime() >= half) {
                                midway.run();
                                midwayRan = true;
                            }
                            try {
                                Thread.sleep(50);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "wrk-watcher");
            watcher.start();
            String output = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!wrk.waitFor(duration.toSeconds() + 60, TimeUnit.SECONDS)) {
                wrk.destroyForcibly();
                throw new IllegalStateException("wrk did not end a minute after its run: " + output);
            }
            Duration serverCpu = ClosedLoop.cpu(server.handle()).minus(serverBefore);
            watcher.join();
            if (wrk.exitValue() != 0) {
                throw new IllegalStateException("wrk failed (" + wrk.exitValue() + "): " + output);
            }
            return parse(output, driverCpu[0], serverCpu);
        } finally {
            Files.deleteIfExists(script);
        }
    }

    private static Run parse(String output, Duration driverCpu, Duration serverCpu) throws IOException {
        String line = output.lines()
                .filter(l -> l.startsWith(RESULT))
                .findFirst()
                .orElseThrow(() -> new IllegalStateException("no result in wrk's output: " + output));
        JsonNode result = JSON.readTree(line.substring(RESULT.length()));
        Map<Double, Double> percentiles = new LinkedHashMap<>();
        for (double p : PERCENTILES) {
            percentiles.put(p, result.get("percentiles").get(key(p)).asDouble() / 1000);
        }
        Map<String, Long> errors = new LinkedHashMap<>();
        result.get("errors")
                .fields()
                .forEachRemaining(e -> errors.put(e.getKey(), e.getValue().asLong()));
        return new Run(
                result.get("requests").asLong(),
                Duration.ofNanos(result.get("duration_us").asLong() * 1000),
                percentiles,
                result.get("max_us").asDouble() / 1000,
                errors,
                driverCpu,
                serverCpu);
    }

    private static String key(double percentile) {
        return percentile == Math.rint(percentile) ? Long.toString((long) percentile) : Double.toString(percentile);
    }

    /** The Lua that reports a run as one line of JSON: counts, times in microseconds. */
    private static final String REPORT;

    static {
        List<String> percentiles = new ArrayList<>();
        for (double p : PERCENTILES) {
            percentiles.add("string.format('\"%s\":%d', '" + key(p) + "', latency:percentile(" + p + "))");
        }
        REPORT = "\ndone = function(summary, latency, requests)\n"
                + "  local e = summary.errors\n"
                + "  io.write(string.format('" + RESULT + "{\"requests\":%d,\"duration_us\":%d,\"max_us\":%d,'"
                + " .. '\"errors\":{\"connect\":%d,\"read\":%d,\"write\":%d,\"status 400 or more\":%d,\"timeout\":%d},'"
                + " .. '\"percentiles\":{', summary.requests, summary.duration, latency.max, e.connect, e.read,"
                + " e.write, e.status, e.timeout))\n"
                + "  io.write(table.concat({" + String.join(", ", percentiles) + "}, ','))\n"
                + "  io.write('}}\\n')\n"
                + "end\n";
    }
}
