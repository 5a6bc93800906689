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

    private static final byte[] PIXELS = {0, 1, 2, 3, 4, 5, (byte) 200, (byte) 255};

    private static IdxArray read(byte[] bytes, String name) throws IOException {
        return IdxReader.read(new ByteArrayInputStream(bytes), name);
    }

    private static String error(byte[] bytes, String name) {
        return assertThrows(IllegalArgumentException.class, () -> read(bytes, name)).getMessage();
    }

    @Test
    void readsRawAndGzipIdentically() throws IOException {
        byte[] raw = TestData.idx(0x08, new int[] {2, 2, 2}, PIXELS);
        IdxArray a = read(raw, "raw");
        IdxArray b = read(TestData.gzip(raw), "gz");
        assertArrayEquals(new int[] {2, 2, 2}, a.dims());
        assertArrayEquals(PIXELS, a.data());
        assertArrayEquals(a.data(), b.data());
        assertArrayEquals(a.dims(), b.dims());
    }

    @Test
    void wrongMagicNamesSourceAndField() {
        byte[] bad = TestData.idx(0x08, new int[] {8}, PIXELS);
        bad[0] = 0x50;
        String msg = error(bad, "weird.idx");
        assertTrue(msg.contains("weird.idx") && msg.contains("'magic'"), msg);
    }

    @Test
    void wrongDtypeNamesExpectedType() {
        String msg = error(TestData.idx(0x0D, new int[] {2}, new byte[8]), "floats.idx");
        assertTrue(msg.contains("floats.idx") && msg.contains("'dtype'") && msg.contains("0x0d")
                && msg.contains("0x08"), msg);
    }

    @Test
    void truncatedDataHeaderAndGzipAreReported() {
        byte[] full = TestData.idx(0x08, new int[] {2, 2, 2}, PIXELS);
        String data = error(Arrays.copyOf(full, full.length - 3), "short.idx");
        assertTrue(data.contains("short.idx") && data.contains("truncated") && data.contains("'data'")
                && data.contains("5 bytes, expected 8"), data);
        String dims = error(Arrays.copyOf(full, 9), "hdr.idx");
        assertTrue(dims.contains("truncated") && dims.contains("'dims'"), dims);
        String magic = error(new byte[] {0, 0}, "tiny.idx");
        assertTrue(magic.contains("truncated") && magic.contains("'magic'"), magic);
        byte[] gz = TestData.gzip(full);
        String gzMsg = error(Arrays.copyOf(gz, gz.length - 12), "short.gz");
        assertTrue(gzMsg.contains("short.gz") && gzMsg.contains("truncated"), gzMsg);
    }

    @Test
    void trailingBytesAreRejected() {
        byte[] full = TestData.idx(0x08, new int[] {2, 2, 2}, PIXELS);
        String msg = error(Arrays.copyOf(full, full.length + 1), "long.idx");
        assertTrue(msg.contains("trailing"), msg);
    }

    @Test
    void rankIsChecked() {
        byte[] labels = TestData.idx(0x08, new int[] {8}, PIXELS);
        String msg = assertThrows(IllegalArgumentException.class,
                () -> IdxReader.read(new ByteArrayInputStream(labels), "lab.idx", 3)).getMessage();
        assertTrue(msg.contains("lab.idx") && msg.contains("'rank'") && msg.contains("expected 3"), msg);
    }

    @Test
    void fashionMnistChecksCountsLabelsAndShape() throws IOException {
        byte[] img = new byte[2 * 28 * 28];
        img[5] = 7;
        IdxArray images = read(TestData.idx(0x08, new int[] {2, 28, 28}, img), "imgs");
        ImageDataset ok = FashionMnist.fromIdx(images, read(TestData.idx(0x08, new int[] {2}, new byte[] {9, 0}),
                "labs"), "tiny");
        assertEquals(2, ok.size());
        assertEquals(9, ok.label(0));
        assertEquals(7, ok.pixel(0, 0, 0, 5));
        assertEquals(List.of(1, 1, 0), List.of(ok.classCounts()[0], ok.classCounts()[9], ok.classCounts()[3]));

        String count = assertThrows(IllegalArgumentException.class, () -> FashionMnist.fromIdx(images,
                read(TestData.idx(0x08, new int[] {3}, new byte[] {1, 2, 3}), "labs3"), "x")).getMessage();
        assertTrue(count.contains("labs3") && count.contains("'count'") && count.contains("imgs"), count);

        String range = assertThrows(IllegalArgumentException.class, () -> FashionMnist.fromIdx(images,
                read(TestData.idx(0x08, new int[] {2}, new byte[] {1, 10}), "labsR"), "x")).getMessage();
        assertTrue(range.contains("labsR") && range.contains("'label[1]'") && range.contains("0..9"), range);

        IdxArray wrongShape = read(TestData.idx(0x08, new int[] {2, 2, 2}, PIXELS), "small");
        String shape = assertThrows(IllegalArgumentException.class,
                () -> FashionMnist.fromIdx(wrongShape, read(TestData.idx(0x08, new int[] {2}, new byte[2]), "l"),
                        "x")).getMessage();
        assertTrue(shape.contains("small") && shape.contains("28x28"), shape);
    }
}
