package dev.vlltr.core.text;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.GZIPOutputStream;

/** Builds in-memory WordNet and GCIDE files from the hand-written fixtures under {@code text/}. */
final class Fixtures {

    private static final String DIGITS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Pattern ID = Pattern.compile("\\{(\\w+)\\}");

    private Fixtures() {}

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/text/" + name)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource text/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An opener over named byte arrays; unknown names fail like a missing file. */
    static TextResourceOpener opener(Map<String, byte[]> files) {
        return name -> {
            byte[] b = files.get(name);
            if (b == null) {
                throw new FileNotFoundException(name + " (fixture)");
            }
            return new ByteArrayInputStream(b);
        };
    }

    /** Symbolic synset ids of the WordNet fixture mapped to their byte offsets. */
    static Map<String, Long> wordNetOffsets() {
        return wordNet().offsets;
    }

    static TextResourceOpener wordNetOpener() {
        WordNetFixture f = wordNet();
        return opener(Map.of(WordNetDatabase.DATA_NOUN, f.data, WordNetIndex.INDEX_NOUN, f.index));
    }

    private record WordNetFixture(byte[] data, byte[] index, Map<String, Long> offsets) {}

    /** Offsets are 8 digits wide, so line lengths do not depend on them: one pass finds them, a second fills them. */
    private static WordNetFixture wordNet() {
        String template = resource("wordnet-data-noun.txt");
        Map<String, Long> offsets = new LinkedHashMap<>();
        long pos = 0;
        for (String line : template.split("\n", -1)) {
            Matcher m = Pattern.compile("^\\{(\\w+)\\}").matcher(line);
            if (m.find()) {
                offsets.put(m.group(1), pos);
            }
            pos += ID.matcher(line).replaceAll("00000000").getBytes(StandardCharsets.ISO_8859_1).length + 1;
        }
        String data = fill(template, offsets);
        String index = fill(resource("wordnet-index-noun.txt"), offsets);
        return new WordNetFixture(data.getBytes(StandardCharsets.ISO_8859_1), index.getBytes(StandardCharsets.ISO_8859_1),
                offsets);
    }

    private static String fill(String text, Map<String, Long> offsets) {
        return ID.matcher(text).replaceAll(m -> String.format("%08d", offsets.get(m.group(1))));
    }

    /** The GCIDE fixture as {@code gcide.index} + gzip {@code gcide.dict.dz}. */
    static TextResourceOpener gcideOpener() {
        String[] parts = resource("gcide-entries.txt").split("(?m)^%%% ");
        StringBuilder dict = new StringBuilder("00-database-info\nFixture dictionary written for the tests.\n\n");
        StringBuilder index = new StringBuilder();
        Map<String, Integer> seen = new HashMap<>();
        for (String part : parts) {
            if (part.isBlank()) {
                continue;
            }
            int nl = part.indexOf('\n');
            String headword = part.substring(0, nl).strip();
            String entry = part.substring(nl + 1);
            int offset = dict.toString().getBytes(StandardCharsets.UTF_8).length;
            int length = entry.getBytes(StandardCharsets.UTF_8).length;
            dict.append(entry).append('\n');
            // dictd capitalises the index headword like the entry; mix cases to test case-insensitive lookup
            String key = seen.merge(headword, 1, Integer::sum) % 2 == 0 ? capitalize(headword) : headword;
            index.append(key).append('\t').append(encode(offset)).append('\t').append(encode(length)).append('\n');
        }
        try {
            ByteArrayOutputStream gz = new ByteArrayOutputStream();
            try (GZIPOutputStream out = new GZIPOutputStream(gz)) {
                out.write(dict.toString().getBytes(StandardCharsets.UTF_8));
            }
            return opener(Map.of(GcideDictionary.INDEX, index.toString().getBytes(StandardCharsets.UTF_8),
                    GcideDictionary.TEXT, gz.toByteArray()));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String encode(long v) {
        if (v == 0) {
            return "A";
        }
        StringBuilder sb = new StringBuilder();
        while (v > 0) {
            sb.insert(0, DIGITS.charAt((int) (v % 64)));
            v /= 64;
        }
        return sb.toString();
    }

    private static String capitalize(String s) {
        return Character.toUpperCase(s.charAt(0)) + s.substring(1);
    }
}
