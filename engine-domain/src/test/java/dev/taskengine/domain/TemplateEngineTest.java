package dev.taskengine.domain;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Checking and rendering user templates: what compiles, what is refused, how values are escaped, what is missing. */
class TemplateEngineTest {
    private static final String BODY = "/template/body";

    private final TemplateEngine engine = TemplateEngine.create();

    private List<Violation> violations(String source) {
        return engine.check(BODY, source).violations();
    }

    private void assertRefusedWith(String source, String code) {
        assertThat(violations(source))
                .extracting(Violation::code, Violation::pointer)
                .containsExactly(tuple(code, BODY));
    }

    private Rendering render(TaskType type, Template template, Map<String, String> variables) {
        return engine.render(type, template, variables);
    }

    private Content rendered(TaskType type, Template template, Map<String, String> variables) {
        Rendering rendering = render(type, template, variables);
        assertThat(rendering).isInstanceOf(Rendering.Rendered.class);
        return ((Rendering.Rendered) rendering).content();
    }

    @Nested
    class Checking {
        @Test
        void plainTextHasNoVariables() {
            TemplateEngine.Check check = engine.check(BODY, "Call back about the pricing question");

            assertThat(check.ok()).isTrue();
            assertThat(check.hasVariables()).isFalse();
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "Hi {{firstName}}",
                    "{{#if title}}As {{title}}{{else}}Hello{{/if}}",
                    "{{#unless company}}Hello{{/unless}}",
                    "{{#if a}}x{{else if b}}y{{/if}}",
                    "Hi {{default firstName \"there\"}}",
                    "Hi {{ firstName }}",
                    "{{first_name2}}"
                })
        void variablesConditionsAndDefaultsAreAllowed(String source) {
            TemplateEngine.Check check = engine.check(BODY, source);

            assertThat(check.violations()).isEmpty();
            assertThat(check.hasVariables()).isTrue();
        }

        @Test
        void aCommentIsNotAVariable() {
            TemplateEngine.Check check = engine.check(BODY, "Hello{{! note to self: add the name }}");

            assertThat(check.ok()).isTrue();
            assertThat(check.hasVariables()).isFalse();
        }

        @Test
        void aSyntaxErrorIsReportedWithItsLineAndColumn() {
            List<Violation> violations = violations("Hi {{firstName");

            assertThat(violations)
                    .extracting(Violation::code, Violation::pointer)
                    .containsExactly(tuple("task.template.body.syntax", BODY));
            assertThat(violations.get(0).message()).startsWith("line 1, column ");
        }

        @Test
        void aSyntaxErrorOnALaterLineNamesThatLine() {
            List<Violation> violations = violations("Line one\nHi {{firstName}\nbye");

            assertThat(violations.get(0).message()).startsWith("line 2, column ");
        }

        @Test
        void theViolationCodeFollowsThePointer() {
            List<Violation> violations =
                    engine.check("/template/subject", "Hi {{firstName").violations();

            assertThat(violations)
                    .extracting(Violation::code, Violation::pointer)
                    .containsExactly(tuple("task.template.subject.syntax", "/template/subject"));
        }

        @ParameterizedTest
        @ValueSource(strings = {"{{> signature}}", "{{#> layout}}x{{/layout}}", "{{~> signature}}"})
        void partialsAreRefused(String source) {
            assertRefusedWith(source, "task.template.body.partialNotAllowed");
        }

