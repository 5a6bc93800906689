package dev.vlltr.core.text;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import org.junit.jupiter.api.Test;

class WikiDescriptionArchiveTest {

    private static byte[] zip(Map<String, byte[]> files) throws IOException {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        try (ZipOutputStream z = new ZipOutputStream(b)) {
            for (Map.Entry<String, byte[]> f : files.entrySet()) {
                z.putNextEntry(new ZipEntry(f.getKey()));
                z.write(f.getValue());
                z.closeEntry();
            }
        }
        return b.toByteArray();
    }

    @Test
    void readsDescFilesByClassIdWithGbkFallback() throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        files.put("wiki/", new byte[0]);
        files.put("wiki/desc_10.txt", "Ten.\n== References ==\nx".getBytes(StandardCharsets.UTF_8));
        files.put("wiki/desc_2.txt", "Zwei – ✓".getBytes(StandardCharsets.UTF_8));
        files.put("wiki/desc_3.txt", "Shirt 衬衫".getBytes(Charset.forName("GBK")));
        files.put("README", "ignored".getBytes(StandardCharsets.UTF_8));
        Map<Integer, String> texts = WikiDescriptionArchive.read(new ByteArrayInputStream(zip(files)), "imagenet.zip");
        assertEquals(java.util.List.of(2, 3, 10), java.util.List.copyOf(texts.keySet()));
        assertEquals("Zwei – ✓", texts.get(2));
        assertEquals("Shirt 衬衫", texts.get(3));
        assertEquals("Ten.\n", WikiTextCleaner.builder().build().clean(texts.get(10)));
    }

    @Test
    void archiveWithoutDescFilesIsRejected() throws IOException {
        byte[] z = zip(Map.of("other.txt", new byte[] {1}));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> WikiDescriptionArchive.read(new ByteArrayInputStream(z), "x.zip"));
        assertTrue(e.getMessage().startsWith("x.zip: no wiki/desc_{classId}.txt files"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> WikiDescriptionArchive.decode(new byte[] {(byte) 0xff, (byte) 0xff}, "f"));
    }
}
