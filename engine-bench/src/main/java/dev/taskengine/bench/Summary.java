package dev.taskengine.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;

/** The results of one run as Markdown: every score, then each target of issues 6 and 13 with its ratio, met or missed. */
public final class Summary {
    private final Collection<RunResult> results;
    private final Map<String, Double> heap;

    private Summary(Collection<RunResult> results, Map<String, Double> heap) {
        this.results = results;
        this.heap = heap;
    }

    public static String render(
            Collection<RunResult> results, Map<String, Double> heap, String machine, String args, double seconds) {
        Summary summary = new Summary(results, heap);
        StringBuilder text = new StringBuilder();
        text.append("## Run\n\n").append(machine);
        text.append(String.format(
                Locale.ROOT,
                "- command: `java -jar engine-bench/target/benchmarks.jar%s`, %.0f s in all%n%n",
                args.isBlank() ? "" : " " + args,
                seconds));
        text.append("## Results\n\n").append(summary.resultsTable()).append('\n');
        if (!heap.isEmpty()) {
            text.append(heapTable(heap)).append('\n');
        }
        text.append("## Targets\n\n").append(summary.targetsTable());
        return text.toString();
    }

    static String heapTable(Map<String, Double> heap) {
        StringBuilder text = new StringBuilder("| heap per stored task | bytes |\n|---|---:|\n");
        heap.forEach((target, bytes) -> text.append(String.format(Locale.ROOT, "| %s | %.0f |%n", target, bytes)));
        return text.toString();
    }

