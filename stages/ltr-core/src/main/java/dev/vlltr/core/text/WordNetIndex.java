package dev.vlltr.core.text;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The lemma index of WordNet nouns ({@code index.noun}):
 * {@code lemma pos synset_cnt p_cnt [ptr_symbol]... sense_cnt tagsense_cnt synset_offset...}, offsets in
 * sense-frequency order. Licence lines (starting with two spaces) are skipped.
 */
public final class WordNetIndex {

    /** Resource name of the noun index. */
    public static final String INDEX_NOUN = "index.noun";

    private final Map<String, List<Long>> offsets;

    private WordNetIndex(Map<String, List<Long>> offsets) {
        this.offsets = offsets;
    }

    /**
     * @param opener opens {@value #INDEX_NOUN}
     * @return the index
     * @throws IOException on read errors
     */
    public static WordNetIndex open(TextResourceOpener opener) throws IOException {
        try (InputStream in = opener.open(INDEX_NOUN)) {
            return read(in);
        }
    }

    /**
     * @param in the index file
     * @return the index
     * @throws IOException on read errors
     * @throws IllegalArgumentException naming the line when a line is malformed
     */
    public static WordNetIndex read(InputStream in) throws IOException {
        Map<String, List<Long>> map = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.ISO_8859_1));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.startsWith("  ") || line.isBlank()) {
                continue;
            }
            String[] t = line.strip().split(" +");
            try {
                int synsetCount = Integer.parseInt(t[2]);
                int pointerCount = Integer.parseInt(t[3]);
                int first = 4 + pointerCount + 2;
                List<Long> list = new ArrayList<>(synsetCount);
                for (int i = 0; i < synsetCount; i++) {
                    list.add(Long.parseLong(t[first + i]));
                }
                map.put(t[0], List.copyOf(list));
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(INDEX_NOUN + " line " + n + ": malformed index line '" + line + "'", e);
            }
        }
        return new WordNetIndex(map);
    }

    /**
     * @param lemma a lemma in any case, spaces or underscores
     * @return its noun synset offsets in sense order (empty when unknown)
     */
    public List<Long> lookup(String lemma) {
        return offsets.getOrDefault(lemma.strip().toLowerCase(Locale.ROOT).replace(' ', '_'), List.of());
    }

    /**
     * Guesses a synset for a class without a hand-picked mapping: the first (most frequent) noun sense of the first
     * lemma found among the whole name, its {@code /}-separated parts, and its last word (the head noun of an
     * English compound: "ankle boot" gives "boot"). The first sense is often not the visual one ({@code top},
     * {@code sneaker} in Fashion-MNIST), so callers should log the guess and prefer a mapping.
     *
     * @param className the class name
     * @return the guessed synset offset, if any lemma matched
     */
    public java.util.Optional<Long> guessFirstSense(String className) {
        List<String> candidates = new ArrayList<>();
        candidates.add(className);
        for (String part : className.split("/")) {
            candidates.add(part);
        }
        String[] words = className.strip().split("[\\s/]+");
        if (words.length > 0) {
            candidates.add(words[words.length - 1]);
        }
        for (String c : candidates) {
            if (c.isBlank()) {
                continue;
            }
            List<Long> senses = lookup(c);
            if (!senses.isEmpty()) {
                return java.util.Optional.of(senses.get(0));
            }
        }
        return java.util.Optional.empty();
    }

    /** @return number of lemmas */
    public int size() {
        return offsets.size();
    }
}
