package dev.vlltr.core.text;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;

/**
 * Class sentences from WordNet 3.0 noun synsets chosen by hand per class ({@link ClassTextMapping#wordnetSynsets()};
 * the first sense of a lemma is often the wrong one: {@code sneaker} #2 is "informer", {@code top} #1 "the upper part
 * of anything"). Per synset it writes, each switchable:
 * <ul>
 *   <li>gloss — {@code "{name}: {definition}."} (default on);</li>
 *   <li>examples — the quoted usage examples of the gloss as sentences (default on);</li>
 *   <li>synonyms — {@code "{name} is also called a, b or c."} with the words of all the class's synsets that are not
 *       the class name or one of its {@code /}-separated parts (default on);</li>
 *   <li>hypernyms — {@code "{name} is a kind of {hypernym}: {definition}."} following the first hypernym pointer up to
 *       {@code hypernymDepth} levels (default 1; 0 = off).</li>
 * </ul>
 */
public final class WordNetSource {

    private final WordNetDatabase db;
    private final boolean glosses;
    private final boolean examples;
    private final boolean synonyms;
    private final int hypernymDepth;

    private WordNetSource(Builder b) {
        this.db = Objects.requireNonNull(b.db, "setDatabase is required");
        this.glosses = b.glosses;
        this.examples = b.examples;
        this.synonyms = b.synonyms;
        this.hypernymDepth = b.hypernymDepth;
    }

    /** @return a builder */
    public static Builder builder() {
        return new Builder();
    }

    /**
     * @param className the class name used in the sentences
     * @param synsetOffsets the class's noun synsets ({@code data.noun} offsets)
     * @return the sentences, in synset order: glosses and examples, then synonyms, then hypernym glosses
     * @throws IllegalArgumentException naming the class when an offset is not a noun synset
     * @throws IOException on read errors
     */
    public List<String> sentencesFor(String className, List<Long> synsetOffsets) throws IOException {
        List<String> out = new ArrayList<>();
        List<WordNetSynset> synsets = new ArrayList<>();
        for (long offset : synsetOffsets) {
            WordNetSynset s;
            try {
                s = db.noun(offset);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("class '" + className + "': WordNet synset " + offset + " — "
                        + e.getMessage(), e);
            }
            synsets.add(s);
        }
        for (WordNetSynset s : synsets) {
            if (glosses && !s.definition().isEmpty()) {
                out.add(className + ": " + withPeriod(s.definition()));
            }
            if (examples) {
                for (String e : s.examples()) {
                    out.add(withPeriod(capitalize(e)));
                }
            }
        }
        if (synonyms) {
            String line = synonymSentence(className, synsets);
            if (line != null) {
                out.add(line);
            }
        }
        Set<Long> seen = new HashSet<>();
        for (WordNetSynset s : synsets) {
            seen.add(s.offset());
        }
        for (WordNetSynset s : synsets) {
            WordNetSynset current = s;
            for (int level = 0; level < hypernymDepth; level++) {
                List<Long> up = current.hypernyms();
                if (up.isEmpty()) {
                    break;
                }
                current = db.noun(up.get(0));
                if (seen.add(current.offset()) && !current.definition().isEmpty()) {
                    out.add(className + " is a kind of " + current.words().get(0) + ": "
                            + withPeriod(current.definition()));
                }
            }
        }
        return out;
    }

    private static String synonymSentence(String className, List<WordNetSynset> synsets) {
        Set<String> own = new HashSet<>();
        own.add(className.toLowerCase(Locale.ROOT));
        for (String part : className.split("/")) {
            own.add(part.strip().toLowerCase(Locale.ROOT));
        }
        Set<String> lower = new HashSet<>();
        Set<String> words = new LinkedHashSet<>();
        for (WordNetSynset s : synsets) {
            for (String w : s.words()) {
                String key = w.toLowerCase(Locale.ROOT);
                if (!own.contains(key) && lower.add(key)) {
                    words.add(w);
                }
            }
        }
        if (words.isEmpty()) {
            return null;
        }
        List<String> list = new ArrayList<>(words);
        String joined = list.size() == 1 ? list.get(0)
                : String.join(", ", list.subList(0, list.size() - 1)) + " or " + list.get(list.size() - 1);
        return className + " is also called " + joined + ".";
    }

    static String withPeriod(String s) {
        String t = s.strip();
        if (t.isEmpty()) {
            return t;
        }
        char last = t.charAt(t.length() - 1);
        return last == '.' || last == '!' || last == '?' ? t : t + ".";
    }

    static String capitalize(String s) {
        String t = s.strip();
        return t.isEmpty() ? t : t.substring(0, 1).toUpperCase(Locale.ROOT) + t.substring(1);
    }

    /** Builder: {@code setDatabase} is required, the rest optional. */
    public static final class Builder {
        private WordNetDatabase db;
        private boolean glosses = true;
        private boolean examples = true;
        private boolean synonyms = true;
        private int hypernymDepth = 1;

        private Builder() {}

        /** @param db the noun database @return this */
        public Builder setDatabase(WordNetDatabase db) {
            this.db = db;
            return this;
        }

        /** @param on write gloss sentences @return this */
        public Builder optGlosses(boolean on) {
            this.glosses = on;
            return this;
        }

        /** @param on write usage examples @return this */
        public Builder optExamples(boolean on) {
            this.examples = on;
            return this;
        }

        /** @param on write the synonym sentence @return this */
        public Builder optSynonyms(boolean on) {
            this.synonyms = on;
            return this;
        }

        /** @param depth hypernym levels to describe (0 = none) @return this */
        public Builder optHypernymDepth(int depth) {
            if (depth < 0) {
                throw new IllegalArgumentException("hypernymDepth must be >= 0, got " + depth);
            }
            this.hypernymDepth = depth;
            return this;
        }

        /** @return the source */
        public WordNetSource build() {
            return new WordNetSource(this);
        }
    }
}
