package dev.taskengine.bench;

import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.results.format.ResultFormatType;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.ChainedOptionsBuilder;
import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;

/**
 * Runs the benchmarks and prints each target of issues 6 and 13 with its ratio.
 *
 * <pre>
 * java -jar engine-bench/target/benchmarks.jar                 every benchmark, heap per task, the summary
 * java -jar engine-bench/target/benchmarks.jar [JMH options]   the same with JMH's options (e.g. LifecycleBenchmark -p target=engine-h2);
 *                                                              heap per task only when no benchmark is named
 * java -jar engine-bench/target/benchmarks.jar heap [n]        heap per task only (each target in a JVM of its own)
 * java -jar engine-bench/target/benchmarks.jar smoke           every benchmark once, in this JVM, at the smallest sizes
 * java -jar engine-bench/target/benchmarks.jar jmh [options]   plain JMH (org.openjdk.jmh.Main)
 * java -jar engine-bench/target/benchmarks.jar production [--smoke] [workload…]
 *                                                              the production-shaped workloads (ProductionMain)
 * </pre>
 *
 * The full run writes JMH's JSON results to {@code bench-results.json} and the summary to {@code bench-summary.md} in the
 * working directory (override with {@code -Dbench.out=folder}).
 */
public final class BenchMain {
    /** The benchmark classes, in the order they run. */
    public static final List<Class<?>> BENCHMARKS = List.of(
            LifecycleBenchmark.class,
            GetBenchmark.class,
            RenderBenchmark.class,
            SchedulerBenchmark.class,
            ClaimBenchmark.class,
            FirstPageBenchmark.class,
            SequenceReassignBenchmark.class,
            ColdStartBenchmark.class);

    static final int HEAP_TASKS = 20_000;

    private BenchMain() {}

    public static void main(String[] args) throws Exception {
        String command = args.length == 0 ? "" : args[0];
        switch (command) {
            case "jmh" -> org.openjdk.jmh.Main.main(Arrays.copyOfRange(args, 1, args.length));
            case "heap" ->
                System.out.print(
                        Summary.heapTable(heapInForkedJvms(args.length > 1 ? Integer.parseInt(args[1]) : HEAP_TASKS)));
            case "smoke" -> smoke(System.out);
            case "production" ->
                dev.taskengine.bench.production.ProductionMain.main(Arrays.copyOfRange(args, 1, args.length));
            default -> full(args);
        }
    }

    private static void full(String[] args)
            throws RunnerException, IOException, InterruptedException, CommandLineOptionException {
        CommandLineOptions cli = new CommandLineOptions(args);
        Path out = Path.of(System.getProperty("bench.out", "."));
        Files.createDirectories(out);
        ChainedOptionsBuilder options = new OptionsBuilder()
                .parent(cli)
                .resultFormat(ResultFormatType.JSON)
                .result(out.resolve("bench-results.json").toString());
        if (cli.getIncludes().isEmpty()) {
            BENCHMARKS.forEach(b -> options.include(b.getName()));
        }
        long started = System.nanoTime();
        Collection<RunResult> results = new Runner(options.build()).run();
        Map<String, Double> heap = cli.getIncludes().isEmpty() ? heapInForkedJvms(HEAP_TASKS) : Map.of();
        String summary = Summary.render(
                results, heap, Machine.describe(), String.join(" ", args), (System.nanoTime() - started) / 1e9);
        Files.writeString(out.resolve("bench-summary.md"), summary, StandardCharsets.UTF_8);
        System.out.println();
        System.out.println(summary);
    }

    /** Heap per task of every target, each measured in a JVM of its own (same heap settings). */
    static Map<String, Double> heapInForkedJvms(int tasks) throws IOException, InterruptedException {
        Map<String, Double> perTask = new LinkedHashMap<>();
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (String target : HeapFootprint.TARGETS) {
            Process process = new ProcessBuilder(
                            java,
                            "-Xms1g",
                            "-Xmx2g",
                            "-cp",
                            System.getProperty("java.class.path"),
                            HeapFootprint.class.getName(),
                            target,
                            Integer.toString(tasks))
                    .redirectErrorStream(true)
                    .start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(10, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("heap measurement of " + target + " failed:\n" + output);
            }
            for (String line : output.split("\n")) {
                if (line.startsWith("heap-per-task ")) {
                    String[] parts = line.trim().split(" ");
                    perTask.put(parts[1], Double.parseDouble(parts[2]));
                    System.out.println("# " + line.trim());
                }
            }
        }
        return perTask;
    }

