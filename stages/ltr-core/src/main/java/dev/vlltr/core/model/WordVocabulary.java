package dev.vlltr.core.model;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Word-level vocabulary for {@link ScratchTextEncoder} (the "no pretrained language" ablation): lower-cased words
 * (runs of letters/digits), ids {@code 0 = <pad>}, {@code 1 = <unk>}, then words by descending corpus frequency (ties
 * in lexicographic order, so building is deterministic).
 */
public final class WordVocabulary {

    /** Padding id. */
    public static final int PAD = 0;
    /** Unknown-word id. */
    public static final int UNK = 1;

    private static final Pattern SPLIT = Pattern.compile("[^\\p{L}\\p{N}]+");

    private final List<String> words;
    private final Map<String, Integer> ids = new HashMap<>();

    private WordVocabulary(List<String> words) {
        this.words = List.copyOf(words);
        for (int i = 0; i < words.size(); i++) {
            ids.put(words.get(i), i);
        }
    }

    /**
     * Builds a vocabulary from a corpus.
     *
     * @param sentences the corpus
     * @param maxSize the maximum number of ids, including {@code <pad>} and {@code <unk>} (≥ 2)
     * @param minCount words seen fewer times are left out (≥ 1)
     * @return the vocabulary
     */
    public static WordVocabulary build(Iterable<String> sentences, int maxSize, int minCount) {
        if (maxSize < 2 || minCount < 1) {
            throw new IllegalArgumentException(
                    "vocabulary needs maxSize ≥ 2 and minCount ≥ 1, got " + maxSize + " and " + minCount);
        }
        Map<String, Integer> counts = new HashMap<>();
        for (String s : sentences) {
            for (String w : tokenize(s)) {
                counts.merge(w, 1, Integer::sum);
            }
        }
        List<Map.Entry<String, Integer>> entries = new ArrayList<>(counts.entrySet());
        entries.removeIf(e -> e.getValue() < minCount);
        entries.sort(Map.Entry.<String, Integer>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()));
        List<String> words = new ArrayList<>(List.of("<pad>", "<unk>"));
        for (int i = 0; i < entries.size() && words.size() < maxSize; i++) {
            words.add(entries.get(i).getKey());
        }
        return new WordVocabulary(words);
    }

    /**
     * Restores a vocabulary from {@link #tokens()}.
     *
     * @param tokens the id → word list, starting with {@code <pad>}, {@code <unk>}
     * @return the vocabulary
     */
    public static WordVocabulary fromTokens(List<String> tokens) {
        if (tokens.size() < 2 || !"<pad>".equals(tokens.get(0)) || !"<unk>".equals(tokens.get(1))) {
            throw new IllegalArgumentException("vocabulary tokens must start with <pad>, <unk>");
        }
        return new WordVocabulary(tokens);
    }

    static List<String> tokenize(String sentence) {
        List<String> out = new ArrayList<>();
        for (String w : SPLIT.split(sentence.toLowerCase(Locale.ROOT))) {
            if (!w.isEmpty()) {
                out.add(w);
            }
        }
        return out;
    }

    /** @return the id → word list (for persisting) */
    public List<String> tokens() {
        return Collections.unmodifiableList(words);
    }

    /** @return the number of ids */
    public int size() {
        return words.size();
    }

    /**
     * Encodes sentences to fixed-length id rows: truncated to {@code maxLength}, padded with {@link #PAD}. A sentence
     * with no word becomes a single {@link #UNK} so that every row has at least one real token.
     *
     * @param sentences the texts
     * @param maxLength the row length L
     * @return {@code [B][L]} ids
     */
    public int[][] encode(List<String> sentences, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maxLength must be ≥ 1, got " + maxLength);
        }
        int[][] out = new int[sentences.size()][maxLength];
        for (int i = 0; i < out.length; i++) {
            List<String> toks = tokenize(sentences.get(i));
            if (toks.isEmpty()) {
                out[i][0] = UNK;
            }
            for (int j = 0; j < Math.min(maxLength, toks.size()); j++) {
                out[i][j] = ids.getOrDefault(toks.get(j), UNK);
            }
        }
        return out;
    }
}
