package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.calibrate.BatchIndexSource;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageListDatasetTest {

    /** An in-memory opener: the "files" of a tiny ImageNet-LT style folder. */
    static final class MemorySource implements DataSource {
        final Map<String, byte[]> files = new HashMap<>();

        MemorySource put(String name, String text) {
            files.put(name, text.getBytes(StandardCharsets.UTF_8));
            return this;
        }

        MemorySource put(String name, byte[] bytes) {
            files.put(name, bytes);
            return this;
        }

        @Override
        public java.io.InputStream open(String name) throws IOException {
            byte[] b = files.get(name);
            if (b == null) {
                throw new NoSuchFileException(name);
            }
            return new ByteArrayInputStream(b);
        }
    }

    /** Image w×h whose left half is (r1,g1,b1) and right half (r2,g2,b2). */
    static byte[] twoTone(int w, int h, int left, int right, String format) throws IOException {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, x < w / 2 ? left : right);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out));
        return out.toByteArray();
    }

    static MemorySource folder() throws IOException {
        return new MemorySource()
                .put("classnames.txt", "goldfish\ntench\nbird\n\n")
                .put("train.txt", "train/a/1.png 0\n\ntrain/b/2.png 2\ntrain/c/3.jpg 1\n")
                .put("train/a/1.png", twoTone(8, 8, 0xff0000, 0x0000ff, "png"))
                .put("train/b/2.png", twoTone(16, 8, 0x00ff00, 0x00ff00, "png"))
                .put("train/c/3.jpg", twoTone(8, 8, 0x808080, 0x808080, "jpg"));
    }

    @Test
    void loadsListWithResizeAndCenterCrop() throws IOException {
        ImageDataset ds = ImageListDataset.load(folder(), "train.txt", "classnames.txt", new ImageDecoder(8, 4, false));
        assertEquals(3, ds.size());
        assertEquals(List.of("goldfish", "tench", "bird"), ds.classNames());
        assertArrayEquals(new int[] {0, 2, 1}, ds.labels());
        assertEquals(3, ds.channels());
        assertEquals(4, ds.height());
        // 8x8 red|blue: the centre 4x4 crop has red in columns 0-1 and blue in columns 2-3
        assertEquals(255, ds.pixel(0, 0, 0, 0));
        assertEquals(0, ds.pixel(0, 2, 0, 0));
        assertEquals(255, ds.pixel(0, 2, 3, 3));
        assertEquals(0, ds.pixel(0, 0, 3, 3));
        // 16x8 uniform green, shorter side already 8: stays green after the crop
        assertEquals(255, ds.pixel(1, 1, 2, 2));
        assertEquals(0, ds.pixel(1, 0, 2, 2));
        // JPEG grey 128 survives lossy coding within a few levels
        assertEquals(128, ds.pixel(2, 0, 1, 1), 3);
    }

    @Test
    void resizeKeepsAspectAndGreyUsesLuma() throws IOException {
        ImageDecoder decoder = new ImageDecoder(4, 4, true);
        byte[] px = decoder.decode(new ByteArrayInputStream(twoTone(16, 8, 0xffffff, 0x000000, "png")), "x");
        // 16x8 -> 8x4, centre 4x4 crop = columns 2..5 of the resized image: white in 0-1, black in 2-3
        assertEquals(16, px.length);
        assertEquals(255, px[0] & 0xff);
        assertEquals(0, px[3] & 0xff);
        byte[] red = new ImageDecoder(2, 2, true).decode(
                new ByteArrayInputStream(twoTone(2, 2, 0xff0000, 0xff0000, "png")), "red");
        assertEquals(Math.round(255 * 0.299), red[0] & 0xff);
    }

    /** The pattern image of the Pillow reference files: v(x, y, c) = (7x + 13y + 50c + (xy mod 11)) mod 256. */
    static byte[] patternPng() throws IOException {
        BufferedImage img = new BufferedImage(37, 23, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 23; y++) {
            for (int x = 0; x < 37; x++) {
                int[] v = new int[3];
                for (int c = 0; c < 3; c++) {
                    v[c] = (x * 7 + y * 13 + c * 50 + (x * y) % 11) % 256;
                }
                img.setRGB(x, y, (v[0] << 16) | (v[1] << 8) | v[2]);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        return out.toByteArray();
    }

    /**
     * Reference outputs of Pillow 9.4 (Debian python3-pil): Image.resize(BILINEAR) of the shorter side, torchvision's
     * int(round((H - crop) / 2)) centre crop, CHW bytes (test resources data/pil-*.bin).
     */
    @Test
    void matchesPillowResizeAndCenterCrop() throws IOException {
        byte[] png = patternPng();
        check(png, new ImageDecoder(11, 8, false), "pil-rgb-r11-c8.bin");
        check(png, new ImageDecoder(10, 8, true), "pil-grey-r10-c8.bin");
        check(png, new ImageDecoder(5, 5, false), "pil-rgb-r5-c5.bin");
    }

    private static void check(byte[] png, ImageDecoder decoder, String reference) throws IOException {
        byte[] expected;
        try (java.io.InputStream in = ImageListDatasetTest.class.getResourceAsStream("/data/" + reference)) {
            expected = in.readAllBytes();
        }
        byte[] actual = decoder.decode(new ByteArrayInputStream(png), reference);
        assertEquals(expected.length, actual.length, reference);
        for (int i = 0; i < expected.length; i++) {
            assertEquals(expected[i] & 0xff, actual[i] & 0xff, 1, reference + " byte " + i);
        }
    }

    @Test
    void greyPngKeepsItsValues() throws IOException {
        BufferedImage img = new BufferedImage(4, 4, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                img.getRaster().setSample(x, y, 0, 128);
            }
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ImageIO.write(img, "png", out);
        byte[] grey = new ImageDecoder(4, 4, true).decode(new ByteArrayInputStream(out.toByteArray()), "g");
        byte[] rgb = new ImageDecoder(2, 2, false).decode(new ByteArrayInputStream(out.toByteArray()), "g");
        for (byte b : grey) {
            assertEquals(128, b & 0xff);
        }
        for (byte b : rgb) {
            assertEquals(128, b & 0xff);
        }
    }

    @Test
    void lazyListDecodesOnTheLoaderThreads() throws IOException {
        ImageDecoder decoder = new ImageDecoder(8, 4, false);
        ImageDataset eager = ImageListDataset.load(folder(), "train.txt", "classnames.txt", decoder);
        LazyImageList lazy = LazyImageList.open(folder(), "train.txt", "classnames.txt", decoder);
        assertEquals(3, lazy.size());
        assertArrayEquals(eager.labels(), lazy.labels());
        assertEquals(eager.classNames(), lazy.classNames());
        BatchIndexSource order = e -> new int[][] {{2, 0}, {1, 1}};
        try (BatchLoader loader = BatchLoader.builder().setDataset(lazy).setBatches(order).optThreads(2).build();
             BatchLoader.Epoch epoch = loader.epoch(0)) {
            FloatBatch first = epoch.next();
            float[] expected = new float[2 * 48];
            eager.imageAsFloats(2, expected, 0);
            eager.imageAsFloats(0, expected, 48);
            assertArrayEquals(expected, first.images());
            assertArrayEquals(new int[] {1, 0}, first.labels());
        }
        // a missing image is reported when it is read, naming the list line
        LazyImageList broken = LazyImageList.open(folder().put("train.txt", "train/a/1.png 0\nnope.png 1\n"),
                "train.txt", "classnames.txt", decoder);
        String msg = assertThrows(IllegalArgumentException.class, () -> broken.imageBytes(1)).getMessage();
        assertTrue(msg.contains("line 2") && msg.contains("nope.png"), msg);
    }

    @Test
    void clearErrors() throws IOException {
        String malformed = error(folder().put("train.txt", "train/a/1.png 0\njustapath\n"));
        assertTrue(malformed.contains("train.txt line 2") && malformed.contains("field 'label' is missing"), malformed);
        String notInt = error(folder().put("train.txt", "train/a/1.png zero\n"));
        assertTrue(notInt.contains("line 1") && notInt.contains("'label'") && notInt.contains("zero"), notInt);
        String unknown = error(folder().put("train.txt", "train/a/1.png 3\n"));
        assertTrue(unknown.contains("line 1") && unknown.contains("field 'label'") && unknown.contains("0..2"),
                unknown);
        String missing = error(folder().put("train.txt", "train/a/1.png 0\ntrain/zz.png 1\n"));
        assertTrue(missing.contains("line 2") && missing.contains("train/zz.png") && missing.contains("NoSuchFile"),
                missing);
        String broken = error(folder().put("train/a/1.png", "not an image"));
        assertTrue(broken.contains("line 1") && broken.contains("JPEG or PNG"), broken);
        String escape = error(folder().put("train.txt", "../secret.png 0\n"));
        assertTrue(escape.contains("'path'") && escape.contains(".."), escape);
        String dupName = error(folder().put("classnames.txt", "a\nb\na\n"));
        assertTrue(dupName.contains("classnames.txt line 3") && dupName.contains("twice"), dupName);
        String blankName = error(folder().put("classnames.txt", "a\n\nb\n"));
        assertTrue(blankName.contains("classnames.txt line 2") && blankName.contains("empty"), blankName);
        String noList = assertThrows(IllegalArgumentException.class, () -> ImageListDataset.load(folder(),
                "val.txt", "classnames.txt", new ImageDecoder(8, 4, false))).getMessage();
        assertTrue(noList.contains("val.txt") && noList.contains("cannot be opened"), noList);
    }

    private static String error(MemorySource source) {
        return assertThrows(IllegalArgumentException.class, () -> ImageListDataset.load(source, "train.txt",
                "classnames.txt", new ImageDecoder(8, 4, false))).getMessage();
    }
}
