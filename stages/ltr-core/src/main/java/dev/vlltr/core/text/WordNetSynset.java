package dev.vlltr.core.text;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One synset line of a WordNet 3.0 {@code data.*} file ({@code man 5WN wndb}):
 * {@code offset lex_filenum ss_type w_cnt [word lex_id]... p_cnt [ptr_symbol offset pos src/tgt]... | gloss}.
 *
 * @param offset the synset offset (byte offset of the line)
 * @param lexFileNumber lexicographer file number ({@code 6} = {@code noun.artifact})
 * @param synsetType {@code n}, {@code v}, {@code a}, {@code s} or {@code r}
 * @param words the synset's words, underscores replaced by spaces, adjective markers removed
 * @param pointers the pointers
 * @param gloss the raw gloss (definitions and quoted examples)
 */
public record WordNetSynset(long offset, int lexFileNumber, char synsetType, List<String> words,
        List<Pointer> pointers, String gloss) {

    /** Lexicographer file number of {@code noun.artifact}. */
    public static final int NOUN_ARTIFACT = 6;

    private static final Pattern EXAMPLE = Pattern.compile("\"([^\"]*)\"");
    private static final Pattern ADJ_MARKER = Pattern.compile("\\((a|p|ip)\\)$");

    /**
     * A pointer to another synset.
     *
     * @param symbol pointer symbol ({@code @} hypernym, {@code @i} instance hypernym, {@code ~} hyponym, ...)
     * @param offset target synset offset
     * @param pos target part of speech
     */
    public record Pointer(String symbol, long offset, char pos) {}

    public WordNetSynset {
        words = List.copyOf(words);
        pointers = List.copyOf(pointers);
    }

    /**
     * Parses a data line.
     *
     * @param line the line, without the newline
     * @param where file and offset for error messages
     * @return the synset
     * @throws IllegalArgumentException naming {@code where} when the line is not a synset line
     */
    public static WordNetSynset parse(String line, String where) {
        int bar = line.indexOf(" | ");
        String head = bar >= 0 ? line.substring(0, bar) : line.strip();
        String gloss = bar >= 0 ? line.substring(bar + 3).strip() : "";
        String[] t = head.strip().split(" +");
        try {
            int i = 0;
            long offset = Long.parseLong(t[i++]);
            int lex = Integer.parseInt(t[i++]);
            char type = t[i++].charAt(0);
            int wCnt = Integer.parseInt(t[i++], 16);
            List<String> words = new ArrayList<>(wCnt);
            for (int w = 0; w < wCnt; w++) {
                String word = ADJ_MARKER.matcher(t[i]).replaceAll("");
                words.add(word.replace('_', ' '));
                i += 2;
            }
            int pCnt = Integer.parseInt(t[i++]);
            List<Pointer> pointers = new ArrayList<>(pCnt);
            for (int p = 0; p < pCnt; p++) {
                pointers.add(new Pointer(t[i], Long.parseLong(t[i + 1]), t[i + 2].charAt(0)));
                i += 4;
            }
            return new WordNetSynset(offset, lex, type, words, pointers, gloss);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(where + ": not a WordNet synset line ("
                    + e.getClass().getSimpleName() + "): '" + abbreviate(line) + "'", e);
        }
    }

    /**
     * @return the definition part of the gloss: the text before the first quoted example, trailing {@code ;} removed
     *     ({@code "a; b"} kept whole). Cutting at the first quote keeps the definition clean even in the few WordNet
     *     glosses with unbalanced quotes.
     */
    public String definition() {
        int quote = gloss.indexOf('"');
        String d = quote >= 0 ? gloss.substring(0, quote) : gloss;
        return d.replaceAll("[;\\s]+$", "").strip();
    }

    /** @return the quoted usage examples of the gloss, without the quotes */
    public List<String> examples() {
        List<String> out = new ArrayList<>();
        Matcher m = EXAMPLE.matcher(gloss);
        while (m.find()) {
            String e = m.group(1).strip();
            if (!e.isEmpty()) {
                out.add(e);
            }
        }
        return out;
    }

    /** @return offsets of the (instance) hypernyms, in pointer order */
    public List<Long> hypernyms() {
        return pointers.stream().filter(p -> p.symbol().equals("@") || p.symbol().equals("@i"))
                .map(Pointer::offset).toList();
    }

    private static String abbreviate(String s) {
        return s.length() > 120 ? s.substring(0, 120) + "..." : s;
    }
}
