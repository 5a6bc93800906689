package dev.vlltr.core.data;

import dev.vlltr.core.calibrate.BatchIndexSource;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Assembles float mini-batches (decode to [0, 1], augment) on background producer threads while the training thread
 * consumes them, so data preparation overlaps with the forward/backward pass. At most {@code prefetch} batches are in
 * flight or waiting (a bounded queue): memory stays bounded and producers wait for the consumer.
 *
 * <p>Deterministic: batch {@code b} of epoch {@code e} is augmented with its own {@link Random} seeded from
 * {@code (seed, e, b)}, images in batch order, so the output is identical for any thread count. Batches are handed
 * out in epoch order.
 *
 * <pre>{@code
 * try (BatchLoader loader = BatchLoader.builder().setDataset(train).setBatches(Batches.of(sampler, 128))
 *         .optAugmentation(AugmentationPipeline.fashionMnistTrain()).optSeed(0).build();
 *      BatchLoader.Epoch epoch = loader.epoch(0)) {
 *     while (epoch.hasNext()) {
 *         try (NDManager step = manager.newSubManager()) {
 *             NDList batch = epoch.next().toNDList(step);
 *             ...
 *         }
 *     }
 * }
 * }</pre>
 */
public final class BatchLoader implements AutoCloseable {

    /** Name prefix of the producer threads. */
    public static final String THREAD_PREFIX = "vlltr-batch-loader-";

    private static final AtomicInteger LOADERS = new AtomicInteger();

    private final ImageSet dataset;
    private final BatchIndexSource batches;
    private final Augmentation augmentation;
    private final long seed;
    private final int threads;
    private final int prefetch;
    private final ExecutorService executor;
    private final List<Thread> workers = new CopyOnWriteArrayList<>();

    private BatchLoader(Builder b) {
        this.dataset = b.dataset;
        this.batches = b.batches;
        this.augmentation = b.augmentation;
        this.seed = b.seed;
        this.threads = b.threads;
        this.prefetch = b.prefetch < 0 ? 2 * b.threads : b.prefetch;
        int loader = LOADERS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, THREAD_PREFIX + loader + "-" + count.incrementAndGet());
            t.setDaemon(true);
            workers.add(t);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(threads, factory);
    }

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Producer threads for reading {@code set} in inference passes: 1 for an in-memory set (copying is cheap), else
     * as many as the machine has cores, at most 8, so a lazy set's decoding is not single-threaded.
     */
    public static int readThreads(ImageSet set) {
        return set.inMemory() ? 1 : Math.max(2, Math.min(8, Runtime.getRuntime().availableProcessors()));
    }

    /**
     * A builder for an inference pass over {@code set}: its dataset set, {@link #readThreads} producers and one chunk
     * more than producers prefetched.
     */
    public static Builder readerOf(ImageSet set) {
        int threads = readThreads(set);
        return builder().setDataset(set).optThreads(threads).optPrefetch(threads + 1);
    }

    public int threads() {
        return threads;
    }

    public int prefetch() {
        return prefetch;
    }

    /**
     * Starts producing the batches of one epoch.
     *
     * @param epoch 0-based epoch number (passed to the batch source and mixed into the augmentation seeds)
     */
    public Epoch epoch(int epoch) {
        if (executor.isShutdown()) {
            throw new IllegalStateException("batch loader is closed");
        }
        return new Epoch(epoch, batches.epoch(epoch));
    }

    /** Assembles one batch; pure function of its arguments (the thread does not matter). */
    FloatBatch assemble(int epoch, int b, int[] indices) {
        int c = dataset.channels();
        int h = dataset.height();
        int w = dataset.width();
        int size = dataset.imageSize();
        float[] images = new float[indices.length * size];
        int[] labels = new int[indices.length];
        Random rng = new Random(batchSeed(seed, epoch, b));
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            if (i < 0 || i >= dataset.size()) {
                throw new IllegalArgumentException("batch " + b + " of epoch " + epoch + ": index " + i
                        + " is outside " + dataset.name() + " (size " + dataset.size() + ")");
            }
            dataset.imageAsFloats(i, images, k * size);
            if (augmentation != null) {
                augmentation.apply(images, k * size, c, h, w, rng);
            }
            labels[k] = dataset.label(i);
        }
        return new FloatBatch(b, images, labels, indices.clone(), c, h, w);
    }

    static long batchSeed(long seed, int epoch, int batch) {
        SplittableRandom mix = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L)));
        // hashed once more so java.util.Random's 48-bit LCG gets unrelated seeds for neighbouring batches
        return new SplittableRandom(mix.nextLong() + 0xBF58476D1CE4E5B9L * (batch + 1L)).nextLong();
    }

    /**
     * Stops the producers and waits until their threads have ended (joined, not just idle); pending batches are
     * discarded.
     */
    @Override
    public void close() {
        executor.shutdownNow();
        try {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            if (!executor.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("batch loader threads did not stop within 30 s");
            }
            // a terminated pool's threads may still be finishing their exit path: join them
            for (Thread t : workers) {
                t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime())));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The batches of one epoch, in order; closing it cancels the batches not yet taken. */
    public final class Epoch extends PrefetchQueue {

        private Epoch(int epoch, int[][] order) {
            super(epoch, order, 0, prefetch, (b, indices) -> executor.submit(() -> assemble(epoch, b, indices)));
        }
    }

    /** Builder: {@code setDataset} and {@code setBatches} are required. */
    public static final class Builder {
        private ImageSet dataset;
        private BatchIndexSource batches;
        private Augmentation augmentation;
        private long seed;
        private int threads = 1;
        private int prefetch = -1;

        /** The images: an in-memory {@link ImageDataset} or a lazy set (e.g. {@code LazySplitImages}) decoded on the producers. */
        public Builder setDataset(ImageSet dataset) {
            this.dataset = dataset;
            return this;
        }

        /** The batch order, e.g. {@code Batches.of(sampler, 128)}. */
        public Builder setBatches(BatchIndexSource batches) {
            this.batches = batches;
            return this;
        }

        /** Applied to each image after scaling to [0, 1]; default none. */
        public Builder optAugmentation(Augmentation augmentation) {
            this.augmentation = augmentation;
            return this;
        }

        /** Seed of the per-batch augmentation streams; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Producer threads; default 1 (with the training thread this keeps both cores of a 2-core box busy). */
        public Builder optThreads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Batches in flight or ready at once; default {@code 2 × threads}. */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public BatchLoader build() {
            if (dataset == null || batches == null) {
                throw new IllegalArgumentException("batch loader: 'dataset' and 'batches' are required "
                        + "(setDataset, setBatches)");
            }
            if (threads < 1) {
                throw new IllegalArgumentException("batch loader: field 'threads' is " + threads + ", expected >= 1");
            }
            if (prefetch == 0 || prefetch < -1) {
                throw new IllegalArgumentException("batch loader: field 'prefetch' is " + prefetch
                        + ", expected >= 1");
            }
            return new BatchLoader(this);
        }
    }
}
