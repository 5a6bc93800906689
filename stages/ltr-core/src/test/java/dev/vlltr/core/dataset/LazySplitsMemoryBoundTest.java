package dev.vlltr.core.dataset;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.data.BatchLoader;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.ImageSet;
import dev.vlltr.core.data.PrefetchQueue;
import dev.vlltr.core.train.LongTailData;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Memory-bound proof: a dataset whose splits take {@value #DECODED_MIB} MiB decoded at eval geometry (3 × 224²
 * bytes per image) is read in full by a child JVM with a {@value #HEAP_MIB} MiB heap. Lazily it succeeds, with the
 * checksum of every image the parent computes; decoded up front (the in-memory path) the same child runs out of
 * memory, so the test can fail. The list lines share a few small JPEG files (the decoded size counts lines).
 */
class LazySplitsMemoryBoundTest {

    static final int HEAP_MIB = 32;
    static final int TRAIN = 500;
    static final int VAL = 100;
    static final int TEST = 100;
    static final int DECODED_MIB = (int) ((long) (TRAIN + VAL + TEST) * 3 * 224 * 224 >> 20);

    static final String SPEC = """
            name: big
            classes: {names: [a, b, c]}
            splits:
              train: {format: list, file: train.txt}
              val: {format: list, file: val.txt}
              test: {format: list, file: test.txt}
            geometry:
              channels: 3
              mean: [0.5, 0.5, 0.5]
              std: [0.25, 0.25, 0.25]
              train: {randomCrop: {padding: 4}, flip: 0.5}
              eval: {resize: 224, centerCrop: 224}
            """;

    @TempDir
    Path dir;

    @Test
    void aDatasetThreeTimesTheHeapIsReadLazilyAndNotInMemory() throws Exception {
        assertTrue(DECODED_MIB >= 3 * HEAP_MIB, DECODED_MIB + " MiB decoded");
        Files.createDirectories(dir.resolve("img"));
        for (int c = 0; c < 3; c++) {
            for (int k = 0; k < 2; k++) {
                Files.write(dir.resolve("img/" + c + "-" + k + ".jpg"), JpegFixtures.jpeg(48 + k * 8, 40, c, 7L * c + k));
            }
        }
        list("train.txt", TRAIN, 0);
        list("val.txt", VAL, 1);
        list("test.txt", TEST, 2);
        Files.writeString(dir.resolve("dataset.yaml"), SPEC);
        ResolvedDataset d = Child.resolve(dir);
        assertEquals((long) (TRAIN + VAL + TEST) * 3 * 224 * 224, InMemorySplits.decodedBytes(d));
        // expected checksum: the in-memory path here, with the test JVM's larger heap
        long expected = Child.checksum(InMemorySplits.load(d, new FolderFiles(dir), null, null, false));

        Result lazy = child("lazy");
        assertEquals(0, lazy.code, lazy.output);
        assertTrue(lazy.output.contains("checksum " + expected + " over " + (TRAIN + VAL + TEST) + " images"),
                lazy.output);

        Result memory = child("memory");
        assertNotEquals(0, memory.code, memory.output);
        assertTrue(memory.output.contains("OutOfMemoryError"), memory.output);
    }

    private void list(String name, int lines, int offset) throws IOException {
        List<String> out = new ArrayList<>();
        String stem = name.replace(".txt", "");
        Files.createDirectories(dir.resolve(stem));
        for (int i = 0; i < lines; i++) {
            int c = (i + offset) % 3;
            String rel = stem + "/" + i + ".jpg"; // a copy: a list names each image once
            Files.copy(dir.resolve("img/" + c + "-" + (i / 3) % 2 + ".jpg"), dir.resolve(rel));
            out.add(rel + " " + c);
        }
        Files.write(dir.resolve(name), out);
    }

    record Result(int code, String output) {}

    private Result child(String mode) throws Exception {
        List<String> cmd = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx" + HEAP_MIB + "m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-cp",
                System.getProperty("java.class.path"), Child.class.getName(), dir.toString(), mode);
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        // a bounded wait: the child reads 700 small JPEGs (seconds)
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("child (" + mode + ") did not finish within 120 s");
        }
        return new Result(p.exitValue(), new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
    }

    /** The child: loads the dataset ({@code lazy} or {@code memory}) and reads every image of every split. */
    public static final class Child {

        public static void main(String[] args) throws Exception {
            Path dir = Path.of(args[0]);
            boolean lazy = args[1].equals("lazy");
            LongTailData data = InMemorySplits.load(resolve(dir), new FolderFiles(dir), null, null, lazy);
            int images = data.train().size() + data.val().size() + data.test().size();
            System.out.println("checksum " + checksum(data) + " over " + images + " images (max heap "
                    + (Runtime.getRuntime().maxMemory() >> 20) + " MiB)");
        }

        static ResolvedDataset resolve(Path dir) throws IOException {
            return DatasetResolver.resolve(DatasetSpecReaderTest.parse(Files.readString(dir.resolve("dataset.yaml"))),
                    "dataset.yaml", new FolderFiles(dir), new FolderFiles(dir), Problems.failFast());
        }

        /** Sum over all images of (position-weighted) pixel values, read in batches of 4 on 2 producers. */
        static long checksum(LongTailData data) {
            long sum = 0;
            for (ImageSet set : List.of(data.train(), data.val(), data.test())) {
                int[][] order = IntStream.range(0, (set.size() + 3) / 4).mapToObj(b -> IntStream.range(b * 4,
                        Math.min(set.size(), b * 4 + 4)).toArray()).toArray(int[][]::new);
                try (BatchLoader loader = BatchLoader.builder().setDataset(set).setBatches(e -> order).optThreads(2)
                        .optPrefetch(3).build();
                        PrefetchQueue epoch = loader.epoch(0)) {
                    while (epoch.hasNext()) {
                        FloatBatch b = epoch.next();
                        float[] px = b.images();
                        for (int k = 0; k < px.length; k++) {
                            sum += Math.round(px[k] * 255f) * (k % 7 + 1);
                        }
                    }
                }
            }
            return sum;
        }
    }
}
