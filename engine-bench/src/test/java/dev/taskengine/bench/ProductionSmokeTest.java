package dev.taskengine.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.bench.production.ProductionMain;
import dev.taskengine.bench.production.Report;
import dev.taskengine.bench.production.Scale;
import dev.taskengine.bench.production.Workload;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Keeps the production-shaped workloads running: each once at its smallest size ({@link Scale#SMOKE}), then the report
 * written with its pictures. It checks that every workload measured something and named its targets, never what the
 * figures are.
 */
class ProductionSmokeTest {

    @Test
    void everyWorkloadRunsOnceAndTheReportIsWritten(@TempDir Path out) throws Exception {
        Report report = ProductionMain.run(Scale.SMOKE, List.of(), System.out);
        report.write(out);

        Report.Content content = report.content();
        for (Workload workload :
                ProductionMain.WORKLOADS.stream().map(s -> s.get()).toList()) {
            assertThat(report.rows(workload.name()))
                    .as(workload.name() + " rows")
                    .isNotEmpty();
        }
        for (Report.Figure figure : content.figures()) {
            assertThat(out.resolve("benchmarks").resolve(figure.id() + ".png")).isNotEmptyFile();
        }
        assertThat(Files.readString(out.resolve("bench-production.md"))).contains("## Targets");
        assertThat(Report.read(out.resolve("bench-production.json"))).isEqualTo(content);
    }
}
