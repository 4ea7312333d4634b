package dev.taskengine.bench;

import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.Template;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.TaskType;
import dev.taskengine.domain.TemplateEngine;
import java.io.IOException;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Rendering a manual email (subject as plain text, body HTML-escaped) with the prospect's variables: the engine's
 * {@link TemplateEngine#render} (cached compiled template, missing-variable policy) against handlebars.java applying
 * the same two templates compiled once (the floor), and against compiling them again for every render (what a cache
 * miss costs: the engine's figure being near the floor and far from this one shows a hit does not recompile).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class RenderBenchmark {
    private TemplateEngine templates;
    private Handlebars html;
    private Handlebars plain;
    private Template subject;
    private Template body;

    @Setup
    public void open() throws IOException {
        templates = TemplateEngine.create();
        html = RawJdbi.handlebars(EscapingStrategy.HBS4);
        plain = RawJdbi.handlebars(EscapingStrategy.NOOP);
        subject = plain.compileInline(Fixtures.SUBJECT);
        body = html.compileInline(Fixtures.BODY);
        if (!(templates.render(TaskType.MANUAL_EMAIL, Fixtures.TEMPLATE, Fixtures.VARIABLES)
                instanceof Rendering.Rendered)) {
            throw new IllegalStateException("the fixture template does not render");
        }
    }

    @Benchmark
    public Rendering engine() {
        return templates.render(TaskType.MANUAL_EMAIL, Fixtures.TEMPLATE, Fixtures.VARIABLES);
    }

    @Benchmark
    public String[] handlebarsCompiled() {
        return new String[] {RawJdbi.apply(subject, Fixtures.VARIABLES), RawJdbi.apply(body, Fixtures.VARIABLES)};
    }

    @Benchmark
    public String[] handlebarsCompileEachTime() throws IOException {
        return new String[] {
            RawJdbi.apply(plain.compileInline(Fixtures.SUBJECT), Fixtures.VARIABLES),
            RawJdbi.apply(html.compileInline(Fixtures.BODY), Fixtures.VARIABLES)
        };
    }
}
