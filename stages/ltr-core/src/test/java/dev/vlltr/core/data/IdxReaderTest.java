package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class IdxReaderTest {

    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 250, (byte) 255, 7, 8, 9, 10};

    @Test
    void readsRawAndGzipIdentically() throws IOException {
        byte[] raw = TestData.idx(0x08, new int[] {3, 2, 2}, PIXELS);
        IdxArray a = IdxReader.read(new ByteArrayInputStream(raw), "raw.idx");
        IdxArray b = IdxReader.read(new ByteArrayInputStream(TestData.gzip(raw)), "gz.idx");
        assertArrayEquals(new int[] {3, 2, 2}, a.dims());
        assertEquals(3, a.count());
        assertEquals(4, a.itemSize());
        assertArrayEquals(PIXELS, a.data());
        assertArrayEquals(a.dims(), b.dims());
        assertArrayEquals(a.data(), b.data());
        assertEquals(255, a.data()[7] & 0xFF);
    }

    @Test
    void readsThroughDataSource() throws IOException {
        TestData.MapSource source = new TestData.MapSource().put("x.gz", TestData.gzip(TestData.idx(8, new int[] {2}, new byte[] {4, 9})));
        IdxArray a = IdxReader.read(source, "x.gz");
        assertArrayEquals(new byte[] {4, 9}, a.data());
        assertEquals("x.gz", a.source());
    }

    @Test
    void wrongMagicIsNamed() {
        byte[] bad = TestData.idx(8, new int[] {2}, new byte[] {1, 2});
        bad[0] = 0x50; // e.g. a PNG or text file
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.read(new ByteArrayInputStream(bad), "labels.idx"));
        assertTrue(e.getMessage().contains("labels.idx") && e.getMessage().contains("'magic'"), e.getMessage());
    }

    @Test
    void wrongDtypeIsNamed() {
        byte[] floats = TestData.idx(0x0D, new int[] {1}, new byte[] {0, 0, 0, 0});
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.read(new ByteArrayInputStream(TestData.gzip(floats)), "images.gz"));
        assertTrue(e.getMessage().contains("images.gz") && e.getMessage().contains("'dtype'")
                && e.getMessage().contains("0x0d"), e.getMessage());
    }

    @Test
    void truncatedDataAndHeaderAreNamed() {
        byte[] full = TestData.idx(8, new int[] {3, 2, 2}, PIXELS);
        byte[] cut = Arrays.copyOf(full, full.length - 5);
        IllegalArgumentException data = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.read(new ByteArrayInputStream(TestData.gzip(cut)), "cut.gz"));
        assertTrue(data.getMessage().contains("cut.gz") && data.getMessage().contains("'data'")
                && data.getMessage().contains("expected 12") && data.getMessage().contains("got 7"), data.getMessage());

        byte[] header = Arrays.copyOf(full, 9);
        IllegalArgumentException dims = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.read(new ByteArrayInputStream(header), "short.idx"));
        assertTrue(dims.getMessage().contains("short.idx") && dims.getMessage().contains("'dims[1]'"), dims.getMessage());

        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.read(new ByteArrayInputStream(new byte[0]), "empty.idx"));
        assertTrue(empty.getMessage().contains("empty.idx"), empty.getMessage());
    }

    @Test
    void countMismatchAndLabelRangeAreNamed() throws IOException {
        IdxArray images = IdxReader.read(new ByteArrayInputStream(TestData.idx(8, new int[] {3, 2, 2}, PIXELS)), "imgs");
        IdxArray twoLabels = IdxReader.read(new ByteArrayInputStream(TestData.idx(8, new int[] {2}, new byte[] {0, 1})), "lbls");
        IllegalArgumentException mismatch = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.fromIdx(images, twoLabels, FashionMnist.CLASS_NAMES, "x"));
        assertTrue(mismatch.getMessage().contains("imgs") && mismatch.getMessage().contains("lbls")
                && mismatch.getMessage().contains("'dims[0]'") && mismatch.getMessage().contains("3 images"), mismatch.getMessage());

        IdxArray badLabel = IdxReader.read(new ByteArrayInputStream(TestData.idx(8, new int[] {3}, new byte[] {0, 10, 1})), "lbls");
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.fromIdx(images, badLabel, FashionMnist.CLASS_NAMES, "x"));
        assertTrue(range.getMessage().contains("lbls") && range.getMessage().contains("'labels[1]'")
                && range.getMessage().contains("= 10") && range.getMessage().contains("0..9"), range.getMessage());

        IllegalArgumentException swapped = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.fromIdx(twoLabels, images, FashionMnist.CLASS_NAMES, "x"));
        assertTrue(swapped.getMessage().contains("3 dimensions"), swapped.getMessage());
    }

    @Test
    void syntheticDatasetKeepsPixelsAndLabels() throws IOException {
        TestData.MapSource source = new TestData.MapSource()
                .put("i", TestData.idx(8, new int[] {3, 2, 2}, PIXELS))
                .put("l", TestData.gzip(TestData.idx(8, new int[] {3}, new byte[] {2, 0, 9})));
        InMemoryImageDataset ds = FashionMnist.load(source, "i", "l", "tiny");
        assertEquals(3, ds.size());
        assertEquals(List.of(1, 2, 2), List.of(ds.channels(), ds.height(), ds.width()));
        assertArrayEquals(new int[] {2, 0, 9}, ds.labels());
        assertArrayEquals(new byte[] {4, 5, (byte) 250, (byte) 255}, ds.pixels(1));
        assertEquals(255, ds.pixel(1, 0, 1, 1));
        assertEquals(5, ds.pixel(1, 0, 0, 1));
        assertEquals("Ankle boot", ds.classNames().get(ds.label(2)));
    }
}
