package dev.vlltr.core.text;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Strips MediaWiki markup from wikitext, keeping section header lines ({@code == Title ==}) intact so that
 * {@link WikiTextCleaner} can still split sections. Plain-text extracts ({@code prop=extracts&explaintext=1}) pass
 * through almost unchanged.
 *
 * <p>Removed: comments, {@code <ref>} footnotes, templates {@code {{...}}} (nested), tables {@code {|...|}},
 * file/image/category links, HTML tags, bold/italic quotes, behaviour switches ({@code __TOC__}) and list markers;
 * {@code [[target|label]]} becomes {@code label}, {@code [[target]]} becomes {@code target}, {@code [url label]}
 * becomes {@code label}; common HTML entities are decoded.
 */
public final class WikiMarkupStripper {

    private static final Pattern COMMENT = Pattern.compile("<!--.*?-->", Pattern.DOTALL);
    private static final Pattern REF_SELF_CLOSING = Pattern.compile("<ref\\b[^>]*/>", Pattern.CASE_INSENSITIVE);
    private static final Pattern REF = Pattern.compile("<ref\\b[^>]*>.*?</ref\\s*>", Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
    private static final Pattern TEMPLATE = Pattern.compile("\\{\\{[^{}]*\\}\\}");
    private static final Pattern TABLE = Pattern.compile("\\{\\|.*?\\|\\}", Pattern.DOTALL);
    private static final Pattern INTERNAL_LINK = Pattern.compile("\\[\\[([^\\[\\]]*)\\]\\]");
    private static final Pattern NON_TEXT_NAMESPACE = Pattern.compile("(?i)^\\s*:?(file|image|media|category)\\s*:");
    private static final Pattern EXTERNAL_LINK = Pattern.compile("\\[(?:https?|ftp)://[^\\s\\]]+\\s*([^\\]]*)\\]");
    private static final Pattern BOLD_ITALIC = Pattern.compile("'{2,5}");
    private static final Pattern HTML_TAG = Pattern.compile("</?[a-zA-Z][^>]*>");
    private static final Pattern BEHAVIOUR_SWITCH = Pattern.compile("__[A-Z]+__");
    private static final Pattern LIST_MARKER = Pattern.compile("(?m)^[*#:;]+\\s*");
    private static final Pattern SPACES = Pattern.compile("[ \\t\\x0B\\f]+");
    private static final Pattern ENTITY = Pattern.compile("&(nbsp|amp|lt|gt|quot|ndash|mdash|apos|#\\d+);");
    private static final Map<String, String> ENTITIES = Map.of(
            "nbsp", " ", "amp", "&", "lt", "<", "gt", ">", "quot", "\"", "ndash", "\u2013", "mdash", "\u2014", "apos", "'");

    private WikiMarkupStripper() {}

    /**
     * @param wikitext MediaWiki markup (or plain text)
     * @return plain text with header lines kept
     */
    public static String strip(String wikitext) {
        String s = COMMENT.matcher(wikitext).replaceAll("");
        s = REF_SELF_CLOSING.matcher(s).replaceAll("");
        s = REF.matcher(s).replaceAll("");
        s = repeat(TEMPLATE, s, m -> "");
        s = TABLE.matcher(s).replaceAll("");
        s = repeat(INTERNAL_LINK, s, m -> {
            String inner = m.group(1);
            if (NON_TEXT_NAMESPACE.matcher(inner).find()) {
                return "";
            }
            int bar = inner.indexOf('|');
            return bar >= 0 ? inner.substring(bar + 1) : inner;
        });
        s = EXTERNAL_LINK.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        s = BOLD_ITALIC.matcher(s).replaceAll("");
        s = HTML_TAG.matcher(s).replaceAll("");
        s = BEHAVIOUR_SWITCH.matcher(s).replaceAll("");
        s = LIST_MARKER.matcher(s).replaceAll("");
        s = ENTITY.matcher(s).replaceAll(m -> {
            String e = m.group(1);
            String r = e.startsWith("#") ? new String(Character.toChars(Integer.parseInt(e.substring(1)))) : ENTITIES.get(e);
            return Matcher.quoteReplacement(r);
        });
        return SPACES.matcher(s).replaceAll(" ");
    }

    /** Replaces innermost matches until none is left (templates and links nest). */
    private static String repeat(Pattern p, String s, java.util.function.Function<java.util.regex.MatchResult, String> f) {
        String prev;
        do {
            prev = s;
            s = p.matcher(s).replaceAll(m -> Matcher.quoteReplacement(f.apply(m)));
        } while (!s.equals(prev));
        return s;
    }
}
