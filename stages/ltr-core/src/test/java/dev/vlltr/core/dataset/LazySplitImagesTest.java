package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.data.BatchLoader;
import dev.vlltr.core.data.ImageDataset;
import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.PrefetchQueue;
import dev.vlltr.core.train.LongTailData;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lazy image splits against the in-memory ones on generated JPEG lists: the same bytes for every image of every
 * split (listed val, val drawn by a longTail block, a recorded split), labels without decoding, and bad images failing
 * when read with the list file, line and field.
 */
class LazySplitImagesTest {

    static final String LISTED = """
            name: lazy
            classes: {names: [a, b, c]}
            splits:
              train: {format: list, file: train.txt}
              val: {format: list, file: val.txt}
              test: {format: list, file: test.txt}
            geometry:
              channels: 3
              mean: [0.5, 0.4, 0.3]
              std: [0.2, 0.2, 0.2]
              train: {randomCrop: {padding: 2}, flip: 0.5}
              eval: {resize: 16, centerCrop: 16}
            """;

    /** The same images, val drawn from train by a longTail block (no val list). */
    static final String DRAWN = LISTED.replace("  val: {format: list, file: val.txt}\n", "")
            + "longTail: {maxPerClass: 6, imbalanceFactor: 2, seed: 3, valPerClass: 2}\n";

    @TempDir
    Path dir;

    @BeforeEach
    void generate() throws IOException {
        write("train.txt", new int[] {10, 9, 8});
        write("val.txt", new int[] {2, 2, 2});
        write("test.txt", new int[] {3, 3, 3});
    }

    /** {@code counts[c]} JPEGs of class c of varying size under {@code <list stem>/c<c>/}, listed in class order. */
    private void write(String list, int[] counts) throws IOException {
        String stem = list.replace(".txt", "");
        List<String> lines = new ArrayList<>();
        for (int c = 0; c < counts.length; c++) {
            Path folder = Files.createDirectories(dir.resolve(stem + "/c" + c));
            for (int i = 0; i < counts[c]; i++) {
                Files.write(folder.resolve(i + ".jpg"), JpegFixtures.jpeg(24 + i % 5, 20 + i % 3, c,
                        stem.hashCode() + 31L * c + i));
                lines.add(stem + "/c" + c + "/" + i + ".jpg " + c);
            }
        }
        Files.write(dir.resolve(list), lines);
    }

    private ResolvedDataset resolve(String yaml) throws IOException {
        return DatasetResolver.resolve(DatasetSpecReaderTest.parse(yaml), "dataset.yaml", new FolderFiles(dir),
                new FolderFiles(dir), Problems.failFast());
    }

    static void assertSameImages(ImageSet expected, ImageSet actual) {
        assertEquals(expected.size(), actual.size(), actual.name());
        assertEquals(expected.name(), actual.name());
        assertArrayEquals(expected.labels(), actual.labels(), actual.name());
        assertArrayEquals(expected.classCounts(), actual.classCounts(), actual.name());
        assertEquals(expected.classNames(), actual.classNames());
        assertEquals(List.of(expected.channels(), expected.height(), expected.width()),
                List.of(actual.channels(), actual.height(), actual.width()));
        int n = expected.imageSize();
        for (int i = 0; i < expected.size(); i++) {
            assertArrayEquals(expected.imageBytes(i), actual.imageBytes(i), actual.name() + " image " + i);
            float[] a = new float[n];
            float[] b = new float[n];
            expected.imageAsFloats(i, a, 0);
            actual.imageAsFloats(i, b, 0);
            assertArrayEquals(a, b, actual.name() + " image " + i + " as floats");
        }
    }

    static void assertSameData(LongTailData memory, LongTailData lazy) {
        assertEquals(memory.split(), lazy.split());
        for (ImageSet s : List.of(memory.train(), memory.val(), memory.test())) {
            assertInstanceOf(ImageDataset.class, s, "in memory");
        }
        for (ImageSet s : List.of(lazy.train(), lazy.val(), lazy.test())) {
            assertInstanceOf(LazySplitImages.class, s, "lazy");
            assertFalse(s.inMemory());
        }
        assertSameImages(memory.train(), lazy.train());
        assertSameImages(memory.val(), lazy.val());
        assertSameImages(memory.test(), lazy.test());
    }

    @Test
    void listedSplitsAreBitIdenticalLazyAndInMemory() throws IOException {
        ResolvedDataset d = resolve(LISTED);
        LongTailData memory = InMemorySplits.load(d, new FolderFiles(dir), null, null, false);
        LongTailData lazy = InMemorySplits.load(d, new FolderFiles(dir), null, null, true);
        assertSameData(memory, lazy);
        assertEquals(27, lazy.train().size());
        // decoded size: (27 + 6 + 9) images of 3 x 16 x 16 bytes
        assertEquals(42L * 3 * 16 * 16, InMemorySplits.decodedBytes(d));
    }

