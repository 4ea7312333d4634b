package dev.taskengine.bench.production;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * What a production-shaped run measured, as data: the rows of its tables, the figures drawn from them, the targets of
 * issue 17 with their figures, the query plans, and notes. Workloads add to it from any thread; {@link #write} keeps it
 * as JSON, draws the pictures and renders the Markdown.
 */
public final class Report {
    /**
     * One measured value: {@code contender} (e.g. {@code engine}, {@code flowable-audit}, {@code jdbi}, {@code
     * db-scheduler}) on {@code workload} with its {@code parameters} (e.g. threads=32, database=postgresql).
     */
    public record Row(
            String workload,
            String contender,
            Map<String, String> parameters,
            String metric,
            double value,
            String unit) {}

    /** A point of a curve. */
    public record Point(double x, double y) {}

    /** One contender's curve. */
    public record Series(String name, List<Point> points) {}

    /** A picture: {@code id} names its file ({@code <id>.png}); a logarithmic axis where the values span decades. */
    public record Figure(
            String id, String title, String xAxis, String yAxis, boolean logX, boolean logY, List<Series> series) {}

    /**
     * A target of the issue and the figure measured for it: met when {@code figure} is at least (or, with {@code
     * higherIsBetter} false, at most) {@code threshold}. {@code how} says what the figure is made of.
     */
    public record Target(
            String workload,
            String goal,
            double figure,
            String unit,
            double threshold,
            boolean higherIsBetter,
            String how) {
        public boolean met() {
            return higherIsBetter ? figure >= threshold : figure <= threshold;
        }
    }

    /** A text exhibit: a query plan, a profile's hot spots. */
    public record Exhibit(String workload, String title, String text) {}

    public record Content(
            List<Row> rows,
            List<Figure> figures,
            List<Target> targets,
            List<Exhibit> exhibits,
            List<String> notes,
            Map<String, String> run,
            Map<String, String> workloads) {}

    private final List<Row> rows = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final List<Target> targets = new ArrayList<>();
    private final List<Exhibit> exhibits = new ArrayList<>();
    private final List<String> notes = new ArrayList<>();
    private final Map<String, String> run = new java.util.LinkedHashMap<>();
    private final Map<String, String> workloads = new java.util.LinkedHashMap<>();

    /** A workload that ran, in the order they ran, with its description. */
    public synchronized Report workload(Workload workload) {
        workloads.put(workload.name(), workload.description());
        return this;
    }

    public synchronized Report row(
            String workload,
            String contender,
            Map<String, String> parameters,
            String metric,
            double value,
            String unit) {
        rows.add(new Row(workload, contender, Map.copyOf(parameters), metric, value, unit));
        return this;
    }

    public synchronized Report figure(Figure figure) {
        figures.add(figure);
        return this;
    }

    public synchronized Report target(Target target) {
        targets.add(target);
        return this;
    }

    public synchronized Report exhibit(String workload, String title, String text) {
        exhibits.add(new Exhibit(workload, title, text));
        return this;
    }

    public synchronized Report note(String note) {
        notes.add(note);
        return this;
    }

    /** A fact about the run (machine, versions, command, duration). */
    public synchronized Report run(String key, String value) {
        run.put(key, value);
        return this;
    }

    public synchronized Content content() {
        return new Content(
                List.copyOf(rows),
                List.copyOf(figures),
                List.copyOf(targets),
                List.copyOf(exhibits),
                List.copyOf(notes),
                new java.util.LinkedHashMap<>(run),
                new java.util.LinkedHashMap<>(workloads));
    }

    /** The rows of {@code workload}. */
    public synchronized List<Row> rows(String workload) {
        return rows.stream().filter(r -> r.workload().equals(workload)).toList();
    }

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /**
     * Writes {@code bench-production.json} and {@code bench-production.md} to {@code out}, and the pictures to {@code
     * out/benchmarks/}.
     */
    public void write(Path out) throws IOException {
        Files.createDirectories(out);
        Content content = content();
        JSON.writeValue(out.resolve("bench-production.json").toFile(), content);
        Path pictures = out.resolve("benchmarks");
        Files.createDirectories(pictures);
        for (Figure figure : content.figures()) {
            Charts.draw(figure, pictures.resolve(figure.id() + ".png"));
        }
        Files.writeString(out.resolve("bench-production.md"), ReportMarkdown.render(content, "benchmarks"));
    }

    public static Content read(Path json) throws IOException {
        return JSON.readValue(json.toFile(), Content.class);
    }

    static String number(double value) {
        double magnitude = Math.abs(value);
        if (magnitude >= 100 || value == Math.rint(value)) {
            return String.format(Locale.ROOT, "%,.0f", value);
        }
        if (magnitude >= 10) {
            return String.format(Locale.ROOT, "%.1f", value);
        }
        return String.format(Locale.ROOT, "%.2f", value);
    }
}
