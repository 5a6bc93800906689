package dev.vlltr.core.text;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * Random access to the WordNet 3.0 noun synsets ({@code data.noun}): a synset offset is the byte offset of its line,
 * so lookups seek and read one line. Synsets are cached.
 */
public final class WordNetDatabase implements Closeable {

    /** Resource name of the noun data file. */
    public static final String DATA_NOUN = "data.noun";

    private final SeekableByteChannel dataNoun;
    private final Map<Long, WordNetSynset> cache = new HashMap<>();

    /** @param dataNoun random access to {@code data.noun}; closed by {@link #close()} */
    public WordNetDatabase(SeekableByteChannel dataNoun) {
        this.dataNoun = dataNoun;
    }

    /**
     * @param opener opens {@value #DATA_NOUN}
     * @return the database
     * @throws IOException when the file cannot be opened
     */
    public static WordNetDatabase open(TextResourceOpener opener) throws IOException {
        return new WordNetDatabase(opener.openSeekable(DATA_NOUN));
    }

    /**
     * @param offset synset offset (8 digits in WordNet files)
     * @return the noun synset at that offset
     * @throws IllegalArgumentException when no synset line starts at that offset
     * @throws IOException on read errors
     */
    public synchronized WordNetSynset noun(long offset) throws IOException {
        WordNetSynset cached = cache.get(offset);
        if (cached != null) {
            return cached;
        }
        String where = DATA_NOUN + " offset " + String.format("%08d", offset);
        if (offset < 0 || offset >= dataNoun.size()) {
            throw new IllegalArgumentException(where + ": outside the file (size " + dataNoun.size() + " bytes)");
        }
        String line = readLineAt(offset);
        String expected = String.format("%08d ", offset);
        if (!line.startsWith(expected)) {
            throw new IllegalArgumentException(where + ": no synset starts there (line begins '"
                    + line.substring(0, Math.min(line.length(), 40)) + "'); check the synset offset");
        }
        WordNetSynset synset = WordNetSynset.parse(line, where);
        cache.put(offset, synset);
        return synset;
    }

    private String readLineAt(long offset) throws IOException {
        dataNoun.position(offset);
        ByteArrayOutputStream line = new ByteArrayOutputStream(256);
        ByteBuffer buf = ByteBuffer.allocate(4096);
        outer:
        while (dataNoun.read(buf) > 0) {
            buf.flip();
            while (buf.hasRemaining()) {
                byte b = buf.get();
                if (b == '\n') {
                    break outer;
                }
                line.write(b);
            }
            buf.clear();
        }
        // WordNet 3.0 is ASCII; Latin-1 keeps any stray byte as one char.
        String s = line.toString(StandardCharsets.ISO_8859_1);
        return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
    }

    @Override
    public void close() throws IOException {
        dataNoun.close();
    }
}