    /**
     * Every benchmark method of every class once, in this JVM (no fork, no warm-up, one very short iteration), at the
     * smallest sizes; PostgreSQL targets only when a server answers (on CI, {@code CI=true}, one must). Then heap per
     * task over a few tasks. Answers what ran; asserts nothing about timings.
     */
    public static SmokeReport smoke(java.io.PrintStream log) throws Exception {
        String wasSmoke = System.setProperty(Databases.SMOKE, "true");
        try {
            return smokeRun(log);
        } finally {
            FlowablePeer.closeShared();
            if (wasSmoke == null) {
                System.clearProperty(Databases.SMOKE);
            } else {
                System.setProperty(Databases.SMOKE, wasSmoke);
            }
        }
    }

    private static SmokeReport smokeRun(java.io.PrintStream log) throws Exception {
        boolean postgres = Databases.postgresUnreachable().isEmpty();
        if (!postgres) {
            String why = "no PostgreSQL server at " + Databases.PG_URL + " ("
                    + Databases.postgresUnreachable().get() + ")";
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                throw new IllegalStateException(
                        "the benchmark smoke run must cover PostgreSQL on CI, but there is " + why);
            }
            log.println("benchmark smoke: PostgreSQL targets skipped: " + why
                    + ". Set TASKENGINE_PG_URL, TASKENGINE_PG_USER"
                    + " and TASKENGINE_PG_PASSWORD, or run `bash .ci/run`, which installs and starts PostgreSQL.");
        }
        List<RunResult> results = new ArrayList<>();
        Map<String, Integer> expected = new LinkedHashMap<>();
        for (Class<?> benchmark : BENCHMARKS) {
            if ((benchmark == SchedulerBenchmark.class || benchmark == ClaimBenchmark.class) && !postgres) {
                continue;
            }
            ChainedOptionsBuilder options = new OptionsBuilder()
                    .include(benchmark.getName() + "\\.")
                    .forks(0)
                    .warmupIterations(0)
                    .measurementIterations(1)
                    .measurementTime(TimeValue.milliseconds(20))
                    .shouldFailOnError(true)
                    .verbosity(VerboseMode.SILENT);
            int combinations = 1;
            for (Field field : benchmark.getFields()) {
                Param param = field.getAnnotation(Param.class);
                if (param == null) {
                    continue;
                }
                List<String> values = smokeValues(field.getName(), param.value(), postgres);
                options.param(field.getName(), values.toArray(String[]::new));
                combinations *= values.size();
            }
            long methods = Arrays.stream(benchmark.getMethods())
                    .filter(m -> m.isAnnotationPresent(org.openjdk.jmh.annotations.Benchmark.class))
                    .count();
            expected.put(benchmark.getSimpleName(), (int) (combinations * methods));
            long started = System.nanoTime();
            Collection<RunResult> ran = new Runner(options.build()).run();
            log.printf(
                    Locale.ROOT,
                    "benchmark smoke: %-26s %2d runs in %5.1f s%n",
                    benchmark.getSimpleName(),
                    ran.size(),
                    (System.nanoTime() - started) / 1e9);
            results.addAll(ran);
        }
        Map<String, Double> heap = new LinkedHashMap<>();
        long started = System.nanoTime();
        for (String target : HeapFootprint.TARGETS) {
            heap.put(target, HeapFootprint.measure(target, 200));
        }
        log.printf(
                Locale.ROOT,
                "benchmark smoke: %-26s %2d runs in %5.1f s%n",
                "HeapFootprint",
                heap.size(),
                (System.nanoTime() - started) / 1e9);
        return new SmokeReport(results, expected, heap);
    }

    /** What a smoke run did: JMH's results, how many runs each class should have made, heap per task (not meaningful at this size). */
    public record SmokeReport(
            List<RunResult> results, Map<String, Integer> expectedRuns, Map<String, Double> heapPerTask) {}

    private static List<String> smokeValues(String name, String[] declared, boolean postgres) {
        switch (name) {
            case "tasks", "sequenceTasks" -> {
                return List.of(declared[0]);
            }
            case "backlog" -> {
                return List.of("20");
            }
            case "deferred" -> {
                return List.of("0", "1000");
            }
            case "stored" -> {
                return List.of("10");
            }
            case "pollMillis" -> {
                return List.of("50");
            }
            default -> {
                return Arrays.stream(declared)
                        .filter(v -> postgres || !v.contains("postgresql"))
                        .toList();
            }
        }
    }
}
