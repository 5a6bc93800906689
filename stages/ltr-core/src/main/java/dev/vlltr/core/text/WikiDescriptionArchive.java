package dev.vlltr.core.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * Reads VL-LTR's released text corpus layout ({@code text-corpus/imagenet.zip}, {@code places.zip}, {@code iNat.zip}):
 * one article per class in {@code wiki/desc_{classId}.txt} with {@code == Section ==} headers. As
 * {@code SentPreProcessor._parse_wiki}, a file that is not valid UTF-8 is decoded as GBK.
 */
public final class WikiDescriptionArchive {

    private static final Pattern DESC = Pattern.compile("(?:^|/)desc_(\\d+)\\.txt$");

    private WikiDescriptionArchive() {}

    /**
     * @param zip the zip stream (not closed)
     * @param sourceName name for error messages
     * @return article text per class id, in class order
     * @throws IOException on read errors
     * @throws IllegalArgumentException when the zip has no {@code desc_N.txt} file or a file is neither UTF-8 nor GBK
     */
    public static Map<Integer, String> read(InputStream zip, String sourceName) throws IOException {
        Map<Integer, String> out = new TreeMap<>();
        ZipInputStream z = new ZipInputStream(zip);
        ZipEntry e;
        while ((e = z.getNextEntry()) != null) {
            Matcher m = DESC.matcher(e.getName());
            if (e.isDirectory() || !m.find()) {
                continue;
            }
            int id = Integer.parseInt(m.group(1));
            if (out.put(id, decode(z.readAllBytes(), sourceName + "!" + e.getName())) != null) {
                throw new IllegalArgumentException(sourceName + ": two files for class " + id + " (" + e.getName() + ")");
            }
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(sourceName + ": no wiki/desc_{classId}.txt files (expected VL-LTR's"
                    + " text-corpus zip layout)");
        }
        return out;
    }

    /**
     * @param bytes file content
     * @param where name for error messages
     * @return the text, UTF-8 or else GBK
     */
    static String decode(byte[] bytes, String where) {
        try {
            return strict(StandardCharsets.UTF_8).decode(ByteBuffer.wrap(bytes)).toString();
        } catch (CharacterCodingException utf8) {
            try {
                return strict(Charset.forName("GBK")).decode(ByteBuffer.wrap(bytes)).toString();
            } catch (CharacterCodingException gbk) {
                throw new IllegalArgumentException(where + ": neither UTF-8 nor GBK text");
            }
        }
    }

    private static java.nio.charset.CharsetDecoder strict(Charset cs) {
        return cs.newDecoder().onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    }
}
