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
import java.util.Set;

/**
 * A dictd index ({@code gcide.index}): lines {@code headword TAB offset TAB length}, offset and length in dictd's
 * base-64 digits ({@code A-Z a-z 0-9 + /}, most significant first) counting bytes of the <em>uncompressed</em> text.
 * Headwords are matched ignoring case; one headword may have several entries.
 */
public final class DictdIndex {

    private static final String DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

    /**
     * Where an entry lies in the uncompressed dictionary text.
     *
     * @param offset byte offset
     * @param length byte length
     */
    public record Location(long offset, int length) {}

    private final Map<String, List<Location>> entries;

    private DictdIndex(Map<String, List<Location>> entries) {
        this.entries = entries;
    }

    /**
     * Reads the index, keeping only the wanted headwords (the full GCIDE index has 200k lines).
     *
     * @param in the index stream
     * @param headwords wanted headwords, any case; {@code null} keeps all
     * @param sourceName name for error messages
     * @return the index
     * @throws IOException on read errors
     * @throws IllegalArgumentException naming the line when a line is malformed
     */
    public static DictdIndex read(InputStream in, Set<String> headwords, String sourceName) throws IOException {
        Set<String> wanted = headwords == null ? null
                : Set.copyOf(headwords.stream().map(h -> h.toLowerCase(Locale.ROOT)).toList());
        Map<String, List<Location>> map = new HashMap<>();
        BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int n = 0;
        while ((line = r.readLine()) != null) {
            n++;
            if (line.isBlank()) {
                continue;
            }
            int t1 = line.indexOf('\t');
            int t2 = t1 < 0 ? -1 : line.indexOf('\t', t1 + 1);
            if (t1 <= 0 || t2 < 0) {
                throw new IllegalArgumentException(sourceName + " line " + n
                        + ": expected 'headword<TAB>offset<TAB>length', got '" + line + "'");
            }
            String key = line.substring(0, t1).toLowerCase(Locale.ROOT);
            if (wanted != null && !wanted.contains(key)) {
                continue;
            }
            try {
                long offset = decode(line.substring(t1 + 1, t2));
                long length = decode(line.substring(t2 + 1).strip());
                map.computeIfAbsent(key, k -> new ArrayList<>()).add(new Location(offset, Math.toIntExact(length)));
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw new IllegalArgumentException(sourceName + " line " + n + ": " + e.getMessage(), e);
            }
        }
        return new DictdIndex(map);
    }

    /**
     * @param digits a dictd base-64 number, e.g. {@code "5I"} = 57·64 + 8 = 3656
     * @return its value
     */
    public static long decode(String digits) {
        if (digits.isEmpty()) {
            throw new IllegalArgumentException("empty dictd base-64 number");
        }
        long v = 0;
        for (int i = 0; i < digits.length(); i++) {
            int d = DIGITS.indexOf(digits.charAt(i));
            if (d < 0) {
                throw new IllegalArgumentException("invalid dictd base-64 digit '" + digits.charAt(i) + "' in '" + digits + "'");
            }
            v = v * 64 + d;
        }
        return v;
    }

    /**
     * @param headword any case
     * @return its entry locations in index order (empty when absent)
     */
    public List<Location> lookup(String headword) {
        return entries.getOrDefault(headword.toLowerCase(Locale.ROOT), List.of());
    }

    /** @return every kept location */
    public List<Location> allLocations() {
        return entries.values().stream().flatMap(List::stream).toList();
    }
}
