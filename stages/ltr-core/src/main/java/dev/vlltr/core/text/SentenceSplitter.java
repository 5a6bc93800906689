package dev.vlltr.core.text;

import com.ibm.icu.text.BreakIterator;
import com.ibm.icu.util.ULocale;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Splits text into sentences with ICU4J's {@link BreakIterator} (Unicode UAX #29 sentence boundaries, locale rules).
 * Line breaks end a sentence (UAX #29 treats them as paragraph separators), so one-per-line input stays one per line.
 *
 * <p>Deviation from VL-LTR, which splits with a hand regex ({@code split_sent}); ICU handles abbreviations and
 * non-Latin punctuation better. Options: the locale (default {@code en}) and abbreviation suppression (default on:
 * ICU's {@code ss=standard} keeps "Mr. Smith" or "approx. 3 cm" in one sentence). {@link #vlltrRegex()} reproduces
 * VL-LTR's regex exactly instead (split after {@code .}/{@code ?} followed by whitespace or a capital, not after
 * "e.g."-like or single-capital initials; a line without a final period is not split; inner whitespace is kept).
 */
public final class SentenceSplitter {

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    /** {@code SentPreProcessor.split_sent}'s pattern, verbatim (Python and Java agree on this syntax). */
    static final Pattern VLLTR_SPLIT =
            Pattern.compile("(?<!\\w\\.\\w.)(?<!([A-Z][a-z])|([A-Z])\\.)(?<=\\.|\\?)(?=[\\sA-Z])");

    private final ULocale locale;
    private final boolean vlltrRegex;

    private SentenceSplitter(ULocale locale, boolean vlltrRegex) {
        this.locale = locale;
        this.vlltrRegex = vlltrRegex;
    }

    /** @return VL-LTR's regex splitter ({@code split_sent}), for exact reproduction */
    public static SentenceSplitter vlltrRegex() {
        return new SentenceSplitter(null, true);
    }

    /** @return an English splitter with abbreviation suppression */
    public static SentenceSplitter english() {
        return of("en", true);
    }

    /**
     * @param languageTag BCP-47 / ICU locale, e.g. {@code en}, {@code de}
     * @param suppressAbbreviations use ICU's sentence-break suppressions for known abbreviations
     * @return the splitter
     */
    public static SentenceSplitter of(String languageTag, boolean suppressAbbreviations) {
        if (languageTag == null || languageTag.isBlank()) {
            throw new IllegalArgumentException("sentence splitter locale must not be blank");
        }
        ULocale base = ULocale.forLanguageTag(languageTag);
        if (base.getLanguage().isEmpty()) {
            throw new IllegalArgumentException("sentence splitter locale '" + languageTag + "' is not a valid language tag");
        }
        ULocale locale = suppressAbbreviations ? base.setKeywordValue("ss", "standard") : base;
        return new SentenceSplitter(locale, false);
    }

    /**
     * @param text any text
     * @return the sentences, stripped, none empty; ICU mode also collapses inner whitespace to single spaces
     */
    public List<String> split(String text) {
        List<String> out = new ArrayList<>();
        if (text == null || text.isBlank()) {
            return out;
        }
        if (vlltrRegex) {
            for (String s : VLLTR_SPLIT.split(text)) {
                if (!s.strip().isEmpty()) {
                    out.add(s.strip());
                }
            }
            return out;
        }
        BreakIterator it = BreakIterator.getSentenceInstance(locale);
        it.setText(text);
        int start = it.first();
        for (int end = it.next(); end != BreakIterator.DONE; start = end, end = it.next()) {
            String s = WHITESPACE.matcher(text.substring(start, end)).replaceAll(" ").strip();
            if (!s.isEmpty()) {
                out.add(s);
            }
        }
        return out;
    }
}
