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
     * @param headword a loaded headword, any case
     * @return its own entries (not cross references), in dictionary order
     */
    public List<GcideEntry> entries(String headword) {
        return entries.getOrDefault(headword.toLowerCase(Locale.ROOT), List.of());
    }
}
