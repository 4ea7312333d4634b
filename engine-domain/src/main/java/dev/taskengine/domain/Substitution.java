package dev.taskengine.domain;

import com.github.jknack.handlebars.EscapingStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The commonest template, rendered without handlebars: text with plain variables ({@code {{firstName}}}) and
 * {@code {{default name "text"}}}, nothing else (no blocks, comments, whitespace control, escapes or triple-stash).
 * Anything else is not a substitution ({@link #parse} answers null) and is rendered by handlebars.
 *
 * <p>It renders exactly as handlebars does with the engine's configuration: a value that is absent or blank is missing
 * (recorded, printed as nothing), {@code default} prints its text instead, and in HTML every printed value (a fallback
 * too) is escaped with handlebars' own {@link EscapingStrategy#HBS4}. {@link TemplateEngine} uses one only after
 * rendering it side by side with handlebars once (every variable with a hostile value, then every variable missing).
 * Immutable.
 */
final class Substitution {
    private static final Pattern VARIABLE = Pattern.compile("\\s*([A-Za-z_][A-Za-z0-9_]{0,63})\\s*");
    private static final Pattern DEFAULT =
            Pattern.compile("\\s*default\\s+([A-Za-z_][A-Za-z0-9_]{0,63})\\s+\"([^\"\\\\{}]*)\"\\s*");
    /** Names handlebars gives a meaning of its own, or helpers of the engine: left to handlebars. */
    private static final Set<String> RESERVED = Set.of(
            "this",
            "else",
            "true",
            "false",
            "null",
            "undefined",
            "if",
            "unless",
            "default",
            "helperMissing",
            "blockHelperMissing");

    private final String[] texts;
    private final String[] names;
    /** Per variable: the text {@code default} prints when it is missing, or null for a plain variable. */
    private final String[] fallbacks;

    private final int textLength;

    private Substitution(List<String> texts, List<String> names, List<String> fallbacks) {
        this.texts = texts.toArray(String[]::new);
        this.names = names.toArray(String[]::new);
        this.fallbacks = fallbacks.toArray(String[]::new);
        int length = 0;
        for (String text : this.texts) {
            length += text.length();
        }
        this.textLength = length;
    }

    /** The substitution {@code source} is, or null when it uses anything else. */
    static Substitution parse(String source) {
        List<String> texts = new ArrayList<>();
        List<String> names = new ArrayList<>();
        List<String> fallbacks = new ArrayList<>();
        int position = 0;
        while (true) {
            int open = source.indexOf("{{", position);
            if (open < 0) {
                String rest = source.substring(position);
                if (rest.contains("}}") || rest.indexOf('\\') >= 0) {
                    return null;
                }
                texts.add(rest);
                return new Substitution(texts, names, fallbacks);
            }
            String text = source.substring(position, open);
            if (text.contains("}}") || text.indexOf('\\') >= 0) {
                return null;
            }
            int close = source.indexOf("}}", open + 2);
            if (close < 0) {
                return null;
            }
            String inside = source.substring(open + 2, close);
            if (inside.indexOf('{') >= 0 || inside.indexOf('}') >= 0) {
                return null;
            }
            Matcher variable = VARIABLE.matcher(inside);
            Matcher fallback = DEFAULT.matcher(inside);
            if (variable.matches()) {
                names.add(variable.group(1));
                fallbacks.add(null);
            } else if (fallback.matches()) {
                names.add(fallback.group(1));
                fallbacks.add(fallback.group(2));
            } else {
                return null;
            }
            if (RESERVED.contains(names.get(names.size() - 1))) {
                return null;
            }
            texts.add(text);
            position = close + 2;
        }
    }

    List<String> names() {
        return List.of(names);
    }

    /**
     * The text with every variable's value; the names of missing variables (absent or blank, no {@code default}) are
     * added to {@code missing}.
     */
    String render(Map<String, String> variables, boolean html, Set<String> missing) {
        StringBuilder out = new StringBuilder(textLength + 24 * names.length);
        for (int i = 0; i < names.length; i++) {
            out.append(texts[i]);
            String value = variables.get(names[i]);
            if (value == null || value.isBlank()) {
                if (fallbacks[i] == null) {
                    missing.add(names[i]);
                    continue;
                }
                value = fallbacks[i];
            }
            out.append(html ? escape(value) : value);
        }
        out.append(texts[names.length]);
        return out.toString();
    }

    /** Handlebars' HBS4 escaping; text without any of the characters it replaces is answered as it is. */
    static String escape(String value) {
        for (int i = 0; i < value.length(); i++) {
            if (escaped(value.charAt(i))) {
                return EscapingStrategy.HBS4.escape(value).toString();
            }
        }
        return value;
    }

    /** The characters HBS4 replaces: {@code & < > " ' ` =}. */
    static boolean escaped(char c) {
        return switch (c) {
            case '&', '<', '>', '"', '\'', '`', '=' -> true;
            default -> false;
        };
    }
}
