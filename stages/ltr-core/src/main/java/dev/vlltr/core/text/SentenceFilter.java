package dev.vlltr.core.text;

import com.ibm.icu.lang.UScript;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Named sentence filters for one class text: de-duplication, length limits and a simple language check.
 *
 * <p>Every rule is off by default: VL-LTR keeps every sentence (no dedup, no length or language filter), so the
 * default filter is the faithful one. {@link #recommended()} turns on a cleaning set for crawled text. Sentences from
 * exempt sources (default: {@link TextSources#TEMPLATES}) are always kept but still seed the de-duplication sets, so a
 * wiki sentence equal to a template is dropped while the 80 templates stay.
 *
 * <p>Rules, in the order they are checked ({@link FilterRule}): {@code dedup} ({@link Dedup#EXACT} or
 * {@link Dedup#NORMALIZED}), {@code minWords}/{@code maxWords} (whitespace-separated tokens),
 * {@code minChars}/{@code maxChars} (Unicode code points), {@code minLatinRatio} (Latin-script letters / letters) and
 * {@code minStopWordRatio} (English stop words / words).
 */
public final class SentenceFilter {

    /** De-duplication mode. */
    public enum Dedup {
        /** Keep duplicates (VL-LTR). */
        NONE,
        /** Drop exact repeats. */
        EXACT,
        /** Drop repeats after normalisation (NFKC, case fold, punctuation removed, spaces collapsed); implies EXACT. */
        NORMALIZED
    }

    /** A short English stop-word list (function words), enough to tell English prose from other text. */
    static final Set<String> ENGLISH_STOP_WORDS = Set.of(
            "a", "an", "the", "and", "or", "but", "if", "of", "at", "by", "for", "with", "about", "to", "from", "in",
            "on", "off", "over", "under", "into", "onto", "as", "is", "are", "was", "were", "be", "been", "being",
            "has", "have", "had", "do", "does", "did", "it", "its", "this", "that", "these", "those", "which", "who",
            "whom", "whose", "what", "when", "where", "why", "how", "not", "no", "so", "than", "too", "very", "can",
            "will", "just", "also", "such", "there", "their", "they", "them", "he", "she", "his", "her", "we", "our",
            "you", "your", "i", "my", "me", "all", "any", "both", "each", "more", "most", "other", "some", "only",
            "own", "same", "then", "once", "may", "might", "must", "should", "would", "could", "up", "down", "out",
            "between", "through", "during", "before", "after", "above", "below", "while", "because", "until",
            "against", "usually", "often", "one");

    private static final Pattern WHITESPACE = Pattern.compile("\\s+");
    private static final Pattern NON_WORD = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final Dedup dedup;
    private final int minWords;
    private final int maxWords;
    private final int minChars;
    private final int maxChars;
    private final double minLatinRatio;
    private final double minStopWordRatio;
    private final Set<String> exemptSources;

    private SentenceFilter(Builder b) {
        this.dedup = b.dedup;
        this.minWords = b.minWords;
        this.maxWords = b.maxWords;
        this.minChars = b.minChars;
        this.maxChars = b.maxChars;
        this.minLatinRatio = b.minLatinRatio;
        this.minStopWordRatio = b.minStopWordRatio;
        this.exemptSources = Set.copyOf(b.exemptSources);
    }

    /** @return a builder with every rule off (VL-LTR) */
    public static Builder builder() {
        return new Builder();
    }

    /** @return the filter that keeps every sentence (VL-LTR) */
    public static SentenceFilter keepAll() {
        return builder().build();
    }

    /**
     * The recommended cleaning for crawled text: normalised dedup, 3..64 words, 10..500 characters, at least 90 %
     * Latin letters and 10 % English stop words. Glosses are short, so the word minimum stays low.
     *
     * @return the filter
     */
    public static SentenceFilter recommended() {
        return builder().optDedup(Dedup.NORMALIZED).optMinWords(3).optMaxWords(64).optMinChars(10).optMaxChars(500)
                .optMinLatinRatio(0.9).optMinStopWordRatio(0.1).build();
    }

    /**
     * Filters one class's sentences, in order.
     *
     * @param sentences the class's sentences (all sources)
     * @param report receives one count per dropped sentence
     * @return the kept sentences
     */
    public List<CorpusSentence> apply(List<CorpusSentence> sentences, FilterReport report) {
        Objects.requireNonNull(report, "report");
        Set<String> exact = new HashSet<>();
        Set<String> normalized = new HashSet<>();
        List<CorpusSentence> kept = new ArrayList<>(sentences.size());
        for (CorpusSentence s : sentences) {
            String text = s.text().strip();
            String norm = dedup == Dedup.NORMALIZED ? normalize(text) : null;
            if (!exemptSources.contains(s.source())) {
                FilterRule failed = firstFailingRule(text, exact, norm, normalized);
                if (failed != null) {
                    report.count(failed);
                    continue;
                }
            }
            exact.add(text);
            if (norm != null) {
                normalized.add(norm);
            }
            kept.add(s);
        }
        return kept;
    }

    private FilterRule firstFailingRule(String text, Set<String> exact, String norm, Set<String> normalized) {
        if (dedup != Dedup.NONE && exact.contains(text)) {
            return FilterRule.DEDUP_EXACT;
        }
        if (dedup == Dedup.NORMALIZED && normalized.contains(norm)) {
            return FilterRule.DEDUP_NORMALIZED;
        }
        int words = wordCount(text);
        if (words < minWords) {
            return FilterRule.MIN_WORDS;
        }
        if (words > maxWords) {
            return FilterRule.MAX_WORDS;
        }
        int chars = text.codePointCount(0, text.length());
        if (chars < minChars) {
            return FilterRule.MIN_CHARS;
        }
        if (chars > maxChars) {
            return FilterRule.MAX_CHARS;
        }
        if (minLatinRatio > 0 && latinLetterRatio(text) < minLatinRatio) {
            return FilterRule.LATIN_RATIO;
        }
        if (minStopWordRatio > 0 && stopWordRatio(text) < minStopWordRatio) {
            return FilterRule.STOP_WORD_RATIO;
        }
        return null;
    }

    /**
     * @param text a sentence
     * @return whitespace-separated token count
     */
    static int wordCount(String text) {
        String t = text.strip();
        return t.isEmpty() ? 0 : WHITESPACE.split(t).length;
    }

    /**
     * @param text a sentence
     * @return the de-duplication key: NFKC, lower case, only letters/digits separated by single spaces
     */
    static String normalize(String text) {
        String n = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT);
        return NON_WORD.matcher(n).replaceAll(" ").strip();
    }

    /**
     * @param text a sentence
     * @return Latin-script letters / all letters; 0 when there are no letters
     */
    static double latinLetterRatio(String text) {
        int letters = 0;
        int latin = 0;
        for (int i = 0; i < text.length(); ) {
            int cp = text.codePointAt(i);
            i += Character.charCount(cp);
            if (Character.isLetter(cp)) {
                letters++;
                if (UScript.getScript(cp) == UScript.LATIN) {
                    latin++;
                }
            }
        }
        return letters == 0 ? 0.0 : (double) latin / letters;
    }

    /**
     * @param text a sentence
     * @return English stop words / words (words = letter/digit runs, lower-cased); 0 when there are no words
     */
    static double stopWordRatio(String text) {
        String[] words = NON_WORD.split(text.toLowerCase(Locale.ROOT).strip());
        int total = 0;
        int stop = 0;
        for (String w : words) {
            if (w.isEmpty()) {
                continue;
            }
            total++;
            if (ENGLISH_STOP_WORDS.contains(w)) {
                stop++;
            }
        }
        return total == 0 ? 0.0 : (double) stop / total;
    }

    /** Builder; every rule starts off. */
    public static final class Builder {
        private Dedup dedup = Dedup.NONE;
        private int minWords = 0;
        private int maxWords = Integer.MAX_VALUE;
        private int minChars = 0;
        private int maxChars = Integer.MAX_VALUE;
        private double minLatinRatio = 0;
        private double minStopWordRatio = 0;
        private Set<String> exemptSources = Set.of(TextSources.TEMPLATES);

        private Builder() {}

        /** @param mode de-duplication mode @return this */
        public Builder optDedup(Dedup mode) {
            this.dedup = Objects.requireNonNull(mode);
            return this;
        }

        /** @param n minimum words (0 = off) @return this */
        public Builder optMinWords(int n) {
            this.minWords = nonNegative("minWords", n);
            return this;
        }

        /** @param n maximum words @return this */
        public Builder optMaxWords(int n) {
            this.maxWords = nonNegative("maxWords", n);
            return this;
        }

        /** @param n minimum characters (0 = off) @return this */
        public Builder optMinChars(int n) {
            this.minChars = nonNegative("minChars", n);
            return this;
        }

        /** @param n maximum characters @return this */
        public Builder optMaxChars(int n) {
            this.maxChars = nonNegative("maxChars", n);
            return this;
        }

        /** @param ratio minimum share of Latin letters in [0, 1] (0 = off) @return this */
        public Builder optMinLatinRatio(double ratio) {
            this.minLatinRatio = unit("minLatinRatio", ratio);
            return this;
        }

        /** @param ratio minimum share of English stop words in [0, 1] (0 = off) @return this */
        public Builder optMinStopWordRatio(double ratio) {
            this.minStopWordRatio = unit("minStopWordRatio", ratio);
            return this;
        }

        /** @param sources sources whose sentences are never dropped (default: templates) @return this */
        public Builder optExemptSources(Set<String> sources) {
            this.exemptSources = Set.copyOf(sources);
            return this;
        }

        /** @return the filter */
        public SentenceFilter build() {
            if (minWords > maxWords) {
                throw new IllegalArgumentException("minWords (" + minWords + ") must be <= maxWords (" + maxWords + ")");
            }
            if (minChars > maxChars) {
                throw new IllegalArgumentException("minChars (" + minChars + ") must be <= maxChars (" + maxChars + ")");
            }
            return new SentenceFilter(this);
        }

        private static int nonNegative(String name, int n) {
            if (n < 0) {
                throw new IllegalArgumentException(name + " must be >= 0, got " + n);
            }
            return n;
        }

        private static double unit(String name, double r) {
            if (!(r >= 0 && r <= 1)) {
                throw new IllegalArgumentException(name + " must be in [0, 1], got " + r);
            }
            return r;
        }
    }
}
