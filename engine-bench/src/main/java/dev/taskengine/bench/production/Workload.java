package dev.taskengine.bench.production;

/**
 * One production-shaped workload of issue 17: it drives every contender the same way, in one run, and adds what it
 * measured (rows, figures, targets, query plans) to the {@link Report}. Each can run alone:
 * {@code java -jar engine-bench/target/benchmarks.jar production <name>}.
 */
public interface Workload {
    /** The name on the command line and in the report, e.g. {@code lifecycle-threads}. */
    String name();

    /** One sentence for the report: what is measured, on what. */
    String description();

    void run(Scale scale, Report report) throws Exception;
}
