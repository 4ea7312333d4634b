package dev.taskengine.reliability;

import dev.taskengine.domain.Content;
import dev.taskengine.domain.Rendering;
import dev.taskengine.domain.Template;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The reference model's own, tiny template language: exactly the forms the generated sequences use ({@code {{name}}},
 * {@code {{default name "text"}}}, a non-nested {@code {{#if name}}…{{/if}}}), written from the README and not from
 * the engine's code, so that the engine's rendering is checked against an independent reading. A literal template
 * (the final content of a finished task) is never rendered: it is answered as written.
 */
final class ModelTemplates {
    static final String TO_DO = "Prepare the quarterly review";
    static final String CALL = "Call {{default firstName \"them\"}}{{#if title}} ({{title}}){{/if}}";
    static final String LINKED_IN = "Connect with {{firstName}} {{lastName}}";
    static final String EMAIL_SUBJECT = "Pilot for {{company}} & co";
    static final String EMAIL_BODY = "Hi {{firstName}}, the pilot for {{company}} is ready.";
    static final String SMS = "Hi {{firstName}} <3";
    static final String PLAIN_UPDATE = "Updated: call back tomorrow";
    static final String BLANK = " \t\n";
    static final String PARTIAL = "Hi {{> footer}}";
    static final Content GIVEN = Content.of("Custom subject <b>", "Custom body <i>ok</i>");
    static final Content GIVEN_BLANK = Content.of("Subject", "  ");

    private static final Pattern TAG = Pattern.compile("\\{\\{(?:#if (\\w+)|/if|default (\\w+) \"([^\"]*)\"|(\\w+))}}");

    private ModelTemplates() {}

    /** Whether a source the sequences use names variables (a partial or a blank source is refused before that counts). */
    static boolean hasVariables(String source) {
        return TAG.matcher(source).find();
    }

    static boolean blank(String source) {
        return source.isBlank();
    }

    static boolean partial(String source) {
        return source.contains("{{>");
    }

    /** The template rendered for a contact with {@code values}; the body HTML-escaped when {@code html}. */
    static Rendering render(Template template, Map<String, String> values, boolean html) {
        if (template.literal()) {
            return new Rendering.Rendered(new Content(template.subject(), template.body()));
        }
        Set<String> missing = new TreeSet<>();
        String body = render(template.body(), values, html, missing);
        Optional<String> subject = template.subject().map(s -> render(s, values, false, missing));
        if (!missing.isEmpty()) {
            return new Rendering.MissingVariables(List.copyOf(missing));
        }
        return new Rendering.Rendered(new Content(subject, body));
    }

    private static String render(String source, Map<String, String> values, boolean html, Set<String> missing) {
        StringBuilder out = new StringBuilder();
        Matcher tag = TAG.matcher(source);
        int position = 0;
        boolean skipping = false;
        while (tag.find()) {
            if (!skipping) {
                out.append(source, position, tag.start());
            }
            position = tag.end();
            if (tag.group(1) != null) {
                skipping = value(values, tag.group(1)) == null;
            } else if (tag.group(0).equals("{{/if}}")) {
                skipping = false;
            } else if (skipping) {
                continue;
            } else if (tag.group(2) != null) {
                String value = value(values, tag.group(2));
                out.append(escape(value == null ? tag.group(3) : value, html));
            } else {
                String value = value(values, tag.group(4));
                if (value == null) {
                    missing.add(tag.group(4));
                } else {
                    out.append(escape(value, html));
                }
            }
        }
        out.append(source.substring(position));
        return out.toString();
    }

    private static String value(Map<String, String> values, String name) {
        String value = values.get(name);
        return value == null || value.isBlank() ? null : value;
    }

    /** Handlebars' HBS4 escaping, as the README names it: {@code & < > " ' ` =}. */
    static String escape(String text, boolean html) {
        if (!html) {
            return text;
        }
        StringBuilder out = new StringBuilder();
        for (char c : text.toCharArray()) {
            switch (c) {
                case '&' -> out.append("&amp;");
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&#x27;");
                case '`' -> out.append("&#x60;");
                case '=' -> out.append("&#x3D;");
                default -> out.append(c);
            }
        }
        return out.toString();
    }
}
