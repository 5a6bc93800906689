package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import dev.vlltr.core.calibrate.BatchIndexSource;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    static ImageDataset synthetic(int n) {
        Random rng = new Random(42);
        byte[] px = new byte[n * 28 * 28];
        rng.nextBytes(px);
        int[] labels = new int[n];
        for (int i = 0; i < n; i++) {
            labels[i] = i % 10;
        }
        return new ImageDataset("synthetic", px, 1, 28, 28, labels, FashionMnist.CLASS_NAMES);
    }

    static final ImageDataset DATA = synthetic(300);
    static final BatchIndexSource BATCHES = Batches.of(
            Samplers.builder().setName("instance").setLabels(DATA.labels(), 10).optSeed(1).build(), 32);

    static List<FloatBatch> drain(BatchLoader loader, int epoch) {
        List<FloatBatch> out = new ArrayList<>();
        try (BatchLoader.Epoch it = loader.epoch(epoch)) {
            while (it.hasNext()) {
                out.add(it.next());
            }
        }
        return out;
    }

    static long liveLoaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(BatchLoader.THREAD_PREFIX)).count();
    }

    @Test
    void batchesHoldTheSampledImagesAugmentedWithPerBatchSeeds() {
        AugmentationPipeline aug = AugmentationPipeline.fashionMnistTrain();
        try (BatchLoader loader = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).optAugmentation(aug)
                .optSeed(9).build()) {
            List<FloatBatch> batches = drain(loader, 2);
            int[][] order = BATCHES.epoch(2);
            assertEquals(300 / 32, batches.size());
            for (int b = 0; b < batches.size(); b++) {
                FloatBatch batch = batches.get(b);
                assertEquals(b, batch.index());
                assertArrayEquals(order[b], batch.indices());
                // independent assembly: scale to [0,1], then the pipeline image by image with the batch's Random
                Random rng = new Random(BatchLoader.batchSeed(9, 2, b));
                float[] expected = new float[32 * 784];
                for (int k = 0; k < 32; k++) {
                    int i = order[b][k];
                    assertEquals(DATA.label(i), batch.labels()[k]);
                    for (int p = 0; p < 784; p++) {
                        expected[k * 784 + p] = DATA.pixel(i, 0, p / 28, p % 28) / 255f;
                    }
                    aug.apply(expected, k * 784, 1, 28, 28, rng);
                }
                assertArrayEquals(expected, batch.images(), "batch " + b);
            }
        }
    }

    @Test
    void plainLoaderScalesToUnitRange() {
        try (BatchLoader loader = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).build()) {
            FloatBatch first = drain(loader, 0).get(0);
            int i = first.indices()[3];
            assertEquals(DATA.pixel(i, 0, 10, 11) / 255f, first.images()[3 * 784 + 10 * 28 + 11]);
        }
    }

    @Test
    void sameOutputForAnyThreadCountAndSeedMatters() {
        AugmentationPipeline aug = AugmentationPipeline.fashionMnistTrain();
        List<FloatBatch> one;
        List<FloatBatch> three;
        List<FloatBatch> otherSeed;
        try (BatchLoader a = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).optAugmentation(aug)
                .optSeed(5).optThreads(1).build();
             BatchLoader b = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).optAugmentation(aug)
                .optSeed(5).optThreads(3).optPrefetch(5).build();
             BatchLoader c = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).optAugmentation(aug)
                .optSeed(6).build()) {
            one = drain(a, 1);
            three = drain(b, 1);
            otherSeed = drain(c, 1);
        }
        assertEquals(one.size(), three.size());
        for (int k = 0; k < one.size(); k++) {
            assertArrayEquals(one.get(k).images(), three.get(k).images());
            assertArrayEquals(one.get(k).labels(), three.get(k).labels());
        }
        assertFalse(java.util.Arrays.equals(one.get(0).images(), otherSeed.get(0).images()));
    }

    @Test
    void producersStayWithinThePrefetchBound() throws InterruptedException {
        AtomicInteger images = new AtomicInteger();
        Augmentation counting = (data, offset, c, h, w, rng) -> images.incrementAndGet();
        try (BatchLoader loader = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES)
                .optAugmentation(counting).optThreads(2).optPrefetch(3).build();
             BatchLoader.Epoch epoch = loader.epoch(0)) {
            long deadline = System.nanoTime() + 5_000_000_000L;
            while (images.get() < 3 * 32 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
            assertEquals(3 * 32, images.get(), "exactly the 3 prefetched batches are assembled ahead");
            epoch.next();
            deadline = System.nanoTime() + 5_000_000_000L;
            while (images.get() < 4 * 32 && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            Thread.sleep(100);
            assertEquals(4 * 32, images.get(), "taking one batch lets one more be produced");
        }
    }

    @Test
    void closeStopsAllThreadsAndErrorsPropagate() {
        long before = liveLoaderThreads();
        BatchLoader loader = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).optThreads(3).build();
        drain(loader, 0);
        assertTrue(liveLoaderThreads() >= before + 1);
        BatchLoader.Epoch abandoned = loader.epoch(1);
        abandoned.next();
        loader.close();
        assertEquals(before, liveLoaderThreads(), "threads left: " + Thread.getAllStackTraces().keySet().stream()
                .map(Thread::getName).filter(n -> n.startsWith(BatchLoader.THREAD_PREFIX))
                .collect(Collectors.joining(",")));
        assertThrows(IllegalStateException.class, () -> loader.epoch(2));

        BatchIndexSource bad = e -> new int[][] {{0, 1}, {2, 999}};
        try (BatchLoader broken = BatchLoader.builder().setDataset(DATA).setBatches(bad).build();
             BatchLoader.Epoch epoch = broken.epoch(0)) {
            assertEquals(2, epoch.next().size());
            String msg = assertThrows(IllegalArgumentException.class, epoch::next).getMessage();
            assertTrue(msg.contains("999") && msg.contains("synthetic"), msg);
        }
        assertEquals(before, liveLoaderThreads());
        assertThrows(IllegalArgumentException.class,
                () -> BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).optThreads(0).build());
        // repeated open/abandon/close cycles leave nothing behind (close joins the threads)
        for (int r = 0; r < 20; r++) {
            try (BatchLoader l = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).optThreads(2).build()) {
                l.epoch(r).next();
            }
            assertEquals(before, liveLoaderThreads(), "after cycle " + r);
        }
    }

    @Test
    void consumerBuildsNdArrays() {
        try (BatchLoader loader = BatchLoader.builder().setDataset(DATA).setBatches(BATCHES).build();
             NDManager manager = NDManager.newBaseManager()) {
            FloatBatch batch = drain(loader, 0).get(1);
            NDList list = batch.toNDList(manager);
            assertEquals(new Shape(32, 1, 28, 28), list.get(0).getShape());
            assertEquals(DataType.FLOAT32, list.get(0).getDataType());
            assertEquals(new Shape(32), list.get(1).getShape());
            assertArrayEquals(batch.images(), list.get(0).toFloatArray());
            assertArrayEquals(batch.labels(), list.get(1).toIntArray());
        }
    }
}
