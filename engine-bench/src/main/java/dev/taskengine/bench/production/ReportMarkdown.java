package dev.taskengine.bench.production;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** A {@link Report.Content} as Markdown: the run, the targets met or missed, then each workload's tables and pictures. */
final class ReportMarkdown {
    private ReportMarkdown() {}

    static String render(Report.Content content, String pictures) {
        StringBuilder text = new StringBuilder("## Run\n\n");
        content.run()
                .forEach((key, value) ->
                        text.append("- ").append(key).append(": ").append(value).append('\n'));
        text.append("\n## Targets\n\n").append(targets(content.targets())).append('\n');
        content.workloads().forEach((workload, description) -> {
            text.append("## ")
                    .append(workload)
                    .append("\n\n")
                    .append(description)
                    .append("\n\n");
            List<Report.Row> rows = content.rows().stream()
                    .filter(r -> r.workload().equals(workload))
                    .toList();
            if (!rows.isEmpty()) {
                text.append(rows(rows)).append('\n');
            }
            content.figures().stream()
                    .filter(f -> f.id().startsWith(workload))
                    .forEach(f -> text.append("![")
                            .append(f.title())
                            .append("](")
                            .append(pictures)
                            .append('/')
                            .append(f.id())
                            .append(".png)\n\n"));
            content.exhibits().stream()
                    .filter(e -> e.workload().equals(workload))
                    .forEach(e -> text.append("**")
                            .append(e.title())
                            .append("**\n\n```\n")
                            .append(e.text().strip())
                            .append("\n```\n\n"));
        });
        if (!content.notes().isEmpty()) {
            text.append("## Notes\n\n");
            content.notes().forEach(n -> text.append("- ").append(n).append('\n'));
        }
        return text.toString();
    }

    static String targets(List<Report.Target> targets) {
        StringBuilder text =
                new StringBuilder("| workload | target | measured | verdict | how |\n|---|---|---:|---|---|\n");
        for (Report.Target t : targets) {
            text.append(String.format(
                    Locale.ROOT,
                    "| %s | %s | %s %s | %s | %s |%n",
                    t.workload(),
                    t.goal(),
                    Report.number(t.figure()),
                    t.unit(),
                    t.met() ? "met" : "**missed**",
                    t.how()));
        }
        return text.toString();
    }

    private static String rows(List<Report.Row> rows) {
        StringBuilder text = new StringBuilder("| contender | parameters | metric | value |\n|---|---|---|---:|\n");
        for (Report.Row row : rows) {
            String parameters = new java.util.TreeMap<>(row.parameters())
                    .entrySet().stream().map(Map.Entry::toString).collect(Collectors.joining(", "));
            text.append("| ")
                    .append(row.contender())
                    .append(" | ")
                    .append(parameters)
                    .append(" | ")
                    .append(row.metric())
                    .append(" | ")
                    .append(Report.number(row.value()))
                    .append(' ')
                    .append(row.unit())
                    .append(" |\n");
        }
        return text.toString();
    }
}
