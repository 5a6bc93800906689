package dev.vlltr.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which GCIDE senses describe a class: {@code headword[:pos][#entry][/sense,sense...]}.
 * <ul>
 *   <li>{@code pos}: part of speech prefix, e.g. {@code n} (matches {@code n.} and {@code n. pl.}); default any;</li>
 *   <li>{@code entry}: 1-based ordinal among the headword's own entries with that part of speech, in dictionary
 *       order (GCIDE has several {@code Sandal} nouns; the shoe is the 3rd); default 1;</li>
 *   <li>{@code senses}: sense labels such as {@code 1}, {@code 2b} (or {@code 2(b)}), {@code a}; a number includes its
 *       lettered sub-senses; default all senses.</li>
 * </ul>
 * Example: {@code sweater:n/2b}, {@code sandal:n#3}, {@code boot:n#2/1}.
 *
 * @param headword the headword
 * @param pos part-of-speech prefix without dots or spaces ({@code ""} = any)
 * @param entry 1-based entry ordinal
 * @param senses normalised sense labels (empty = all)
 */
public record GcideSelection(String headword, String pos, int entry, List<String> senses) {

    private static final Pattern SPEC = Pattern.compile(
            "^\\s*([^:#/]+?)\\s*(?::\\s*([A-Za-z.& ]*?)\\s*)?(?:#\\s*(\\d+)\\s*)?(?:/\\s*(.*?)\\s*)?$");

    public GcideSelection {
        if (headword == null || headword.isBlank()) {
            throw new IllegalArgumentException("GCIDE selection needs a headword");
        }
        if (entry < 1) {
            throw new IllegalArgumentException("GCIDE selection '" + headword + "': entry must be >= 1, got " + entry);
        }
        pos = normalizePos(pos == null ? "" : pos);
        senses = senses.stream().map(GcideSelection::normalizeLabel).toList();
    }

    /**
     * @param spec {@code headword[:pos][#entry][/senses]}
     * @return the selection
     * @throws IllegalArgumentException with the expected syntax when the spec is malformed
     */
    public static GcideSelection parse(String spec) {
        Matcher m = SPEC.matcher(spec == null ? "" : spec);
        if (!m.matches()) {
            throw new IllegalArgumentException("GCIDE selection '" + spec
                    + "': expected headword[:pos][#entry][/sense,sense], e.g. 'sandal:n#3' or 'sweater:n/2b'");
        }
        List<String> senses = new ArrayList<>();
        if (m.group(4) != null) {
            for (String s : m.group(4).split(",")) {
                if (!s.isBlank()) {
                    String label = normalizeLabel(s);
                    if (!label.matches("\\d+[a-z]?|[a-z]")) {
                        throw new IllegalArgumentException("GCIDE selection '" + spec + "': sense '" + s.strip()
                                + "' must look like 1, 2b, 2(b) or a");
                    }
                    senses.add(label);
                }
            }
        }
        int entry = m.group(3) == null ? 1 : Integer.parseInt(m.group(3));
        return new GcideSelection(m.group(1), m.group(2), entry, senses);
    }

    /** @return the spec string this selection parses from */
    public String spec() {
        return headword + (pos.isEmpty() ? "" : ":" + pos) + "#" + entry
                + (senses.isEmpty() ? "" : "/" + String.join(",", senses));
    }

    /**
     * @param entryPos an entry's part of speech as written ({@code "v. t. & i."})
     * @return whether this selection's pos matches it
     */
    public boolean matchesPos(String entryPos) {
        return pos.isEmpty() || normalizePos(entryPos).startsWith(pos);
    }

    /**
     * @param label a sense label of an entry ({@code "2"}, {@code "2b"}, {@code "a"}, {@code ""} for an unnumbered
     *     definition)
     * @return whether the selection includes it
     */
    public boolean includesSense(String label) {
        if (senses.isEmpty()) {
            return true;
        }
        for (String s : senses) {
            if (label.equals(s) || (s.matches("\\d+") && label.matches(s + "[a-z]"))) {
                return true;
            }
        }
        return false;
    }

    static String normalizePos(String p) {
        return p.replaceAll("[\\s.]", "").toLowerCase(Locale.ROOT);
    }

    static String normalizeLabel(String s) {
        return s.replaceAll("[\\s()]", "").toLowerCase(Locale.ROOT);
    }
}
