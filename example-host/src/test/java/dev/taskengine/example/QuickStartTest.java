package dev.taskengine.example;

import static org.assertj.core.api.Assertions.assertThat;

import dev.taskengine.domain.Content;
import dev.taskengine.domain.Rendering;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class QuickStartTest {

    @Test
    void theQuickStartRendersTheEmailForAda() {
        assertThat(QuickStart.run())
                .isEqualTo(new Rendering.Rendered(Content.of("Hello Ada", "Hi Ada, shall we talk?")));
    }

    @Test
    void theReadmeQuotesTheQuickStartAsItCompiles() throws IOException {
        String source = Files.readString(
                Path.of("src/main/java/dev/taskengine/example/QuickStart.java"), StandardCharsets.UTF_8);
        String snippet = between(source, "// tag::quickstart[]\n", "        // end::quickstart[]");
        String dedented = Arrays.stream(snippet.split("\n"))
                .map(line -> line.startsWith("        ") ? line.substring(8) : line)
                .collect(Collectors.joining("\n"));
        String readme = Files.readString(Path.of("../README.md"), StandardCharsets.UTF_8);
        assertThat(readme).contains(dedented);
    }

    private static String between(String text, String start, String end) {
        int from = text.indexOf(start) + start.length();
        return text.substring(from, text.indexOf(end, from)).stripTrailing();
    }
}
