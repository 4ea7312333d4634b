package dev.taskengine.bench.production;

import dev.taskengine.bench.Machine;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The production-shaped workloads of issue 17, one after another in one JVM (those that need several JVMs fork them):
 *
 * <pre>
 * java -jar engine-bench/target/benchmarks.jar production                 every workload, full size
 * java -jar engine-bench/target/benchmarks.jar production NAME [NAME…]    only those
 * java -jar engine-bench/target/benchmarks.jar production --smoke [NAME…] each once at its smallest size (CI)
 * </pre>
 *
 * Writes {@code bench-production.json}, {@code bench-production.md} and {@code benchmarks/*.png} to the working directory
 * (override with {@code -Dbench.out=folder}).
 */
public final class ProductionMain {
    /** Every workload, in the order a full run takes them. */
    public static final List<Supplier<Workload>> WORKLOADS = List.of(
            LifecycleThreadsWorkload::new,
            LifecycleOverTimeWorkload::new,
            SchedulerInstancesWorkload::new,
            SchedulerLatenessWorkload::new,
            TenMillionWorkload::new,
            SequenceReassignWorkload::new,
            HttpLoadWorkload::new,
            SoakWorkload::new);

    private ProductionMain() {}

    public static void main(String[] args) throws Exception {
        Scale scale = Scale.FULL;
        List<String> names = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("--smoke")) {
                scale = Scale.SMOKE;
            } else {
                names.add(arg);
            }
        }
        Path out = Path.of(System.getProperty("bench.out", "."));
        String command = "`" + String.join(" ", commandLine(args)) + "`";
        // Written after every workload, so that what a long run measured survives a workload that fails after it.
        Report report = run(scale, names, System.out, done -> {
            done.run("command", command);
            try {
                done.write(out);
            } catch (IOException e) {
                throw new UncheckedIOException("cannot write the report to " + out, e);
            }
        });
        System.out.println(ReportMarkdown.targets(report.content().targets()));
        System.out.println("written to " + out.toAbsolutePath().normalize().resolve("bench-production.md"));
    }

    /** Runs the named workloads (all when none is named) at {@code scale}. */
    public static Report run(Scale scale, List<String> names, PrintStream log) throws Exception {
        return run(scale, names, log, report -> {});
    }

    /** The same, handing the report to {@code afterEach} once each workload is done. */
    public static Report run(Scale scale, List<String> names, PrintStream log, Consumer<Report> afterEach)
            throws Exception {
        List<Workload> chosen = new ArrayList<>();
        List<String> known = new ArrayList<>();
        for (Supplier<Workload> supplier : WORKLOADS) {
            Workload workload = supplier.get();
            known.add(workload.name());
            if (names.isEmpty() || names.contains(workload.name())) {
                chosen.add(workload);
            }
        }
        List<String> unknown = names.stream().filter(n -> !known.contains(n)).toList();
        if (!unknown.isEmpty()) {
            throw new IllegalArgumentException(
                    "no workload " + String.join(", ", unknown) + "; the workloads are " + String.join(", ", known));
        }
        Report report = new Report();
        // Machine.describe() is a Markdown list of "- fact: value" lines; the report keeps each fact on its own.
        Machine.describe().lines().map(line -> line.replaceFirst("^- ", "")).forEach(line -> {
            int colon = line.indexOf(": ");
            report.run(line.substring(0, colon), line.substring(colon + 2));
        });
        report.run("scale", scale.name().toLowerCase(Locale.ROOT));
        report.run("started", Instant.now().toString());
        long started = System.nanoTime();
        for (Workload workload : chosen) {
            long at = System.nanoTime();
            log.printf(Locale.ROOT, "production: %s …%n", workload.name());
            report.workload(workload);
            workload.run(scale, report);
            log.printf(Locale.ROOT, "production: %s done in %.1f s%n", workload.name(), (System.nanoTime() - at) / 1e9);
            report.run("duration", String.format(Locale.ROOT, "%.0f s", (System.nanoTime() - started) / 1e9));
            afterEach.accept(report);
        }
        return report;
    }

    /** The command as it was typed, with the heap and system properties given to this JVM. */
    static List<String> commandLine(String[] args) {
        List<String> words = new ArrayList<>(List.of("java"));
        ManagementFactory.getRuntimeMXBean().getInputArguments().stream()
                .filter(argument -> argument.startsWith("-X") || argument.startsWith("-D"))
                .forEach(words::add);
        words.addAll(List.of("-jar", "engine-bench/target/benchmarks.jar", "production"));
        words.addAll(List.of(args));
        return words;
    }
}
