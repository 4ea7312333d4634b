package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.jknack.handlebars.EscapingStrategy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SubstitutionTest {
    private final TemplateEngine engine = TemplateEngine.create();

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Hi there",
                "Hi {{firstName}}",
                "{{firstName}}",
                "Hi {{ firstName }}, {{company}}!",
                "Hi {{default firstName \"there\"}}",
                "{{default signature \"Sam\"}}\n\nBye",
                "a { b } {{x}} c"
            })
    void textWithPlainVariablesAndDefaultsIsRenderedWithoutHandlebars(String source) {
        assertThat(engine.rendersBySubstitution(TaskType.MANUAL_EMAIL, source)).isTrue();
        assertThat(engine.rendersBySubstitution(TaskType.SMS, source)).isTrue();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "{{#if x}}y{{/if}}",
                "{{#unless x}}y{{/unless}}",
                "a {{! comment }} b",
                "a {{!-- c --}} b",
                "a {{~x}} b",
                "a {{x~}} b",
                "\\{{x}}",
                "a \\ {{x}}",
                "{{{x}}}",
                "{{&x}}",
                "{{else}}",
                "{{this}}",
                "{{default x}}",
                "{{default x 5}}",
                "{{default x 'y'}}",
                "{{default x \"a\\\"b\"}}",
                "a }} b {{x}}",
                "{{x y}}",
                "{{helperMissing}}",
                "{{x.y}}",
                "{{../x}}",
                "{{@index}}"
            })
    void anythingElseIsLeftToHandlebars(String source) {
        assertThat(Substitution.parse(source)).isNull();
    }

    @Test
    void escapingLeavesExactlyTheCharactersHandlebarsLeaves() {
        for (char c = 0; c < Character.MAX_VALUE; c++) {
            String text = "a" + c + "b";
            String byHandlebars = EscapingStrategy.HBS4.escape(text).toString();

            assertThat(Substitution.escape(text)).as("U+%04X", (int) c).isEqualTo(byHandlebars);
            assertThat(Substitution.escaped(c)).as("U+%04X", (int) c).isEqualTo(!byHandlebars.equals(text));
        }
    }

    @Test
    void aSubstitutionPrintsValuesEscapedInHtmlAndAsTheyAreInPlainText() {
        Substitution substitution = Substitution.parse("<p>{{name}}</p>");
        Map<String, String> variables = Map.of("name", "Tom & \"Jerry\" <b>");

        assertThat(substitution.render(variables, true, new TreeSet<>()))
                .isEqualTo("<p>Tom &amp; &quot;Jerry&quot; &lt;b&gt;</p>");
        assertThat(substitution.render(variables, false, new TreeSet<>())).isEqualTo("<p>Tom & \"Jerry\" <b></p>");
    }

    @Test
    void anAbsentOrBlankVariableIsMissingUnlessItHasADefault() {
        Substitution substitution = Substitution.parse("{{a}}|{{b}}|{{default c \"C & co\"}}|{{default d \"D\"}}");
        Map<String, String> variables = new HashMap<>();
        variables.put("b", "  ");
        variables.put("d", "dee");
        TreeSet<String> missing = new TreeSet<>();

        String rendered = substitution.render(variables, true, missing);

        assertThat(missing).containsExactly("a", "b");
        assertThat(rendered).isEqualTo("||C &amp; co|dee");
    }

    @Test
    void theEngineRendersASubstitutionAsHandlebarsWould() {
        Template template = Template.of("Re: {{company}} & {{default x \"you\"}}", "Hi {{firstName}} <{{company}}>");
        Map<String, String> variables = Map.of("firstName", "Ada", "company", "A&B 'Engines'");

        assertThat(engine.render(TaskType.MANUAL_EMAIL, template, variables))
                .isEqualTo(new Rendering.Rendered(
                        Content.of("Re: A&B 'Engines' & you", "Hi Ada <A&amp;B &#x27;Engines&#x27;>")));
        assertThat(engine.render(TaskType.MANUAL_EMAIL, template, Map.of()))
                .isEqualTo(new Rendering.MissingVariables(List.of("company", "firstName")));
    }
}
