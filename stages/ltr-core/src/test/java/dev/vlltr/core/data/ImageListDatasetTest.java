package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;

class ImageListDatasetTest {

    /** RGB image whose pixel (x, y) is (10x + y, 100 + y, 200 - x). */
    private static BufferedImage pattern(int w, int h) {
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                img.setRGB(x, y, ((10 * x + y) << 16) | ((100 + y) << 8) | (200 - x));
            }
        }
        return img;
    }

    private static byte[] encode(BufferedImage img, String format) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        assertTrue(ImageIO.write(img, format, out), "no ImageIO writer for " + format);
        return out.toByteArray();
    }

    private static TestData.MapSource source() throws IOException {
        BufferedImage gray = new BufferedImage(3, 3, BufferedImage.TYPE_BYTE_GRAY);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                gray.getRaster().setSample(x, y, 0, 128 + 10 * y + x);
            }
        }
        BufferedImage flat = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 16; y++) {
            for (int x = 0; x < 16; x++) {
                flat.setRGB(x, y, (200 << 16) | (40 << 8) | 90);
            }
        }
        return new TestData.MapSource()
                .put("classes.txt", "cat\ndog\nbird\n")
                .put("train.txt", "img/a.png 0\n\nimg/b b.png dog\n/img/gray.png 2\nimg/flat.jpg 1\n")
                .put("root/img/a.png", encode(pattern(6, 4), "png"))
                .put("root/img/b b.png", encode(pattern(4, 4), "png"))
                .put("root/img/gray.png", encode(gray, "png"))
                .put("root/img/flat.jpg", encode(flat, "jpg"));
    }

    private static ImageListDataset.Builder builder(TestData.MapSource source, int size) {
        return ImageListDataset.builder().setDataSource(source).setListFile("train.txt")
                .setClassNamesFile("classes.txt").optImageRoot("root").setImageSize(size);
    }

    @Test
    void parsesListLazilyWithIndexAndNameLabels() throws IOException {
        TestData.MapSource source = source();
        ImageListDataset ds = builder(source, 3).build();
        assertEquals(2, source.opens.get(), "only the list and class names are read at build time");
        assertEquals(4, ds.size());
        assertEquals(List.of("cat", "dog", "bird"), ds.classNames());
        assertArrayEquals(new int[] {0, 1, 2, 1}, ds.labels());
        assertEquals("img/b b.png", ds.path(1), "paths may contain spaces");
        assertEquals("/img/gray.png", ds.path(2));
        ds.pixels(2); // Places-LT style leading slash: still under the image root
        assertEquals(3, ds.channels());
        ds.pixels(0);
        assertEquals(4, source.opens.get());
    }

    @Test
    void centerCropWithoutResizeKeepsExactPixels() throws IOException {
        // a.png is 6x4: shorter side 4 = target, so no resampling; centre crop 4x4 starts at x = 1.
        ImageListDataset ds = builder(source(), 4).build();
        byte[] px = ds.pixels(0);
        assertEquals(3 * 16, px.length);
        for (int y = 0; y < 4; y++) {
            for (int x = 0; x < 4; x++) {
                int sx = x + 1;
                assertEquals(10 * sx + y, px[y * 4 + x] & 0xFF, "R at " + x + "," + y);
                assertEquals(100 + y, px[16 + y * 4 + x] & 0xFF, "G at " + x + "," + y);
                assertEquals(200 - sx, px[32 + y * 4 + x] & 0xFF, "B at " + x + "," + y);
            }
        }
    }

    @Test
    void grayscaleUsesLumaAndKeepsGrayPngValues() throws IOException {
        ImageListDataset ds = builder(source(), 3).optColorMode(ImageListDataset.ColorMode.GRAYSCALE).build();
        assertEquals(1, ds.channels());
        byte[] gray = ds.pixels(2);
        for (int y = 0; y < 3; y++) {
            for (int x = 0; x < 3; x++) {
                // a gray PNG must not pick up a gamma change on the way through AWT
                assertEquals(128 + 10 * y + x, gray[y * 3 + x] & 0xFF);
            }
        }
        byte[] rgbAsGray = builder(source(), 4).optColorMode(ImageListDataset.ColorMode.GRAYSCALE).build().pixels(0);
        int r = 10 * 1;
        int g = 100;
        int b = 199;
        assertEquals(Math.round(0.299 * r + 0.587 * g + 0.114 * b), rgbAsGray[0] & 0xFF);
    }

    @Test
    void resizesShorterSideThenCrops() throws IOException {
        // flat.jpg is 16x16 of one colour: resize to 8, crop 8; JPEG is lossy, so allow a few levels.
        ImageListDataset ds = builder(source(), 8).build();
        byte[] px = ds.pixels(3);
        assertEquals(3 * 64, px.length);
        for (int i = 0; i < 64; i++) {
            assertEquals(200, px[i] & 0xFF, 4);
            assertEquals(40, px[64 + i] & 0xFF, 4);
            assertEquals(90, px[128 + i] & 0xFF, 4);
        }
        BufferedImage resized = ImageListDataset.resizeShorterSide(pattern(30, 20), 10);
        assertEquals(15, resized.getWidth());
        assertEquals(10, resized.getHeight());
    }

    @Test
    void randomCropIsSeededAndVaries() throws IOException {
        // a.png (6x4) with target 4 and resize to shorter side 4: x offset in 0..2, y offset 0.
        ImageListDataset ds = builder(source(), 4).optCropMode(ImageListDataset.CropMode.RANDOM).build();
        assertArrayEquals(ds.pixels(0, new Random(5)), ds.pixels(0, new Random(5)));
        Set<Integer> firstRed = new HashSet<>();
        Random random = new Random(1);
        for (int i = 0; i < 40; i++) {
            firstRed.add(ds.pixels(0, random)[0] & 0xFF);
        }
        assertEquals(Set.of(0, 10, 20), firstRed, "all three horizontal offsets occur");
        assertEquals(10, ds.pixels(0)[0] & 0xFF, "no Random: centre crop");
    }

    @Test
    void malformedLinesAndUnknownLabelsAreNamed() throws IOException {
        TestData.MapSource source = source().put("bad1.txt", "img/a.png 0\nimg/b.png\n");
        IllegalArgumentException malformed = assertThrows(IllegalArgumentException.class,
                () -> builder(source, 4).setListFile("bad1.txt").build());
        assertTrue(malformed.getMessage().contains("bad1.txt line 2") && malformed.getMessage().contains("malformed"),
                malformed.getMessage());

        source.put("bad2.txt", "img/a.png 0\nimg/b.png 3\n");
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> builder(source, 4).setListFile("bad2.txt").build());
        assertTrue(range.getMessage().contains("bad2.txt line 2") && range.getMessage().contains("unknown label 3")
                && range.getMessage().contains("'label'"), range.getMessage());

        source.put("bad3.txt", "img/a.png fish\n");
        IllegalArgumentException name = assertThrows(IllegalArgumentException.class,
                () -> builder(source, 4).setListFile("bad3.txt").build());
        assertTrue(name.getMessage().contains("bad3.txt line 1") && name.getMessage().contains("'fish'"), name.getMessage());

        source.put("classes-gap.txt", "cat\n\ndog\n");
        IllegalArgumentException gap = assertThrows(IllegalArgumentException.class,
                () -> builder(source, 4).setClassNamesFile("classes-gap.txt").build());
        assertTrue(gap.getMessage().contains("classes-gap.txt line 2"), gap.getMessage());
    }

    @Test
    void missingOrUndecodableImagesAreNamedWhenRead() throws IOException {
        TestData.MapSource source = source()
                .put("list.txt", "img/a.png 0\nimg/missing.png 1\nimg/text.png 1\n")
                .put("root/img/text.png", "not an image");
        ImageListDataset ds = builder(source, 4).setListFile("list.txt").build();
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> ds.pixels(1));
        assertTrue(missing.getMessage().contains("root/img/missing.png") && missing.getMessage().contains("list.txt line 2"),
                missing.getMessage());
        IllegalArgumentException text = assertThrows(IllegalArgumentException.class, () -> ds.pixels(2));
        assertTrue(text.getMessage().contains("root/img/text.png") && text.getMessage().contains("not a decodable image"),
                text.getMessage());
        assertNotEquals(0, ds.pixels(0).length);
    }

    @Test
    void lazyRandomCropsThroughTheLoaderAreDeterministicForAnyWorkerCount() throws IOException {
        ImageListDataset ds = builder(source(), 4).optCropMode(ImageListDataset.CropMode.RANDOM).build();
        int[] indices = {0, 1, 0, 3, 0, 2, 0, 1, 0, 0, 3, 0};
        float[][] reference = null;
        for (int workers : new int[] {1, 3}) {
            try (BatchLoader loader = BatchLoader.builder().setDataset(ds).setIndices(indices).setBatchSize(3)
                    .optSeed(5).optNumWorkers(workers).build()) {
                float[][] images = new float[loader.numBatches()][];
                for (int b = 0; loader.hasNext(); b++) {
                    images[b] = loader.next().images();
                }
                if (reference == null) {
                    reference = images;
                } else {
                    for (int b = 0; b < images.length; b++) {
                        assertArrayEquals(reference[b], images[b], "batch " + b);
                    }
                }
            }
        }
        Set<Float> offsets = new HashSet<>();
        for (float[] batch : reference) {
            for (int k = 0; k < 3; k++) {
                offsets.add(batch[k * 48]);
            }
        }
        assertTrue(offsets.size() > 1, "random crops differ between items");
    }
}
