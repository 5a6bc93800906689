package dev.vlltr.core.text;

import java.util.List;

/** Names of the text sources, as written in the corpus {@code source} fields and the stats file. */
public final class TextSources {

    /** The 80 CLIP prompt templates ({@link PromptTemplates}). */
    public static final String TEMPLATES = "templates";
    /** Wikipedia (or any MediaWiki) article text, cleaned by {@link WikiTextCleaner}. */
    public static final String WIKIPEDIA = "wikipedia";
    /** WordNet 3.0 glosses, examples, synonyms and hypernym glosses ({@link WordNetSource}). */
    public static final String WORDNET = "wordnet";
    /** GCIDE (Webster 1913 based) dictionary senses ({@link GcideSource}). */
    public static final String GCIDE = "gcide";

    /** Every known source, in the order the corpus builder appends them (templates first, as VL-LTR prepends them). */
    public static final List<String> ALL = List.of(TEMPLATES, WIKIPEDIA, WORDNET, GCIDE);

    private TextSources() {}

    /**
     * Checks a source name.
     *
     * @param name the name to check
     * @return the name
     * @throws IllegalArgumentException naming the known sources when it is not one of them
     */
    public static String requireKnown(String name) {
        if (!ALL.contains(name)) {
            throw new IllegalArgumentException("unknown text source '" + name + "': expected one of " + ALL);
        }
        return name;
    }
}
