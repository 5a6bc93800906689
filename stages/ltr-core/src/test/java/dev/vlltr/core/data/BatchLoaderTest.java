package dev.vlltr.core.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;

class BatchLoaderTest {

    private static final int SIZE = 103;

    /** 103 images of 1×4×4; pixel p of image i is (i + p) mod 256; label i mod 3. */
    private static InMemoryImageDataset dataset() {
        byte[] pixels = new byte[SIZE * 16];
        int[] labels = new int[SIZE];
        for (int i = 0; i < SIZE; i++) {
            labels[i] = i % 3;
            for (int p = 0; p < 16; p++) {
                pixels[i * 16 + p] = (byte) ((i + p) % 256);
            }
        }
        return new InMemoryImageDataset("synthetic", pixels, labels, List.of("a", "b", "c"), 1, 4, 4);
    }

    private static List<FloatBatch> drain(BatchLoader loader) {
        List<FloatBatch> out = new ArrayList<>();
        while (loader.hasNext()) {
            out.add(loader.next());
        }
        return out;
    }

    private static long liveLoaderThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.isAlive() && t.getName().startsWith(BatchLoader.THREAD_NAME_PREFIX)).count();
    }

    @Test
    void batchesFollowIndicesAndScalePixels() {
        int[] indices = new InstanceBalancedSampler(dataset().labels(), 3, 5, SIZE).epochIndices(1);
        try (BatchLoader loader = BatchLoader.builder().setDataset(dataset()).setIndices(indices).setBatchSize(10).build()) {
            assertEquals(11, loader.numBatches());
            List<FloatBatch> batches = drain(loader);
            assertEquals(11, batches.size());
            assertEquals(3, batches.get(10).size(), "last batch keeps the remainder");
            for (int b = 0; b < batches.size(); b++) {
                FloatBatch batch = batches.get(b);
                assertEquals(b, batch.number());
                for (int k = 0; k < batch.size(); k++) {
                    int index = indices[b * 10 + k];
                    assertEquals(index, batch.indices()[k]);
                    assertEquals(index % 3, batch.labels()[k]);
                    for (int p = 0; p < 16; p++) {
                        assertEquals(((index + p) % 256) / 255f, batch.images()[k * 16 + p], 1e-7f);
                    }
                }
            }
            assertThrows(java.util.NoSuchElementException.class, loader::next);
        }
        try (BatchLoader dropping = BatchLoader.builder().setDataset(dataset()).setIndices(indices).setBatchSize(10)
                .optDropLast(true).build()) {
            assertEquals(10, drain(dropping).size());
        }
    }

    @Test
    void deterministicRegardlessOfThreadCount() {
        int[] indices = new PowerSampler(dataset().labels(), 3, 1, 250, 0.5).epochIndices(2);
        ImageAugmentation recipe = ImageAugmentation.compose(new RandomCropWithPadding(1), new RandomHorizontalFlip(0.5),
                new Normalize(new float[] {0.5f}, new float[] {0.25f}));
        List<float[]> reference = null;
        for (int workers : new int[] {1, 2, 4}) {
            try (BatchLoader loader = BatchLoader.builder().setDataset(dataset()).setIndices(indices).setBatchSize(16)
                    .optAugmentation(recipe).optSeed(77).optNumWorkers(workers).optPrefetch(workers + 1).build()) {
                List<float[]> images = drain(loader).stream().map(FloatBatch::images).toList();
                if (reference == null) {
                    reference = images;
                } else {
                    assertEquals(reference.size(), images.size());
                    for (int b = 0; b < images.size(); b++) {
                        assertArrayEquals(reference.get(b), images.get(b), workers + " workers, batch " + b);
                    }
                }
            }
        }
        try (BatchLoader otherSeed = BatchLoader.builder().setDataset(dataset()).setIndices(indices).setBatchSize(16)
                .optAugmentation(recipe).optSeed(78).build();
             BatchLoader otherEpoch = BatchLoader.builder().setDataset(dataset()).setIndices(indices).setBatchSize(16)
                .optAugmentation(recipe).optSeed(77).optEpoch(2).build()) {
            assertFalse(Arrays.equals(reference.get(0), otherSeed.next().images()));
            assertFalse(Arrays.equals(reference.get(0), otherEpoch.next().images()));
        }
    }

    @Test
    void workIsDoneOnBackgroundThreadsAndNoThreadsLeak() throws InterruptedException {
        long before = liveLoaderThreads();
        Set<String> threads = ConcurrentHashMap.newKeySet();
        InMemoryImageDataset base = dataset();
        ImageDataset recording = new ImageDataset() {
            @Override public int size() { return base.size(); }
            @Override public List<String> classNames() { return base.classNames(); }
            @Override public int label(int index) { return base.label(index); }
            @Override public int channels() { return 1; }
            @Override public int height() { return 4; }
            @Override public int width() { return 4; }
            @Override public byte[] pixels(int index, Random random) {
                threads.add(Thread.currentThread().getName());
                return base.pixels(index);
            }
        };
        int[] indices = new int[SIZE];
        Arrays.setAll(indices, i -> i);
        try (BatchLoader loader = BatchLoader.builder().setDataset(recording).setIndices(indices).setBatchSize(4)
                .optNumWorkers(2).build()) {
            loader.next();
            assertTrue(liveLoaderThreads() > before);
        } // closed with most batches pending
        assertTrue(threads.stream().allMatch(n -> n.startsWith(BatchLoader.THREAD_NAME_PREFIX)), threads.toString());
        for (int i = 0; i < 100 && liveLoaderThreads() > before; i++) {
            Thread.sleep(20);
        }
        assertEquals(before, liveLoaderThreads(), "worker threads must stop on close");
        BatchLoader closedLoader = BatchLoader.builder().setDataset(recording).setIndices(indices).setBatchSize(4).build();
        drain(closedLoader);
        closedLoader.close();
        closedLoader.close(); // idempotent
        assertFalse(closedLoader.hasNext());
    }

    @Test
    void datasetErrorsReachTheConsumer() {
        InMemoryImageDataset base = dataset();
        ImageDataset failing = base.subset(new int[] {0, 1, 2});
        ImageDataset broken = new ImageDataset() {
            @Override public int size() { return 3; }
            @Override public List<String> classNames() { return failing.classNames(); }
            @Override public int label(int index) { return failing.label(index); }
            @Override public int channels() { return 1; }
            @Override public int height() { return 4; }
            @Override public int width() { return 4; }
            @Override public byte[] pixels(int index, Random random) {
                if (index == 2) {
                    throw new IllegalArgumentException("image 'img/x.png' (list.txt line 3) could not be read");
                }
                return failing.pixels(index);
            }
        };
        try (BatchLoader loader = BatchLoader.builder().setDataset(broken).setIndices(new int[] {0, 1, 2}).setBatchSize(2)
                .build()) {
            assertEquals(2, loader.next().size());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, loader::next);
            assertTrue(e.getMessage().contains("img/x.png"), e.getMessage());
        }
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> BatchLoader.builder().setDataset(base).setIndices(new int[] {0, 500}).setBatchSize(2).build());
        assertTrue(range.getMessage().contains("'indices[1]') = 500"), range.getMessage());
    }

    @Test
    void consumerCreatesNDArraysInItsManager() {
        int[] indices = {5, 6, 7};
        try (NDManager manager = NDManager.newBaseManager();
             BatchLoader loader = BatchLoader.builder().setDataset(dataset()).setIndices(indices).setBatchSize(3).build()) {
            NDList list = loader.next(manager);
            assertEquals(new Shape(3, 1, 4, 4), list.get(0).getShape());
            assertArrayEquals(new float[] {2, 0, 1}, list.get(1).toFloatArray());
            assertEquals(6 / 255f, list.get(0).toFloatArray()[16], 1e-7f);
            assertEquals(manager, list.get(0).getManager());
        }
    }
}
