package dev.vlltr.core.text;

/** The named sentence filter rules, as counted in {@link FilterReport} and the corpus stats file. */
public enum FilterRule {
    /** Same text (after trimming) already kept for the class. */
    DEDUP_EXACT,
    /** Same text after Unicode NFKC, case folding and removing everything but letters, digits and single spaces. */
    DEDUP_NORMALIZED,
    /** Fewer words than {@code minWords}. */
    MIN_WORDS,
    /** More words than {@code maxWords}. */
    MAX_WORDS,
    /** Fewer characters than {@code minChars}. */
    MIN_CHARS,
    /** More characters than {@code maxChars}. */
    MAX_CHARS,
    /** Share of Latin-script letters among all letters below {@code minLatinRatio} (or no letters at all). */
    LATIN_RATIO,
    /** Share of English stop words among words below {@code minStopWordRatio}. */
    STOP_WORD_RATIO
}
