package dev.vlltr.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One GCIDE (Webster 1913 markup) entry, parsed into its headword, part of speech and cleaned senses.
 *
 * <p>Layout handled: a header {@code Sandal \San"dal\, n. [etymology]} (possibly over several lines), then
 * paragraphs separated by blank lines and source tags ({@code [1913 Webster]}). A paragraph starting with
 * {@code 1.} or {@code (a)} holds senses; one starting with {@code {Phrase}} (phrase definitions), {@code Note:} or
 * {@code Syn.} is dropped; the first paragraph without a marker is the definition of an unnumbered entry; any later
 * one is a quotation and is dropped. Sense text is cleaned: accent codes ({@code [=o]} → o), brackets (etymology,
 * labels like [Obs.], tags), braces of cross references, domain labels ({@code (Mil.)}), inline quotations with
 * their author ({@code "..." --Shak.}) and bare citations ({@code --Lamb.}).
 *
 * @param headword the headword as written in the entry
 * @param pos part of speech as written ({@code "n."}, {@code "v. t."}), {@code ""} when absent
 * @param senses the senses in order; an unnumbered definition has label {@code ""}
 */
public record GcideEntry(String headword, String pos, List<GcideSense> senses) {

    /**
     * A sense: label ({@code "1"}, {@code "2b"}, {@code "a"} or {@code ""}) and cleaned text.
     *
     * @param label the normalised label
     * @param text the cleaned definition text
     */
    public record GcideSense(String label, String text) {}

    private static final Pattern TAG_LINE = Pattern.compile("^\\s*\\[[^\\[\\]]*\\]\\s*$");
    private static final Pattern NUMBERED = Pattern.compile("^(\\d+)\\.\\s+(.*)$");
    private static final Pattern LETTERED = Pattern.compile("^\\(([a-z])\\)\\s+(.*)$");
    private static final Pattern ACCENT = Pattern.compile("\\[(?:[=~'\"`.\\-]([a-zA-Z]{1,2})|([a-zA-Z]{1,2})\\^)\\]");
    private static final Pattern LIGATURE = Pattern.compile("\\[(ae|oe|AE|OE)\\]");
    private static final Pattern BRACKETED = Pattern.compile("\\[[^\\[\\]]*\\]");
    private static final Pattern BRACED = Pattern.compile("\\{([^{}]*)\\}");
    private static final Pattern QUOTE_WITH_AUTHOR =
            Pattern.compile("\"[^\"]*\"\\s*--\\s*[A-Z][\\w.']*(?:\\s+[A-Z][\\w.']*)*\\.?");
    private static final Pattern CITATION = Pattern.compile("\\s*--[A-Z][\\w.']*(?:\\s+[A-Z][\\w.']*)*\\.?");
    private static final Pattern DOMAIN_LABEL = Pattern.compile("\\((?:[A-Z][a-z]*\\.?\\s*){1,3}\\)");
    private static final Pattern PRONUNCIATION = Pattern.compile("\\\\[^\\\\]*\\\\");
    private static final Pattern PRONUNCIATION_PAREN = Pattern.compile("\\((?=[^()]*[\"*`])[^()]*\\)");
    private static final Pattern LEADING_GRAMMAR = Pattern.compile(
            "^(?:[,;]?\\s*(?:a|n|v|adv|prep|conj|interj|pron|pl|p|t|i|imp|pr|vb|sing|prop)\\.\\s*(?:&\\s*)?)+");
    private static final Pattern SPACES = Pattern.compile("\\s+");
    private static final Pattern SPACE_BEFORE_PUNCT = Pattern.compile("\\s+([,;:.])");

    public GcideEntry {
        senses = List.copyOf(senses);
    }

    /**
     * @param raw the entry text from the dictionary
     * @return the parsed entry
     */
    public static GcideEntry parse(String raw) {
        String text = raw.replace("\r", "");
        int firstLineEnd = text.indexOf('\n') < 0 ? text.length() : text.indexOf('\n');
        int pronStart = text.indexOf('\\');
        String headword;
        int afterPron;
        if (pronStart > 0 && pronStart < firstLineEnd) {
            headword = text.substring(0, pronStart).strip();
            int pronEnd = text.indexOf('\\', pronStart + 1);
            afterPron = pronEnd < 0 ? firstLineEnd : pronEnd + 1;
        } else {
            int comma = text.indexOf(',');
            headword = text.substring(0, comma > 0 && comma < firstLineEnd ? comma : firstLineEnd).strip();
            afterPron = headword.length();
        }
        int headerEnd = headerEnd(text, afterPron);
        String grammar = text.substring(afterPron, headerEnd);
        String pos = partOfSpeech(grammar);
        String body = headerEnd < text.length() ? text.substring(headerEnd + 1) : "";
        return new GcideEntry(headword, pos, senses(body));
    }

    /** The header ends at the first newline outside brackets, braces and parentheses. */
    private static int headerEnd(String text, int from) {
        int depth = 0;
        for (int i = from; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '[' || c == '{' || c == '(') {
                depth++;
            } else if ((c == ']' || c == '}' || c == ')') && depth > 0) {
                depth--;
            } else if (c == '\n' && depth == 0) {
                return i;
            }
        }
        return text.length();
    }

    private static String partOfSpeech(String grammar) {
        String g = grammar.replaceFirst("^\\s*\\([^)]*\\)", "");
        int cut = g.length();
        for (char stop : new char[] {'[', ';', '{'}) {
            int i = g.indexOf(stop);
            if (i >= 0 && i < cut) {
                cut = i;
            }
        }
        g = g.substring(0, cut).replaceAll("^[\\s,]+", "").strip();
        return SPACES.matcher(g).replaceAll(" ");
    }

    private static List<GcideSense> senses(String body) {
        List<List<String>> paragraphs = new ArrayList<>();
        List<String> current = new ArrayList<>();
        for (String line : body.split("\n", -1)) {
            if (line.isBlank() || TAG_LINE.matcher(line).matches()) {
                if (!current.isEmpty()) {
                    paragraphs.add(current);
                    current = new ArrayList<>();
                }
            } else {
                current.add(line.strip());
            }
        }
        if (!current.isEmpty()) {
            paragraphs.add(current);
        }
        List<GcideSense> senses = new ArrayList<>();
        boolean first = true;
        String number = "";
        for (List<String> para : paragraphs) {
            String head = para.get(0);
            boolean marked = NUMBERED.matcher(head).matches() || LETTERED.matcher(head).matches();
            if (!marked) {
                boolean dropped = head.startsWith("{") || head.startsWith("Note:") || head.startsWith("Syn");
                if (first && !dropped) {
                    String t = clean(String.join(" ", para));
                    if (!t.isEmpty()) {
                        senses.add(new GcideSense("", t));
                    }
                }
                first = false;
                continue;
            }
            first = false;
            String label = null;
            StringBuilder sb = new StringBuilder();
            for (String line : para) {
                Matcher n = NUMBERED.matcher(line);
                Matcher l = LETTERED.matcher(line);
                if (n.matches() || l.matches()) {
                    flush(senses, label, sb);
                    if (n.matches()) {
                        number = n.group(1);
                        label = number;
                        sb.append(n.group(2));
                    } else {
                        label = number + l.group(1);
                        sb.append(l.group(2));
                    }
                } else {
                    sb.append(' ').append(line);
                }
            }
            flush(senses, label, sb);
        }
        return senses;
    }

    private static void flush(List<GcideSense> senses, String label, StringBuilder sb) {
        if (label != null) {
            String t = clean(sb.toString());
            if (!t.isEmpty()) {
                senses.add(new GcideSense(label, t));
            }
        }
        sb.setLength(0);
    }

    /**
     * @param markup sense text with GCIDE markup
     * @return plain text
     */
    static String clean(String markup) {
        String s = SPACES.matcher(markup).replaceAll(" ");
        // alternate forms in a multi-line header leave their pronunciation and part of speech in the first sense
        s = PRONUNCIATION.matcher(s).replaceAll("");
        s = ACCENT.matcher(s).replaceAll(m -> m.group(1) != null ? m.group(1) : m.group(2));
        s = LIGATURE.matcher(s).replaceAll("$1");
        String prev;
        do {
            prev = s;
            s = BRACKETED.matcher(s).replaceAll("");
        } while (!s.equals(prev));
        s = BRACED.matcher(s).replaceAll(m -> Matcher.quoteReplacement(m.group(1)));
        s = QUOTE_WITH_AUTHOR.matcher(s).replaceAll("");
        s = CITATION.matcher(s).replaceAll("");
        s = DOMAIN_LABEL.matcher(s).replaceAll("");
        s = PRONUNCIATION_PAREN.matcher(s).replaceAll("");
        s = SPACES.matcher(s).replaceAll(" ");
        s = SPACE_BEFORE_PUNCT.matcher(s).replaceAll("$1");
        s = s.strip().replaceAll("^[,;:.]\\s*", "");
        s = LEADING_GRAMMAR.matcher(s).replaceAll("");
        return s.strip();
    }
}
