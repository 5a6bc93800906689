package dev.vlltr.core.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;

/**
 * The GCIDE entries of a set of headwords, read from the installed dictd files ({@code gcide.index} and the dictzip
 * {@code gcide.dict.dz}, which plain gzip reads whole). Only the wanted headwords are loaded: the index is filtered
 * while reading and the text is decompressed once, skipping to each wanted entry. GCIDE is GPL: its text is read at
 * run time and never shipped with this project.
 */
public final class GcideDictionary {

    /** Resource name of the index. */
    public static final String INDEX = "gcide.index";
    /** Resource name of the dictzip text. */
    public static final String TEXT = "gcide.dict.dz";

    private final Map<String, List<GcideEntry>> entries;

    private GcideDictionary(Map<String, List<GcideEntry>> entries) {
        this.entries = entries;
    }

    /**
     * @param opener opens {@value #INDEX} and {@value #TEXT} (gzip/dictzip)
     * @param headwords the headwords to load, any case
     * @return the loaded entries
     * @throws IOException when a file is missing or unreadable
     * @throws IllegalArgumentException when the index points outside the text
     */
    public static GcideDictionary load(TextResourceOpener opener, Set<String> headwords) throws IOException {
        DictdIndex index;
        try (InputStream in = opener.open(INDEX)) {
            index = DictdIndex.read(in, headwords, INDEX);
        }
        List<DictdIndex.Location> wanted = new ArrayList<>(new LinkedHashSet<>(index.allLocations()));
        wanted.sort(Comparator.comparingLong(DictdIndex.Location::offset));
        Map<Long, String> texts = new HashMap<>();
        if (!wanted.isEmpty()) {
            try (InputStream in = new GZIPInputStream(opener.open(TEXT), 1 << 16)) {
                long position = 0;
                for (DictdIndex.Location loc : wanted) {
                    if (texts.containsKey(loc.offset())) {
                        continue;
                    }
                    if (loc.offset() < position) {
                        // overlapping entries do not occur in dictd files; re-reading would need a second pass
                        throw new IllegalArgumentException(INDEX + ": overlapping entries at byte " + loc.offset());
                    }
                    in.skipNBytes(loc.offset() - position);
                    byte[] bytes = in.readNBytes(loc.length());
                    if (bytes.length < loc.length()) {
                        throw new IllegalArgumentException(INDEX + ": entry at byte " + loc.offset() + " (length "
                                + loc.length() + ") runs past the end of " + TEXT);
                    }
                    position = loc.offset() + loc.length();
                    texts.put(loc.offset(), new String(bytes, StandardCharsets.UTF_8));
                }
            } catch (java.io.EOFException e) {
                throw new IllegalArgumentException(INDEX + " points past the end of " + TEXT, e);
            }
        }
        Map<String, List<GcideEntry>> byHeadword = new HashMap<>();
        for (String h : headwords) {
            String key = h.toLowerCase(Locale.ROOT);
            List<DictdIndex.Location> locs = new ArrayList<>(index.lookup(key));
            locs.sort(Comparator.comparingLong(DictdIndex.Location::offset));
            List<GcideEntry> list = new ArrayList<>();
            for (DictdIndex.Location loc : locs) {
                GcideEntry e = GcideEntry.parse(texts.get(loc.offset()));
                // the index also lists entries that merely mention the word (bag -> "Receptacle")
                if (e.headword().replaceAll("[\"*`']", "").equalsIgnoreCase(h.strip())) {
                    list.add(e);
                }
            }
            byHeadword.put(key, List.copyOf(list));
        }
        return new GcideDictionary(byHeadword);
    }

    /**
     * The headwords {@link #guessFirstNounSense(String)} tries for a class name: the whole name, its {@code /} parts
     * and its last word (the head noun of an English compound).
     *
     * @param className the class name
     * @return candidate headwords, most specific first
     */
    public static List<String> candidateHeadwords(String className) {
        Set<String> c = new LinkedHashSet<>();
        c.add(className.strip());
        for (String part : className.split("/")) {
            if (!part.isBlank()) {
                c.add(part.strip());
            }
        }
        String[] words = className.strip().split("[\\s/]+");
        if (words.length > 0 && !words[words.length - 1].isBlank()) {
            c.add(words[words.length - 1]);
        }
        return List.copyOf(c);
    }

    /**
     * Guesses a selection for a class without a hand-picked one: sense 1 (or the unnumbered definition) of the first
     * noun entry of the first loaded candidate headword. Like any first sense it may be the wrong one (GCIDE's first
     * {@code Sandal} is a cloth), so callers should log it and prefer a mapping.
     *
     * @param className the class name; its {@link #candidateHeadwords} must have been loaded
     * @return the selection, if a candidate has a noun entry
     */
    public java.util.Optional<GcideSelection> guessFirstNounSense(String className) {
        for (String h : candidateHeadwords(className)) {
            for (GcideEntry e : entries(h)) {
                if (GcideSelection.normalizePos(e.pos()).startsWith("n") && !e.senses().isEmpty()) {
                    boolean numbered = e.senses().stream().anyMatch(s -> s.label().equals("1"));
                    return java.util.Optional.of(new GcideSelection(h, "n", 1, numbered ? List.of("1") : List.of()));
                }
            }
        }
        return java.util.Optional.empty();
    }

    /**
     * @param headword a loaded headword, any case
     * @return its own entries (not cross references), in dictionary order
     */
    public List<GcideEntry> entries(String headword) {
        return entries.getOrDefault(headword.toLowerCase(Locale.ROOT), List.of());
    }
}
