package dev.taskengine.bench.production;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.IntStream;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The server under half its capacity of a mixed workload for 20 minutes, its scheduler sending: are heap, threads and
 * p99 latency at the end what they were at the start, without an error? See {@link #description()}.
 */
public final class SoakWorkload implements Workload {
    static final int CONNECTIONS = 32;
    /** Intervals at each end that are compared: the first two minutes with the last two. */
    private static final int WINDOW = 2;
    /** A scheduled send is expected once it has been due this long when the server stops. */
    private static final Duration SEND_GRACE = Duration.ofSeconds(10);

    private enum Kind {
        CREATE,
        SCHEDULE,
        GET,
        FIRST_PAGE,
        COMPLETE
    }

    /** Ten requests of the mix, repeated; as many completes as plain creates, so the active tasks stay as many. */
    private static final List<Kind> MIX = List.of(
            Kind.CREATE,
            Kind.GET,
            Kind.COMPLETE,
            Kind.GET,
            Kind.FIRST_PAGE,
            Kind.CREATE,
            Kind.GET,
            Kind.COMPLETE,
            Kind.GET,
            Kind.SCHEDULE);

    @Override
    public String name() {
        return "soak";
    }

    @Override
    public String description() {
        return "20 minutes (a full run) of the runnable server in a JVM of its own with this JVM's heap and GC flags, on"
                + " a fresh PostgreSQL schema, with its defaults: scheduler (polling every second, 2 workers), webhooks"
                + " (the outbox written and relayed), the file sender. The mix, per 10 requests over " + CONNECTIONS
                + " connections: 2 creates, 1 create of a scheduled email due 30 s later for the server's scheduler to"
                + " send, 4 gets of recent tasks, 1 first page of \"my tasks now\" (50 tasks), 2 completes of the oldest"
                + " open tasks. A closed-loop shot of the mix (20 s warm-up, 30 s measured) measures capacity; then an"
                + " open loop sends the mix at half that rate, each request timed from its intended start (coordinated"
                + " omission corrected, HdrHistogram). Each minute: p50 and p99 latency, the server's live heap after"
                + " a full GC (the total of `jcmd GC.class_histogram`, taken at the start of each minute) and its"
                + " thread count (/proc). Start is the first " + WINDOW + " minutes, end the last " + WINDOW
                + "; targets: end/start ≤ 1.10 for each, and no error (every non-2xx answer and every exception of the"
                + " capacity shot and the soak). The scheduled sends' lateness (sent − due) is read from the"
                + " sent-messages file; the exhibit lists what grew in the live heap from the first minute to the"
                + " last.";
    }

    @Override
    public void run(Scale scale, Report report) throws Exception {
        Duration interval = scale.pick(Duration.ofSeconds(2), Duration.ofMinutes(1));
        int intervals = scale.pick(5, 20);
        Mix mix = new Mix(scale.pick(Duration.ofSeconds(2), Duration.ofSeconds(30)));
        ClosedLoop capacityShot = new ClosedLoop(
                CONNECTIONS,
                scale.pick(Duration.ofSeconds(1), Duration.ofSeconds(20)),
                scale.pick(Duration.ofSeconds(1), Duration.ofSeconds(30)));
        try (ServerFork server = ServerFork.start(ServerFork.freshPostgres("bench_soak"), List.of())) {
            List<TaskApiClient> clients = IntStream.range(0, CONNECTIONS)
                    .mapToObj(i -> server.client())
                    .toList();
            mix.seed(clients.get(0), scale.pick(64, 500));
            ClosedLoop.Shot capacity = capacityShot.run(k -> n -> mix.call(clients.get(k), k + n), List.of(), () -> {});
            server.requireRunning();
            double rate = capacity.perSecond() / 2;
            report.row(name(), "server", Map.of("phase", "capacity"), "mix throughput", capacity.perSecond(), "req/s");
            report.row(name(), "server", Map.of("phase", "soak"), "rate", rate, "req/s");

            Soaked soaked = soak(server, clients, mix, rate, interval, intervals);
            if (soaked.unfinished() > 0) {
                // The server's JVM, and with it what it printed, ends with this workload: keep both for the reader.
                System.err.println("soak: the server's last output lines:\n" + server.output());
                System.err.println("soak: the server's threads:\n" + JvmSample.jcmd(server.pid(), "Thread.print"));
            }
            server.stop();
            Instant stopped = Instant.now();

            reportIntervals(report, interval, soaked.latencies(), soaked.samples());
            reportTargets(report, rate, soaked.latencies(), soaked.samples(), soaked.errors(), capacity.errors());
            report.row(name(), "server", Map.of("phase", "soak"), "connections", soaked.connections(), "");
            report.row(
                    name(),
                    "server",
                    Map.of("phase", "soak"),
                    "requests not finished a minute after the end",
                    soaked.unfinished(),
                    "");
            for (Kind kind : Kind.values()) {
                Histogram latency = soaked.byKind().get(kind);
                report.row(
                        name(),
                        "server",
                        Map.of("operation", kind.name().toLowerCase(Locale.ROOT).replace('_', '-')),
                        "p99 over the soak",
                        Latency.ms(latency, 99),
                        "ms");
            }
            reportScheduledSends(report, mix, server.sentMessages(), stopped);
            report.exhibit(
                    name(),
                    "soak: what grew in the server's live heap from the end of minute 1 to the end (top 15 classes)",
                    soaked.samples().get(intervals).growthSince(soaked.samples().get(1), 15));
        }
    }

    /**
     * What the open loop measured: the latency of each interval, the server sampled when the loop opened and at the end
     * of each interval, the latency of each kind of request over the whole soak, the failed requests, and the
     * connections open during the first interval.
     */
    private record Soaked(
            List<Histogram> latencies,
            List<JvmSample> samples,
            Map<Kind, Histogram> byKind,
            ErrorCounts errors,
            int connections,
            long unfinished) {}

    /**
     * The mix at {@code rate} for {@code intervals} intervals; the server is sampled (a full GC) when the loop opens and
     * after each interval, so that every interval holds one such pause.
     */
    private static Soaked soak(
            ServerFork server, List<TaskApiClient> clients, Mix mix, double rate, Duration interval, int intervals)
            throws IOException, InterruptedException {
        Recorder all = Latency.recorder();
        Map<Kind, Recorder> byKind = new EnumMap<>(Kind.class);
        for (Kind kind : Kind.values()) {
            byKind.put(kind, Latency.recorder());
        }
        ErrorCounts errors = new ErrorCounts();
        long start = System.nanoTime() + Duration.ofMillis(100).toNanos();
        OpenLoop.Running running = new OpenLoop(CONNECTIONS, rate)
                .start(
                        start,
                        start + interval.toNanos() * intervals,
                        k -> index -> mix.call(clients.get(k), index),
                        (index, micros) -> {
                            all.recordValue(micros);
                            byKind.get(Mix.kind(index)).recordValue(micros);
                        },
                        errors);
        try {
            List<Histogram> latencies = new ArrayList<>();
            List<JvmSample> samples = new ArrayList<>();
            ClosedLoop.sleepUntil(start);
            samples.add(JvmSample.of(server.pid()));
            int connections = server.connections();
            long unfinished = 0;
            for (int i = 1; i <= intervals; i++) {
                ClosedLoop.sleepUntil(start + interval.toNanos() * i);
                if (i == intervals) {
                    // The requests still under way belong to the last interval, and so do those a caller behind its
                    // schedule had yet to send: a minute on, those not finished count as errors, with their lateness.
                    unfinished = running.join(Duration.ofMinutes(1));
                }
                latencies.add(all.getIntervalHistogram());
                server.requireRunning();
                samples.add(JvmSample.of(server.pid()));
            }
            Map<Kind, Histogram> totals = new EnumMap<>(Kind.class);
            byKind.forEach((kind, recorder) -> totals.put(kind, recorder.getIntervalHistogram()));
            return new Soaked(latencies, samples, totals, errors, connections, unfinished);
        } finally {
            running.interrupt();
        }
    }

    private void reportIntervals(Report report, Duration interval, List<Histogram> latencies, List<JvmSample> samples) {
        List<Report.Point> p50 = new ArrayList<>();
        List<Report.Point> p99 = new ArrayList<>();
        List<Report.Point> heap = new ArrayList<>();
        for (int i = 0; i < samples.size(); i++) {
            double minute = interval.toMillis() * i / 60_000.0;
            Map<String, String> at = Map.of("minute", Report.number(minute));
            JvmSample sample = samples.get(i);
            if (i > 0) {
                Histogram latency = latencies.get(i - 1);
                report.row(name(), "server", at, "requests", latency.getTotalCount(), "");
                report.row(name(), "server", at, "p50", Latency.ms(latency, 50), "ms");
                report.row(name(), "server", at, "p99", Latency.ms(latency, 99), "ms");
                p50.add(new Report.Point(minute, Latency.ms(latency, 50)));
                p99.add(new Report.Point(minute, Latency.ms(latency, 99)));
            }
            report.row(name(), "server", at, "live heap", sample.liveMiB(), "MiB");
            report.row(name(), "server", at, "threads", sample.threads(), "");
            heap.add(new Report.Point(minute, sample.liveMiB()));
        }
        report.figure(new Report.Figure(
                "soak",
                "Soak: latency per minute at half capacity (open loop, from intended start)",
                "minute",
                "ms",
                false,
                true,
                List.of(new Report.Series("p50", p50), new Report.Series("p99", p99))));
        report.figure(new Report.Figure(
                "soak-heap",
                "Soak: the server's live heap after a full GC",
                "minute",
                "MiB",
                false,
                false,
                List.of(new Report.Series("live heap", heap))));
    }

    private void reportTargets(
            Report report,
            double rate,
            List<Histogram> latencies,
            List<JvmSample> samples,
            ErrorCounts errors,
            ErrorCounts capacityErrors) {
        int n = latencies.size();
        Histogram startLatency = merged(latencies.subList(0, WINDOW));
        Histogram endLatency = merged(latencies.subList(n - WINDOW, n));
        String window = String.format(Locale.ROOT, "first %d intervals against the last %d", WINDOW, WINDOW);
        ratioTarget(
                report,
                "p99 latency",
                Latency.ms(startLatency, 99),
                Latency.ms(endLatency, 99),
                "ms",
                String.format(
                        Locale.ROOT, "p99 of all requests at %,.0f req/s (from intended start), %s", rate, window));
        ratioTarget(
                report,
                "live heap after a full GC",
                mean(samples.subList(1, 1 + WINDOW), JvmSample::liveMiB),
                mean(samples.subList(samples.size() - WINDOW, samples.size()), JvmSample::liveMiB),
                "MiB",
                "mean of the jcmd GC.class_histogram totals at the end of the " + window);
        ratioTarget(
                report,
                "server threads",
                mean(samples.subList(1, 1 + WINDOW), JvmSample::threads),
                mean(samples.subList(samples.size() - WINDOW, samples.size()), JvmSample::threads),
                "",
                "mean of /proc/<pid>/status Threads at the end of the " + window);
        long requests = latencies.stream().mapToLong(Histogram::getTotalCount).sum();
        long failed = errors.total() + capacityErrors.total();
        report.row(name(), "server", Map.of("phase", "soak"), "requests", requests, "");
        report.row(name(), "server", Map.of("phase", "soak"), "errors", errors.total(), "");
        report.row(name(), "server", Map.of("phase", "capacity"), "errors", capacityErrors.total(), "");
        report.target(new Report.Target(
                name(),
                "no error",
                failed,
                "errors",
                0,
                false,
                String.format(
                        Locale.ROOT,
                        "every non-2xx answer and every exception, of %,d soak requests and the capacity shot: %s",
                        requests,
                        failed == 0
                                ? "none"
                                : "soak " + errors.describe() + "; capacity shot " + capacityErrors.describe())));
    }

    private void ratioTarget(Report report, String metric, double start, double end, String unit, String how) {
        report.target(new Report.Target(
                name(),
                metric + " at the end within 10 % of the start",
                end / start,
                "× (end/start)",
                1.10,
                false,
                String.format(Locale.ROOT, "%s → %s %s; %s", Report.number(start), Report.number(end), unit, how)));
    }

    /**
     * The scheduled sends, from the sent-messages file: how many fell due long enough before the server stopped to be
     * sent, how many of those were, and their lateness (sent − due).
     */
    private void reportScheduledSends(Report report, Mix mix, Path sentMessages, Instant stopped) throws IOException {
        Map<Long, Instant> sent = new java.util.HashMap<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(sentMessages)) {
            if (!line.isBlank()) {
                JsonNode message = json.readTree(line);
                sent.put(
                        message.get("taskId").asLong(),
                        Instant.parse(message.get("sentAt").asText()));
            }
        }
        Instant expectedBefore = stopped.minus(SEND_GRACE);
        Histogram lateness = Latency.histogram();
        long due = 0;
        long missing = 0;
        for (Map.Entry<Long, Instant> task : mix.scheduled.entrySet()) {
            Instant dueAt = task.getValue();
            Instant sentAt = sent.get(task.getKey());
            if (sentAt != null) {
                lateness.recordValue(Math.max(1, ChronoUnit.MICROS.between(dueAt, sentAt)));
            }
            if (dueAt.isBefore(expectedBefore)) {
                due++;
                if (sentAt == null) {
                    missing++;
                }
            }
        }
        Map<String, String> scheduled = Map.of("phase", "soak");
        report.row(name(), "scheduler", scheduled, "scheduled sends due", due, "");
        report.row(name(), "scheduler", scheduled, "of them not sent", missing, "");
        report.row(name(), "scheduler", scheduled, "lateness p50", Latency.ms(lateness, 50), "ms");
        report.row(name(), "scheduler", scheduled, "lateness p99", Latency.ms(lateness, 99), "ms");
        report.row(name(), "scheduler", scheduled, "lateness max", Latency.maxMs(lateness), "ms");
        if (missing > 0) {
            report.note(String.format(
                    Locale.ROOT,
                    "soak: %d of %d scheduled sends due more than %d s before the server stopped were not sent",
                    missing,
                    due,
                    SEND_GRACE.toSeconds()));
        }
    }

    private static Histogram merged(List<Histogram> histograms) {
        Histogram merged = Latency.histogram();
        histograms.forEach(merged::add);
        return merged;
    }

    private static double mean(List<JvmSample> samples, java.util.function.ToDoubleFunction<JvmSample> value) {
        return samples.stream().mapToDouble(value).average().orElseThrow();
    }

    /**
     * The mix's requests and what they share: the open tasks to complete (oldest first), the recent tasks to read, the
     * scheduled tasks with their due times.
     */
    private static final class Mix {
        private final Duration lead;
        private final Queue<Long> open = new ConcurrentLinkedQueue<>();
        private final RecentIds recent = new RecentIds(1_000);
        private final Map<Long, Instant> scheduled = new ConcurrentHashMap<>();

        Mix(Duration lead) {
            this.lead = lead;
        }

        static Kind kind(long index) {
            return MIX.get((int) (index % MIX.size()));
        }

        /** Open tasks for the first completes, before the creates of the mix have made any. */
        void seed(TaskApiClient client, int tasks) throws IOException, InterruptedException {
            for (int i = 0; i < tasks; i++) {
                created(client.create(Instant.now(), false));
            }
        }

        void call(TaskApiClient client, long index) throws IOException, InterruptedException {
            switch (kind(index)) {
                case CREATE -> created(client.create(Instant.now(), false));
                case SCHEDULE -> {
                    Instant due = Instant.now().plus(lead).truncatedTo(ChronoUnit.MICROS);
                    scheduled.put(client.create(due, true), due);
                }
                case GET -> client.get(recent.any());
                case FIRST_PAGE -> client.firstPage();
                case COMPLETE -> {
                    Long id = open.poll();
                    if (id == null) {
                        throw new IllegalStateException("no open task left to complete: seed more");
                    }
                    client.complete(id);
                }
            }
        }

        private void created(long id) {
            open.add(id);
            recent.offer(id);
        }
    }
}
