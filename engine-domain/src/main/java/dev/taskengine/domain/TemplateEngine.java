package dev.taskengine.domain;

import com.github.jknack.handlebars.Context;
import com.github.jknack.handlebars.EscapingStrategy;
import com.github.jknack.handlebars.Handlebars;
import com.github.jknack.handlebars.HandlebarsError;
import com.github.jknack.handlebars.HandlebarsException;
import com.github.jknack.handlebars.Helper;
import com.github.jknack.handlebars.HelperRegistry;
import com.github.jknack.handlebars.Options;
import com.github.jknack.handlebars.TagType;
import com.github.jknack.handlebars.context.MapValueResolver;
import com.github.jknack.handlebars.helper.DefaultHelperRegistry;
import com.github.jknack.handlebars.io.AbstractTemplateLoader;
import com.github.jknack.handlebars.io.TemplateSource;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * Checks and renders task templates with handlebars.java, safely.
 *
 * <ul>
 *   <li>Each distinct source is compiled once and kept in a bounded cache keyed by the full source.</li>
 *   <li>Templates render against a {@code Map} of strings only: they cannot call methods or walk object graphs.</li>
 *   <li>No partials, no decorators, no delimiter changes, no template loading: the loader refuses every name.</li>
 *   <li>Helpers: {@code if}, {@code unless} and {@code default} only; variables are plain names
 *       ({@code [A-Za-z_][A-Za-z0-9_]*}); triple-stash and {@code {{&x}}} are refused, so nothing escapes escaping.</li>
 *   <li>Email bodies are HTML-escaped (handlebars' standard escaping of {@code & < > " ' ` =}); subjects and every other
 *       channel are plain text, left as written.</li>
 *   <li>Missing variables: rendering refuses and names every variable that has no value (absent or blank);
 *       {@code {{default firstName "there"}}} supplies a fallback. A variable inside an {@code if} whose condition is
 *       false is not needed.</li>
 * </ul>
 * Thread-safe; one instance serves a whole engine.
 */
public final class TemplateEngine {
    public static final int DEFAULT_CACHE_ENTRIES = 10_000;
    public static final long DEFAULT_CACHE_CHARACTERS = 16L * 1024 * 1024;
    static final int MAX_NESTING = 8;

    private static final Set<String> HELPERS = Set.of("if", "unless", "default");
    private static final Set<String> SECTION_HELPERS = Set.of("if", "unless");
    private static final Pattern VARIABLE_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final Pattern PARTIAL = Pattern.compile("\\{\\{~?\\s*#?\\s*>");
    private static final Pattern DELIMITER_CHANGE = Pattern.compile("\\{\\{~?\\s*=");
    /** A helper named with nothing to work on: {@code {{default}}}, {@code {{#if}}} would see the whole contact. */
    private static final Pattern HELPER_WITHOUT_ARGUMENT =
            Pattern.compile("\\{\\{~?\\s*[#^]?\\s*(default|if|unless)\\s*~?\\}\\}");

    private static final Pattern BLOCK_OPEN = Pattern.compile("\\{\\{~?\\s*[#^]");
    private static final Pattern BLOCK_CLOSE = Pattern.compile("\\{\\{~?\\s*/");
    private static final String MISSING = "taskengine.missing";

    private enum Mode {
        HTML,
        PLAIN
    }

    private static final Check CLEAN_WITH_VARIABLES = new Check(List.of(), true);
    private static final Check CLEAN_WITHOUT_VARIABLES = new Check(List.of(), false);
    /**
     * The three handlebars configurations, built on first use (not when an engine is built) and shared by every engine:
     * each is fixed once configured (helpers, escaping, a loader that refuses everything) and thread-safe.
     */
    private static final class Compilers {
        /** Compiles only to inspect a template; never renders. */
        static final Handlebars CHECKING = handlebars(EscapingStrategy.NOOP, false);

        static final Handlebars HTML = handlebars(EscapingStrategy.HBS4, true);
        static final Handlebars PLAIN = handlebars(EscapingStrategy.NOOP, true);

        private Compilers() {}
    }

    /** One entry per distinct source, keyed by the source itself. */
    private final BoundedCache<String, Compiled> cache;

    /**
     * Everything made of one source, each part on first use: the outcome of its check, and its compilation for each
     * rendering mode. A part computed twice by racing threads is the same value, so either may be kept.
     */
    private static final class Compiled {
        private final String source;
        private volatile Checked checked;
        private volatile Compiles html;
        private volatile Compiles plain;

        private Compiled(String source) {
            this.source = source;
        }

        Checked checked() {
            Checked value = checked;
            if (value == null) {
                value = checkSource(source);
                checked = value;
            }
            return value;
        }

        Compiles forRendering(Mode mode) {
            Compiles value = mode == Mode.HTML ? html : plain;
            if (value == null) {
                value = compileForRender(mode, source);
                if (mode == Mode.HTML) {
                    html = value;
                } else {
                    plain = value;
                }
            }
            return value;
        }
    }

    /** A template compiled for rendering; {@code substitution} renders it without handlebars, where it can (or null). */
    private record Compiles(com.github.jknack.handlebars.Template template, Substitution substitution) {}

    /** The outcome of every check of one source; violation codes are suffixes of the field's code, pointers empty. */
    private record Checked(List<Violation> violations, boolean hasVariables) {
        Checked {
            violations = List.copyOf(violations);
        }
    }

    private record DoesNotCompile(int line, int column, String reason) {}

    private TemplateEngine(int maxEntries, long maxCharacters) {
        this.cache = new BoundedCache<>(maxEntries, maxCharacters, String::length);
    }

    /** An engine with the default cache bounds ({@value #DEFAULT_CACHE_ENTRIES} templates, 16 Mi characters). */
    public static TemplateEngine create() {
        return new TemplateEngine(DEFAULT_CACHE_ENTRIES, DEFAULT_CACHE_CHARACTERS);
    }

    public static TemplateEngine withCacheBounds(int maxEntries, long maxCharacters) {
        return new TemplateEngine(maxEntries, maxCharacters);
    }

    /** The outcome of checking one template source. */
    public record Check(List<Violation> violations, boolean hasVariables) {
        public Check {
            violations = List.copyOf(violations);
        }

        public boolean ok() {
            return violations.isEmpty();
        }
    }

    /**
     * Checks one template source (a subject or a body): syntax (with line and column), helpers, partials, variable
     * names, nesting. The caller checks length and characters first; see {@link Texts}.
     *
     * @param pointer JSON pointer of the field, such as {@code /template/body}
     */
    public Check check(String pointer, String source) {
        // The whole outcome is cached per source, pre-checks included: a source seen before costs one lookup.
        Checked checked = cache.get(source, Compiled::new).checked();
        if (checked.violations().isEmpty()) {
            return checked.hasVariables() ? CLEAN_WITH_VARIABLES : CLEAN_WITHOUT_VARIABLES;
        }
        String field = fieldCode(pointer);
        List<Violation> violations = new ArrayList<>(checked.violations().size());
        for (Violation violation : checked.violations()) {
            violations.add(Violation.of(field + violation.code(), pointer, violation.message()));
        }
        return new Check(violations, checked.hasVariables());
    }

    /** Every check of one source, independent of the field it is in: codes are suffixes such as {@code .syntax}. */
    private static Checked checkSource(String source) {
        List<Violation> violations = new ArrayList<>();
        if (PARTIAL.matcher(source).find()) {
            violations.add(
                    Violation.of(".partialNotAllowed", "", "partials ({{> name}}) are not allowed in templates"));
        }
        if (DELIMITER_CHANGE.matcher(source).find()) {
            violations.add(Violation.of(
                    ".delimiterChangeNotAllowed", "", "changing delimiters ({{= =}}) is not allowed in templates"));
        }
        var bare = HELPER_WITHOUT_ARGUMENT.matcher(source);
        if (bare.find()) {
            violations.add(Violation.of(
                    ".helperWithoutArgument",
                    "",
                    "'" + bare.group(1) + "' needs a variable to work on, as in {{"
                            + ("default".equals(bare.group(1))
                                    ? "default firstName \"there\""
                                    : "#" + bare.group(1) + " company")
                            + "}}"));
        }
        int depth = nesting(source);
        if (depth > MAX_NESTING) {
            violations.add(Violation.of(
                    ".nestingTooDeep", "", "blocks nest " + depth + " deep; at most " + MAX_NESTING + " allowed"));
        }
        if (!violations.isEmpty()) {
            return new Checked(violations, false);
        }
        return compileForCheck(source);
    }

    /**
     * Renders a template that passed {@link #check}: the body HTML-escaped for email tasks, everything else as plain text.
     * A literal template is answered as it is written.
     */
    public Rendering render(TaskType type, Template template, Map<String, String> variables) {
        if (template.literal()) {
            return new Rendering.Rendered(new Content(template.subject(), template.body()));
        }
        Mode bodyMode = type.htmlBody() ? Mode.HTML : Mode.PLAIN;
        Compiles body = compiled(bodyMode, template.body());
        Compiles subject = template.subject().isPresent()
                ? compiled(Mode.PLAIN, template.subject().get())
                : null;
        // Handlebars needs the variables that have a value; a substitution looks each one up itself.
        Map<String, String> values = body.substitution() == null || subject != null && subject.substitution() == null
                ? withValues(variables)
                : variables;
        TreeSet<String> missing = new TreeSet<>();
        String bodyText = apply(bodyMode, body, values, missing);
        String subjectText = subject == null ? null : apply(Mode.PLAIN, subject, values, missing);
        if (!missing.isEmpty()) {
            return new Rendering.MissingVariables(List.copyOf(missing));
        }
        return new Rendering.Rendered(Content.of(subjectText, bodyText));
    }

    /** The variables that have a value: an absent, null or blank value is missing (and false in an {@code if}). */
    private static Map<String, String> withValues(Map<String, String> variables) {
        Map<String, String> values = new HashMap<>();
        variables.forEach((name, value) -> {
            if (name != null && value != null && !value.isBlank()) {
                values.put(name, value);
            }
        });
        return values;
    }

    int cachedTemplates() {
        return cache.size();
    }

    /** Whether {@code body} is rendered for {@code type} without handlebars, as a verified {@link Substitution}. */
    boolean rendersBySubstitution(TaskType type, String body) {
        return compiled(type.htmlBody() ? Mode.HTML : Mode.PLAIN, body).substitution() != null;
    }

    private Compiles compiled(Mode mode, String source) {
        return cache.get(source, Compiled::new).forRendering(mode);
    }

    private static String apply(Mode mode, Compiles compiles, Map<String, String> variables, Set<String> missing) {
        if (compiles.substitution() != null) {
            return compiles.substitution().render(variables, mode == Mode.HTML, missing);
        }
        return applyHandlebars(compiles.template(), variables, missing);
    }

    /** Renders with handlebars; {@code variables} holds only variables that have a value. */
    private static String applyHandlebars(
            com.github.jknack.handlebars.Template template, Map<String, String> variables, Set<String> missing) {
        Context context = Context.newBuilder(variables)
                .resolver(MapValueResolver.INSTANCE)
                .build();
        List<String> seen = new ArrayList<>();
        context.data(MISSING, seen);
        try {
            String rendered = template.apply(context);
            missing.addAll(seen);
            return rendered;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            context.destroy();
        }
    }

    /** Compiles a source for rendering; one that does not compile was never checked, and is refused with the reason. */
    private static Compiles compileForRender(Mode mode, String source) {
        Handlebars handlebars = mode == Mode.HTML ? Compilers.HTML : Compilers.PLAIN;
        com.github.jknack.handlebars.Template template;
        try {
            template = handlebars.compileInline(source);
        } catch (HandlebarsException e) {
            throw new IllegalStateException("a stored template does not compile: " + failure(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return new Compiles(template, verifiedSubstitution(mode, template, source));
    }

    /**
     * The source as a {@link Substitution}, once it rendered exactly as handlebars does: with every variable holding a
     * value that needs escaping (and that looks like a template), and with every variable missing. Otherwise null, and
     * handlebars renders it.
     */
    private static Substitution verifiedSubstitution(
            Mode mode, com.github.jknack.handlebars.Template template, String source) {
        Substitution substitution = Substitution.parse(source);
        if (substitution == null) {
            return null;
        }
        Map<String, String> hostile = new HashMap<>();
        for (String name : substitution.names()) {
            hostile.put(name, " <a href=\"x\" title='" + name + "'>&amp; `{{" + name + "}}` = \u00e9\ud83d\ude00</a> ");
        }
        try {
            for (Map<String, String> variables : List.of(hostile, Map.<String, String>of())) {
                Set<String> byHandlebars = new TreeSet<>();
                Set<String> bySubstitution = new TreeSet<>();
                String expected = applyHandlebars(template, variables, byHandlebars);
                String actual = substitution.render(variables, mode == Mode.HTML, bySubstitution);
                if (!expected.equals(actual) || !byHandlebars.equals(bySubstitution)) {
                    return null;
                }
            }
        } catch (RuntimeException e) {
            return null;
        }
        return substitution;
    }

    private static Checked compileForCheck(String source) {
        com.github.jknack.handlebars.Template template;
        try {
            template = Compilers.CHECKING.compileInline(source);
        } catch (HandlebarsException e) {
            return syntaxError(failure(e));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (StackOverflowError e) {
            return syntaxError(new DoesNotCompile(1, 1, "the template nests too deeply to parse"));
        } catch (RuntimeException e) {
            return syntaxError(new DoesNotCompile(1, 1, "the template cannot be parsed"));
        }
        List<Violation> violations = new ArrayList<>();
        List<String> variables = new ArrayList<>();
        for (String name : template.collect(TagType.VAR)) {
            if (!HELPERS.contains(name)) {
                variables.add(name);
            }
        }
        List<String> parameters = template.collectReferenceParameters();
        for (String name : template.collect(TagType.SECTION)) {
            if (!SECTION_HELPERS.contains(name)) {
                violations.add(Violation.of(
                        ".sectionNotAllowed",
                        "",
                        "'{{#" + name + "}}' is not allowed; blocks may use only if and unless"));
            }
        }
        for (String name : template.collect(TagType.TRIPLE_VAR, TagType.AMP_VAR)) {
            violations.add(Violation.of(
                    ".unescapedNotAllowed",
                    "",
                    "'" + name + "' is written unescaped ({{{ }}} or {{& }}); write {{" + name + "}}"));
        }
        if (!template.collect(TagType.STAR_VAR).isEmpty()) {
            violations.add(
                    Violation.of(".decoratorNotAllowed", "", "decorators ({{* }}) are not allowed in templates"));
        }
        if (!template.collect(TagType.SUB_EXPRESSION).isEmpty()) {
            violations.add(
                    Violation.of(".subExpressionNotAllowed", "", "sub-expressions ( ) are not allowed in templates"));
        }
        TreeSet<String> invalid = new TreeSet<>();
        for (String name : variables) {
            if (!isVariableName(name)) {
                invalid.add(name);
            }
        }
        for (String name : parameters) {
            if (!isVariableName(name) && !isLiteral(name)) {
                invalid.add(name);
            }
        }
        for (String name : invalid) {
            violations.add(Violation.of(
                    ".variableNameInvalid",
                    "",
                    "'" + name + "' is not a variable name: use letters, digits and _ (no paths, this, @data or ..)"));
        }
        boolean hasVariables = !variables.isEmpty() || !parameters.isEmpty();
        return new Checked(violations, hasVariables);
    }

    private static Checked syntaxError(DoesNotCompile failure) {
        return new Checked(
                List.of(Violation.of(
                        ".syntax",
                        "",
                        "line " + failure.line() + ", column " + failure.column() + ": " + failure.reason())),
                false);
    }

    /**
     * A plain name. {@code this} has the shape of one but is handlebars' name for the whole context: {@code {{this}}}
     * would print every variable of the contact at once.
     */
    private static boolean isVariableName(String name) {
        return VARIABLE_NAME.matcher(name).matches() && !name.equals("this");
    }

    private static boolean isLiteral(String parameter) {
        return parameter.startsWith("\"")
                || parameter.startsWith("'")
                || parameter.matches("-?\\d+(\\.\\d+)?|true|false|null");
    }

    /**
     * Handlebars' report in the engine's words: its reasons may carry an exception's class name
     * ({@code java.lang.IllegalArgumentException: could not find helper: 'each'}), which a caller must never see.
     */
    private static DoesNotCompile failure(HandlebarsException e) {
        HandlebarsError error = e.getError();
        if (error == null) {
            return new DoesNotCompile(1, 1, reason(e.getMessage()));
        }
        return new DoesNotCompile(error.line, error.column, reason(error.reason));
    }

    private static final Pattern UNKNOWN_HELPER = Pattern.compile("could not find helper: '([^']*)'");
    private static final Pattern CLASS_NAME = Pattern.compile("\\b[a-z][a-z0-9_]*(\\.[a-z][a-z0-9_]*)+\\.[A-Z]\\w*");

    private static String reason(String reason) {
        String text = reason == null ? "" : reason;
        var helper = UNKNOWN_HELPER.matcher(text);
        if (helper.find()) {
            String name = helper.group(1);
            return "'" + (name.length() > 100 ? name.substring(0, 100) + "…" : name)
                    + "' is not a helper of templates; they may use only if, unless and default";
        }
        // Keep the parser's words about the template (an unclosed block, an unexpected token), never a class name.
        String cleaned = CLASS_NAME
                .matcher(text)
                .replaceAll("")
                .replaceAll("^[\\s:]+", "")
                .strip();
        if (cleaned.isEmpty() || cleaned.contains("Exception") || cleaned.contains("handlebars")) {
            return "the template cannot be parsed";
        }
        return cleaned.length() > 200 ? cleaned.substring(0, 200) + "…" : cleaned;
    }

    private static int nesting(String source) {
        var opens = BLOCK_OPEN.matcher(source);
        var closes = BLOCK_CLOSE.matcher(source);
        int depth = 0;
        int deepest = 0;
        int position = 0;
        boolean open = opens.find(position);
        boolean close = closes.find(position);
        while (open || close) {
            if (open && (!close || opens.start() < closes.start())) {
                depth++;
                deepest = Math.max(deepest, depth);
                open = opens.find(opens.end());
            } else {
                depth = Math.max(0, depth - 1);
                close = closes.find(closes.end());
            }
        }
        return deepest;
    }

    private static String fieldCode(String pointer) {
        return "task" + pointer.replace('/', '.');
    }

    private static Handlebars handlebars(EscapingStrategy escaping, boolean recordMissing) {
        AllowedHelpers helpers = new AllowedHelpers();
        helpers.registerHelper("default", (Helper<Object>) TemplateEngine::defaultHelper);
        if (recordMissing) {
            helpers.registerHelperMissing((Helper<Object>) TemplateEngine::recordMissing);
        }
        return new Handlebars(new RefusingLoader()).with(helpers).with(escaping);
    }

    private static Object defaultHelper(Object value, Options options) {
        // Only a variable's text is ever printed: without one, the helper would be handed the whole contact.
        if (!(value instanceof CharSequence) || value.toString().isBlank()) {
            return options.param(0, "");
        }
        return value;
    }

    private static Object recordMissing(Object context, Options options) {
        List<String> missing = options.data(MISSING);
        if (missing != null) {
            missing.add(options.helperName);
        }
        return "";
    }

    /** Exposes only the allowed helpers (and the missing-value recorder), hiding handlebars' built-ins. */
    private static final class AllowedHelpers extends DefaultHelperRegistry {
        @Override
        public <C> Helper<C> helper(String name) {
            if (HELPERS.contains(name) || HelperRegistry.HELPER_MISSING.equals(name)) {
                return super.helper(name);
            }
            return null;
        }
    }

    /** Templates never load anything: no partials, no files, no classpath resources. */
    private static final class RefusingLoader extends AbstractTemplateLoader {
        @Override
        public TemplateSource sourceAt(String location) throws IOException {
            throw new FileNotFoundException("templates cannot load '" + location + "'");
        }
    }
}