    @Test
    void drawnAndRecordedSplitsAreBitIdenticalLazyAndInMemory() throws IOException {
        ResolvedDataset d = resolve(DRAWN);
        LongTailData memory = InMemorySplits.load(d, new FolderFiles(dir), null, null, false);
        LongTailData lazy = InMemorySplits.load(d, new FolderFiles(dir), null, null, true);
        assertSameData(memory, lazy);
        assertEquals(6, lazy.val().size(), "2 val per class drawn from train");
        // a split an upstream stage recorded (lgr, anchor-selection) is taken as it is, lazily too
        LongTailData recorded = InMemorySplits.load(d, new FolderFiles(dir), memory.split(), "upstream", true);
        assertSameData(memory, recorded);
    }

    @Test
    void readingInParallelGivesTheSameBatchesAsInMemory() throws IOException {
        ResolvedDataset d = resolve(LISTED);
        ImageSet memory = InMemorySplits.load(d, new FolderFiles(dir), null, null, false).train();
        ImageSet lazy = InMemorySplits.load(d, new FolderFiles(dir), null, null, true).train();
        assertTrue(BatchLoader.readThreads(lazy) >= 2, "a lazy set is read on several producers");
        assertEquals(1, BatchLoader.readThreads(memory));
        int[][] order = IntStream.range(0, 7).mapToObj(b -> IntStream.range(b * 4, Math.min(27, b * 4 + 4))
                .map(i -> 26 - i).toArray()).toArray(int[][]::new);
        try (BatchLoader a = BatchLoader.builder().setDataset(memory).setBatches(e -> order).build();
                BatchLoader b = BatchLoader.builder().setDataset(lazy).setBatches(e -> order).optThreads(3)
                        .optPrefetch(4).build();
                PrefetchQueue ea = a.epoch(0);
                PrefetchQueue eb = b.epoch(0)) {
            while (ea.hasNext()) {
                var x = ea.next();
                var y = eb.next();
                assertArrayEquals(x.images(), y.images());
                assertArrayEquals(x.labels(), y.labels());
            }
            assertFalse(eb.hasNext());
        }
    }

    @Test
    void aMissingImageFailsWhenReadNamingListLineAndField() throws IOException {
        ResolvedDataset d = resolve(LISTED);
        Files.delete(dir.resolve("test/c1/2.jpg")); // test.txt line 6
        LongTailData lazy = InMemorySplits.load(d, new FolderFiles(dir), null, null, true); // labels only: fine
        assertEquals(9, lazy.test().size());
        lazy.test().imageBytes(4);
        DatasetSpecException e = assertThrows(DatasetSpecException.class, () -> lazy.test().imageBytes(5));
        assertTrue(e.getMessage().contains("/test.txt line 6: field 'path' is 'test/c1/2.jpg'"), e.getMessage());
        // through a loader's producers the same exception reaches the consumer
        try (BatchLoader loader = BatchLoader.builder().setDataset(lazy.test())
                .setBatches(ep -> new int[][] {{0, 1}, {4, 5}}).optThreads(2).build();
                PrefetchQueue epoch = loader.epoch(0)) {
            epoch.next();
            DatasetSpecException viaLoader = assertThrows(DatasetSpecException.class, epoch::next);
            assertTrue(viaLoader.getMessage().contains("/test.txt line 6: field 'path'"), viaLoader.getMessage());
        }
        // the in-memory path fails the same way, when loading
        DatasetSpecException eager = assertThrows(DatasetSpecException.class,
                () -> InMemorySplits.load(d, new FolderFiles(dir), null, null, false));
        assertTrue(eager.getMessage().contains("/test.txt line 6: field 'path'"), eager.getMessage());
    }

    @Test
    void aCorruptImageFailsWhenReadNamingListLineAndField() throws IOException {
        ResolvedDataset d = resolve(DRAWN);
        LongTailData lazy = InMemorySplits.load(d, new FolderFiles(dir), null, null, true);
        // the val image drawn first comes from some train.txt line: corrupt that file
        LazySplitImages val = (LazySplitImages) lazy.val();
        LabelledImages listed = val.split();
        Files.write(dir.resolve(listed.paths().get(0)), new byte[] {1, 2, 3, 4});
        DatasetSpecException e = assertThrows(DatasetSpecException.class, () -> val.imageBytes(0));
        assertTrue(e.getMessage().contains("/train.txt line " + listed.lines()[0] + ": field 'image' of '"
                + listed.paths().get(0) + "'"), e.getMessage());
    }
}