        @Test
        void delimiterChangesAreRefused() {
            assertRefusedWith("{{=<% %>=}}Hi <%firstName%>", "task.template.body.delimiterChangeNotAllowed");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "{{#firstName}}Hi{{/firstName}}",
                    "{{^firstName}}Hi{{/firstName}}",
                    "{{#default x}}y{{/default}}"
                })
        void sectionsOtherThanIfAndUnlessAreRefused(String source) {
            assertRefusedWith(source, "task.template.body.sectionNotAllowed");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{{#each items}}x{{/each}}", "{{#with contact}}x{{/with}}"})
        void builtInBlockHelpersAreUnknownHelpers(String source) {
            List<Violation> violations = violations(source);

            assertThat(violations).extracting(Violation::code).containsExactly("task.template.body.syntax");
            assertThat(violations.get(0).message())
                    .contains("is not a helper of templates")
                    .doesNotContain("Exception");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{{lookup a b}}", "{{foo bar}}", "{{log firstName}}", "{{default (lookup a b) \"x\"}}"})
        void helpersOtherThanDefaultAreRefused(String source) {
            List<Violation> violations = violations(source);

            assertThat(violations).extracting(Violation::code).containsExactly("task.template.body.syntax");
            assertThat(violations.get(0).message())
                    .contains("is not a helper of templates")
                    .doesNotContain("Exception");
        }

        @ParameterizedTest
        @ValueSource(
                strings = {
                    "{{a.b}}",
                    "{{this}}",
                    "{{ this }}",
                    "{{.}}",
                    "{{this.firstName}}",
                    "{{../x}}",
                    "{{@index}}",
                    "{{@root}}",
                    "{{firstName.class}}",
                    "{{firstName.length}}",
                    "{{[first name]}}",
                    "{{default this \"x\"}}",
                    "{{default a.b \"x\"}}",
                    "{{#if this}}x{{/if}}",
                    "{{#if @root}}x{{/if}}"
                })
        void variablesArePlainNames(String source) {
            assertRefusedWith(source, "task.template.body.variableNameInvalid");
        }

        @ParameterizedTest
        @ValueSource(strings = {"{{{firstName}}}", "{{&firstName}}"})
        void unescapedOutputIsRefused(String source) {
            assertRefusedWith(source, "task.template.body.unescapedNotAllowed");
        }

        @Test
        void decoratorsAreRefused() {
            assertRefusedWith("{{*inline}}", "task.template.body.decoratorNotAllowed");
        }

        @Test
        void nestingEightDeepIsAllowed() {
            assertThat(violations(nestedIfs(TemplateEngine.MAX_NESTING))).isEmpty();
        }

        @Test
        void nestingDeeperThanEightIsRefused() {
            assertRefusedWith(nestedIfs(TemplateEngine.MAX_NESTING + 1), "task.template.body.nestingTooDeep");
        }

        @Test
        void aPathologicallyDeepTemplateIsRefusedWithoutParsing() {
            assertRefusedWith(nestedIfs(5_000), "task.template.body.nestingTooDeep");
        }

        private static String nestedIfs(int depth) {
            return "{{#if a}}".repeat(depth) + "x" + "{{/if}}".repeat(depth);
        }
    }

    @Nested
    class Escaping {
        private static final String SCRIPT = "<script>alert('x')</script>";

        @Test
        void anEmailBodyIsHtmlEscaped() {
            Content content =
                    rendered(TaskType.MANUAL_EMAIL, Template.of("Hi {{firstName}}"), Map.of("firstName", SCRIPT));

            assertThat(content.body()).isEqualTo("Hi &lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;");
        }

        @Test
        void everyHtmlSpecialCharacterIsEscapedInAnEmailBody() {
            Content content = rendered(TaskType.MANUAL_EMAIL, Template.of("{{v}}"), Map.of("v", "& < > \" ' ` ="));

            assertThat(content.body()).isEqualTo("&amp; &lt; &gt; &quot; &#x27; &#x60; &#x3D;");
        }

        @Test
        void aDefaultIsEscapedInAnEmailBodyToo() {
            Content content =
                    rendered(TaskType.MANUAL_EMAIL, Template.of("{{default firstName \"<b>there</b>\"}}"), Map.of());

            assertThat(content.body()).isEqualTo("&lt;b&gt;there&lt;/b&gt;");
        }

        @Test
        void anEmailSubjectIsPlainText() {
            Content content = rendered(
                    TaskType.MANUAL_EMAIL, Template.of("For {{firstName}}", "Body"), Map.of("firstName", SCRIPT));

            assertThat(content.subject()).contains("For " + SCRIPT);
        }

        @ParameterizedTest
        @EnumSource(value = TaskType.class, names = "MANUAL_EMAIL", mode = EnumSource.Mode.EXCLUDE)
        void everyOtherChannelIsPlainText(TaskType type) {
            Content content = rendered(type, Template.of("Hi {{firstName}}"), Map.of("firstName", SCRIPT));

            assertThat(content.body()).isEqualTo("Hi " + SCRIPT);
        }

        @Test
        void theTemplateTextItselfIsNotEscaped() {
            Content content = rendered(
                    TaskType.MANUAL_EMAIL, Template.of("<p>Hi {{firstName}} & co</p>"), Map.of("firstName", "Ada"));

            assertThat(content.body()).isEqualTo("<p>Hi Ada & co</p>");
        }
    }

    @Nested
    class MissingVariables {
        @Test
        void everyMissingVariableIsListedSorted() {
            Template template = Template.of("{{zeta}} for {{company}}", "Hi {{firstName}}, {{alpha}} and {{zeta}}");

            Rendering rendering = render(TaskType.MANUAL_EMAIL, template, Map.of("firstName", "Ada"));

            assertThat(rendering).isEqualTo(new Rendering.MissingVariables(List.of("alpha", "company", "zeta")));
        }

        @Test
        void aBlankValueCountsAsMissing() {
            Rendering rendering = render(TaskType.SMS, Template.of("Hi {{firstName}}"), Map.of("firstName", "  "));

            assertThat(rendering).isEqualTo(new Rendering.MissingVariables(List.of("firstName")));
        }

        @Test
        void aBlankValueIsFalseInACondition() {
            Content content =
                    rendered(TaskType.SMS, Template.of("Hi{{#if title}} {{title}}{{/if}}"), Map.of("title", " "));

            assertThat(content.body()).isEqualTo("Hi");
        }

        @Test
        void aNullValueCountsAsMissing() {
            Map<String, String> variables = new HashMap<>();
            variables.put("firstName", null);

            assertThat(render(TaskType.SMS, Template.of("Hi {{firstName}}"), variables))
                    .isEqualTo(new Rendering.MissingVariables(List.of("firstName")));
        }

        @Test
        void aDefaultSuppliesAFallback() {
            Content content = rendered(TaskType.SMS, Template.of("Hi {{default firstName \"there\"}}"), Map.of());

            assertThat(content.body()).isEqualTo("Hi there");
        }

        @Test
        void aDefaultAlsoReplacesABlankValue() {
            Content content =
                    rendered(TaskType.SMS, Template.of("Hi {{default firstName \"there\"}}"), Map.of("firstName", " "));

            assertThat(content.body()).isEqualTo("Hi there");
        }

        @Test
        void aDefaultGivesWayToAValue() {
            Content content = rendered(
                    TaskType.SMS, Template.of("Hi {{default firstName \"there\"}}"), Map.of("firstName", "Ada"));

            assertThat(content.body()).isEqualTo("Hi Ada");
        }

        @Test
        void aVariableInsideAFalseConditionIsNotNeeded() {
            Content content = rendered(TaskType.SMS, Template.of("Hi{{#if title}} {{title}}{{/if}}!"), Map.of());

            assertThat(content.body()).isEqualTo("Hi!");
        }

        @Test
        void aVariableInsideATrueConditionIsNeeded() {
            Rendering rendering = render(
                    TaskType.SMS, Template.of("{{#if title}}{{title}} at {{company}}{{/if}}"), Map.of("title", "CTO"));

            assertThat(rendering).isEqualTo(new Rendering.MissingVariables(List.of("company")));
        }

        @Test
        void everyVariableWithAValueIsRendered() {
            Content content = rendered(
                    TaskType.MANUAL_EMAIL,
                    Template.of("For {{company}}", "Hi {{firstName}}"),
                    Map.of("firstName", "Ada", "company", "Acme"));

            assertThat(content).isEqualTo(Content.of("For Acme", "Hi Ada"));
        }

        @Test
        void aTemplateWithoutSubjectRendersWithoutSubject() {
            assertThat(rendered(TaskType.SMS, Template.of("Hi"), Map.of()).subject())
                    .isEmpty();
        }
    }

    @Nested
    class NoCodeExecution {
        @Test
        void aValueIsAPlainStringNotATemplate() {
            Content content = rendered(
                    TaskType.SMS,
                    Template.of("Hi {{firstName}}"),
                    Map.of("firstName", "{{lastName}}", "lastName", "X"));

            assertThat(content.body()).isEqualTo("Hi {{lastName}}");
        }

        @Test
        void aMethodOfAValueCannotBeCalled() {
            Rendering rendering = render(TaskType.SMS, Template.of("{{firstName.length}}"), Map.of("firstName", "Ada"));

            assertThat(rendering).isEqualTo(new Rendering.MissingVariables(List.of("firstName.length")));
        }

        @Test
        void aBuiltInHelperNameIsJustAVariable() {
            Rendering rendering = render(TaskType.SMS, Template.of("{{lookup}} {{log}} {{each}}"), Map.of());

            assertThat(rendering).isEqualTo(new Rendering.MissingVariables(List.of("each", "log", "lookup")));
        }
    }

    @Nested
    class Cache {
        @Test
        void eachDistinctSourceIsCompiledOnce() {
            engine.check(BODY, "Hi {{firstName}}");
            engine.check("/template/subject", "Hi {{firstName}}");
            engine.check(BODY, "Hello {{firstName}}");

            assertThat(engine.cachedTemplates()).isEqualTo(2);
        }

        @Test
        void aRefusedSourceIsCheckedOnceAndAnsweredWithTheCodesOfEachField() {
            String partial = "Hi {{> footer}}";

            TemplateEngine.Check inBody = engine.check(BODY, partial);
            TemplateEngine.Check inSubject = engine.check("/template/subject", partial);

            assertThat(engine.cachedTemplates()).isEqualTo(1);
            assertThat(inBody.violations())
                    .containsExactly(Violation.of(
                            "task.template.body.partialNotAllowed",
                            BODY,
                            "partials ({{> name}}) are not allowed in templates"));
            assertThat(inSubject.violations())
                    .containsExactly(Violation.of(
                            "task.template.subject.partialNotAllowed",
                            "/template/subject",
                            "partials ({{> name}}) are not allowed in templates"));
        }

        @Test
        void aSourceThatDoesNotParseIsCheckedOnceAndAnsweredWithTheCodesOfEachField() {
            engine.check(BODY, "Hi {{#if x}}");

            TemplateEngine.Check again = engine.check("/template/subject", "Hi {{#if x}}");

            assertThat(engine.cachedTemplates()).isEqualTo(1);
            assertThat(again.violations())
                    .extracting(Violation::code, Violation::pointer)
                    .containsExactly(tuple("task.template.subject.syntax", "/template/subject"));
        }

        @Test
        void aCachedCheckStillTellsWhetherTheSourceUsesVariables() {
            assertThat(engine.check(BODY, "Hi {{firstName}}").hasVariables()).isTrue();
            assertThat(engine.check(BODY, "Hi {{firstName}}").hasVariables()).isTrue();
            assertThat(engine.check(BODY, "Hi there").hasVariables()).isFalse();
            assertThat(engine.check(BODY, "Hi there").hasVariables()).isFalse();
        }

        @Test
        void renderingTheSameSourceAgainUsesTheCompiledTemplate() {
            for (int i = 0; i < 5; i++) {
                render(TaskType.SMS, Template.of("Hi {{firstName}}"), Map.of("firstName", "Ada " + i));
            }

            assertThat(engine.cachedTemplates()).isEqualTo(1);
        }

        @Test
        void checkingAndRenderingOneSourceInEveryModeKeepsOneEntry() {
            String source = "Hi {{firstName}}";
            engine.check(BODY, source);
            render(TaskType.SMS, Template.of(source), Map.of("firstName", "Ada"));
            render(TaskType.MANUAL_EMAIL, Template.of(source), Map.of("firstName", "Ada"));

            assertThat(engine.cachedTemplates()).isEqualTo(1);
        }

        @Test
        void sourcesWithTheSameHashCodeRenderTheirOwnText() {
            String aa = "Hi Aa {{x}}";
            String bb = "Hi BB {{x}}";
            assertThat(aa.hashCode()).isEqualTo(bb.hashCode());

            Content first = rendered(TaskType.SMS, Template.of(aa), Map.of("x", "1"));
            Content second = rendered(TaskType.SMS, Template.of(bb), Map.of("x", "1"));

            assertThat(first.body()).isEqualTo("Hi Aa 1");
            assertThat(second.body()).isEqualTo("Hi BB 1");
            assertThat(engine.cachedTemplates()).isEqualTo(2);
        }

        @Test
        void theCacheStaysWithinItsEntryBound() {
            TemplateEngine small = TemplateEngine.withCacheBounds(10, 1_000_000);

            for (int i = 0; i < 200; i++) {
                small.check(BODY, "Template number " + i + " {{x}}");
                assertThat(small.cachedTemplates()).isLessThanOrEqualTo(10);
            }
        }

        @Test
        void anEvictedTemplateIsCompiledAgainAndStillRendersItsOwnText() {
            TemplateEngine small = TemplateEngine.withCacheBounds(2, 1_000_000);
            for (int i = 0; i < 20; i++) {
                assertThat(((Rendering.Rendered) small.render(
                                        TaskType.SMS, Template.of("T" + (i % 3) + " {{x}}"), Map.of("x", "v")))
                                .content()
                                .body())
                        .isEqualTo("T" + (i % 3) + " v");
            }
        }
    }

    @Test
    void aLiteralTemplateIsAnsweredAsWrittenNeverRendered() {
        Template literal = Template.literal("Re: {{x", "Hi {{oops}} {{#each}}");

        assertThat(TemplateEngine.create().render(TaskType.MANUAL_EMAIL, literal, java.util.Map.of("oops", "<b>")))
                .isEqualTo(new Rendering.Rendered(Content.of("Re: {{x", "Hi {{oops}} {{#each}}")));
    }

    @org.junit.jupiter.params.ParameterizedTest
    @org.junit.jupiter.params.provider.ValueSource(
            strings = {"{{default}}", "{{ default }}", "{{#if}}x{{/if}}", "{{#unless}}y{{/unless}}"})
    void aHelperWithoutAVariableIsRefusedSinceItWouldSeeTheWholeContact(String source) {
        assertThat(TemplateEngine.create().check("/template/body", source).violations())
                .extracting(Violation::code)
                .containsExactly("task.template.body.helperWithoutArgument");
    }

    @Test
    void theDefaultHelperNeverPrintsAnythingButAVariablesText() {
        Template withoutVariable = Template.of("[{{default firstName}}]");

        assertThat(TemplateEngine.create().render(TaskType.SMS, withoutVariable, java.util.Map.of()))
                .isEqualTo(new Rendering.Rendered(Content.of(null, "[]")));
    }
}