    private String resultsTable() {
        StringBuilder text = new StringBuilder("| benchmark | parameters | mode | score | ± error (99.9 %) | unit |\n"
                + "|---|---|---|---:|---:|---|\n");
        for (RunResult run : results) {
            BenchmarkParams params = run.getParams();
            Result<?> primary = run.getPrimaryResult();
            String parameters = params.getParamsKeys().stream()
                    .map(k -> k + "=" + params.getParam(k))
                    .collect(Collectors.joining(", "));
            text.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s | %s | %s | %s |%n",
                    shortName(params.getBenchmark()),
                    parameters,
                    params.getMode().shortLabel(),
                    number(primary.getScore()),
                    Double.isNaN(primary.getScoreError()) ? "" : number(primary.getScoreError()),
                    primary.getScoreUnit()));
        }
        return text.toString();
    }

    private record Target(
            String name, String goal, Optional<Double> ratio, boolean higherIsBetter, double threshold, String how) {
        String row() {
            String figure =
                    ratio.map(r -> String.format(Locale.ROOT, "%.2f×", r)).orElse("not measured");
            String verdict = ratio.map(r -> (higherIsBetter ? r >= threshold : r <= threshold) ? "met" : "**missed**")
                    .orElse("-");
            return "| " + name + " | " + goal + " | " + figure + " | " + verdict + " | " + how + " |\n";
        }
    }

    private String targetsTable() {
        List<Target> targets = new ArrayList<>();
        targets.add(new Target(
                "lifecycle H2 vs Flowable(audit) H2",
                "≥ 8×",
                ratio("LifecycleBenchmark.lifecycle", "target=engine-h2", "target=flowable-audit-h2"),
                true,
                8,
                "ops/s ÷ ops/s"));
        targets.add(new Target(
                "lifecycle H2 vs Flowable(none) H2",
                "≥ 3×",
                ratio("LifecycleBenchmark.lifecycle", "target=engine-h2", "target=flowable-none-h2"),
                true,
                3,
                "ops/s ÷ ops/s"));
        targets.add(new Target(
                "lifecycle H2 vs raw Jdbi H2",
                "≥ 0.7×",
                ratio("LifecycleBenchmark.lifecycle", "target=engine-h2", "target=jdbi-h2"),
                true,
                0.7,
                "ops/s ÷ ops/s"));
        targets.add(new Target(
                "lifecycle memory vs Flowable(audit) H2",
                "≥ 300×",
                ratio("LifecycleBenchmark.lifecycle", "target=engine-memory", "target=flowable-audit-h2"),
                true,
                300,
                "ops/s ÷ ops/s"));
        targets.add(new Target(
                "get with content H2 vs Flowable get by id H2",
                "≥ 5×",
                ratio("GetBenchmark.get", "target=engine-h2", "target=flowable-h2"),
                true,
                5,
                "ops/s ÷ ops/s"));
        targets.add(new Target(
                "render vs raw compiled handlebars",
                "≥ 0.5×",
                ratio("RenderBenchmark.engine", "", "RenderBenchmark.handlebarsCompiled", ""),
                true,
                0.5,
                "ops/s ÷ ops/s"));
        targets.add(new Target(
                "heap per task, memory adapter vs Flowable(none)",
                "≤ 0.5×",
                heap.containsKey("engine-memory") && heap.containsKey("flowable-none-h2")
                        ? Optional.of(heap.get("engine-memory") / heap.get("flowable-none-h2"))
                        : Optional.empty(),
                false,
                0.5,
                "bytes ÷ bytes"));
        targets.add(new Target(
                "scheduled execution vs db-scheduler, PostgreSQL",
                "≥ 1×",
                ratio("SchedulerBenchmark.executeBacklog", "target=db-scheduler", "target=engine"),
                true,
                1,
                "tasks/s ÷ tasks/s (= time ÷ time, inverted)"));
        targets.add(new Target(
                "scheduled execution, sending policy on but not binding vs off, PostgreSQL",
                "≥ 0.8×",
                ratio("SchedulerBenchmark.executeBacklog", "target=engine", "target=engine-policy"),
                true,
                0.8,
                "tasks/s ÷ tasks/s (= time ÷ time, inverted)"));
        targets.add(new Target(
                "claim of 50 due tasks beside 100k deferred vs none, PostgreSQL",
                "≤ 1.5×",
                ratio("ClaimBenchmark.claim", "deferred=100000", "deferred=0"),
                false,
                1.5,
                "µs ÷ µs"));
        targets.add(new Target(
                "first page at 1M vs 10k, H2",
                "≤ 1.5×",
                ratio("FirstPageBenchmark.firstPage", "db=h2,tasks=1000000", "db=h2,tasks=10000"),
                false,
                1.5,
                "µs ÷ µs"));
        targets.add(new Target(
                "first page at 1M vs 10k, PostgreSQL",
                "≤ 1.5×",
                ratio("FirstPageBenchmark.firstPage", "db=postgresql,tasks=1000000", "db=postgresql,tasks=10000"),
                false,
                1.5,
                "µs ÷ µs"));
        targets.add(new Target(
                "cold start vs Flowable's engine build, H2",
                "≤ 0.33×",
                ratio("ColdStartBenchmark.start", "target=engine-h2", "target=flowable-h2"),
                false,
                1.0 / 3,
                "ms ÷ ms"));
        StringBuilder text = new StringBuilder("| target | goal | ratio | verdict | from |\n|---|---|---:|---|---|\n");
        targets.forEach(t -> text.append(t.row()));
        text.append("\nFor comparison (no target):\n\n| ratio | value |\n|---|---:|\n");
        comparison(
                text,
                "lifecycle PostgreSQL vs Flowable(audit) PostgreSQL",
                ratio("LifecycleBenchmark.lifecycle", "target=engine-postgresql", "target=flowable-audit-postgresql"));
        comparison(
                text,
                "lifecycle PostgreSQL vs Flowable(none) PostgreSQL",
                ratio("LifecycleBenchmark.lifecycle", "target=engine-postgresql", "target=flowable-none-postgresql"));
        comparison(
                text,
                "lifecycle PostgreSQL vs raw Jdbi PostgreSQL",
                ratio("LifecycleBenchmark.lifecycle", "target=engine-postgresql", "target=jdbi-postgresql"));
        comparison(
                text,
                "get with content PostgreSQL vs Flowable get by id PostgreSQL",
                ratio("GetBenchmark.get", "target=engine-postgresql", "target=flowable-postgresql"));
        comparison(
                text,
                "get with content H2 vs raw select + render H2",
                ratio("GetBenchmark.get", "target=engine-h2", "target=raw-h2"));
        comparison(
                text,
                "get with content PostgreSQL vs raw select + render PostgreSQL",
                ratio("GetBenchmark.get", "target=engine-postgresql", "target=raw-postgresql"));
        comparison(
                text,
                "render: compiled handlebars vs compiling each time",
                ratio("RenderBenchmark.handlebarsCompiled", "", "RenderBenchmark.handlebarsCompileEachTime", ""));
        comparison(
                text,
                "first page at 100k vs 10k, H2",
                ratio("FirstPageBenchmark.firstPage", "db=h2,tasks=100000", "db=h2,tasks=10000"));
        comparison(
                text,
                "first page at 100k vs 10k, PostgreSQL",
                ratio("FirstPageBenchmark.firstPage", "db=postgresql,tasks=100000", "db=postgresql,tasks=10000"));
        comparison(
                text,
                "cold start vs Flowable lean (no IDM, no event registry), H2",
                ratio("ColdStartBenchmark.start", "target=engine-h2", "target=flowable-lean-h2"));
        if (heap.containsKey("engine-memory") && heap.containsKey("flowable-audit-h2")) {
            comparison(
                    text,
                    "heap per task, memory adapter vs Flowable(audit)",
                    Optional.of(heap.get("engine-memory") / heap.get("flowable-audit-h2")));
        }
        if (heap.containsKey("engine-h2") && heap.containsKey("flowable-none-h2")) {
            comparison(
                    text,
                    "heap per task, engine on H2 in memory vs Flowable(none)",
                    Optional.of(heap.get("engine-h2") / heap.get("flowable-none-h2")));
        }
        return text.toString();
    }

    private static void comparison(StringBuilder text, String name, Optional<Double> ratio) {
        ratio.ifPresent(r -> text.append(String.format(Locale.ROOT, "| %s | %.2f× |%n", name, r)));
    }

    private Optional<Double> ratio(String benchmark, String numerator, String denominator) {
        return ratio(benchmark, numerator, benchmark, denominator);
    }

    private Optional<Double> ratio(String benchmarkA, String paramsA, String benchmarkB, String paramsB) {
        Optional<Double> a = score(benchmarkA, paramsA);
        Optional<Double> b = score(benchmarkB, paramsB);
        return a.isPresent() && b.isPresent() && b.get() != 0 ? Optional.of(a.get() / b.get()) : Optional.empty();
    }

    /** The score of {@code benchmark} (Class.method) whose parameters include every {@code k=v} of {@code params}. */
    private Optional<Double> score(String benchmark, String params) {
        for (RunResult run : results) {
            BenchmarkParams p = run.getParams();
            if (!shortName(p.getBenchmark()).equals(benchmark)) {
                continue;
            }
            boolean all = true;
            for (String pair : params.split(",")) {
                if (pair.isBlank()) {
                    continue;
                }
                String[] kv = pair.split("=");
                all &= kv[1].equals(p.getParam(kv[0]));
            }
            if (all) {
                return Optional.of(run.getPrimaryResult().getScore());
            }
        }
        return Optional.empty();
    }

    private static String shortName(String benchmark) {
        String[] parts = benchmark.split("\\.");
        return parts[parts.length - 2] + "." + parts[parts.length - 1];
    }

    private static String number(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Math.abs(value) >= 100) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        return String.format(Locale.ROOT, "%.3g", value);
    }
}
