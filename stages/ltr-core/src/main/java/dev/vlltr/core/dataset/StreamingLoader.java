package dev.vlltr.core.dataset;

import dev.vlltr.core.calibrate.BatchIndexSource;
import dev.vlltr.core.data.DataSource;
import dev.vlltr.core.data.FloatBatch;
import dev.vlltr.core.data.PrefetchQueue;
import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Streams a split far larger than memory: for each batch of the sampler's order, a bounded pool of workers fetches
 * every image from a {@link DataSource} (a local folder, or {@code s3://} through the artifact store, optionally with
 * a local cache), decodes and transforms it ({@link ImageTransform}), and the batch is handed out as a
 * {@link FloatBatch} ({@code N × C × H × W} float, normalised: the layout the vision encoders take via
 * {@link FloatBatch#toNDList}). At most {@code prefetch} batches are in flight or waiting, so memory is bounded.
 *
 * <p>Deterministic: image {@code k} of batch {@code b} of epoch {@code e} is transformed with its own {@link Random}
 * seeded from {@code (seed, e, b, k)}, so the batches are identical for any worker count and whichever batch an
 * epoch starts from. That makes an epoch resumable mid-way: {@link #epoch(LoaderPosition)} starts at the recorded
 * batch and yields exactly the batches the interrupted run would have produced next.
 */
public final class StreamingLoader implements AutoCloseable {

    /** Name prefix of the worker threads. */
    public static final String THREAD_PREFIX = "vlltr-stream-";

    private static final AtomicInteger LOADERS = new AtomicInteger();

    private final LabelledImages images;
    private final DataSource files;
    private final ImageTransform transform;
    private final BatchIndexSource batches;
    private final long seed;
    private final int workers;
    private final int prefetch;
    private final ExecutorService pool;

    private StreamingLoader(Builder b) {
        this.images = b.images;
        this.files = b.files;
        this.transform = b.transform;
        this.batches = b.batches;
        this.seed = b.seed;
        this.workers = b.workers;
        this.prefetch = b.prefetch;
        int id = LOADERS.incrementAndGet();
        AtomicInteger count = new AtomicInteger();
        this.pool = Executors.newFixedThreadPool(workers, r -> {
            Thread t = new Thread(r, THREAD_PREFIX + id + "-" + count.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
    }

    public static Builder builder() {
        return new Builder();
    }

    public int workers() {
        return workers;
    }

    /** Starts epoch {@code epoch} at its first batch. */
    public Epoch epoch(int epoch) {
        return epoch(new LoaderPosition(epoch, 0));
    }

    /** Starts (or resumes) an epoch at {@code position.batch()}. */
    public Epoch epoch(LoaderPosition position) {
        if (pool.isShutdown()) {
            throw new IllegalStateException("streaming loader is closed");
        }
        int[][] order = batches.epoch(position.epoch());
        if (position.batch() > order.length) {
            throw new IllegalArgumentException("loader position: batch " + position.batch() + " of epoch "
                    + position.epoch() + " is past its end (" + order.length + " batches)");
        }
        return new Epoch(position.epoch(), order, position.batch());
    }

    /** One image, fetched, decoded, transformed: a pure function of its arguments. */
    private void load(int epoch, int b, int k, int index, float[] dst) {
        if (index < 0 || index >= images.size()) {
            throw new IllegalArgumentException("batch " + b + " of epoch " + epoch + ": index " + index
                    + " is outside " + images.source() + " (size " + images.size() + ")");
        }
        String path = images.paths().get(index);
        byte[] encoded;
        try (InputStream in = files.open(path)) {
            encoded = in.readAllBytes();
        } catch (FileNotFoundException | NoSuchFileException e) {
            throw new DatasetSpecException(images.where(index) + ": field 'path' names a missing image", e);
        } catch (IOException e) {
            throw new UncheckedIOException(images.where(index) + ": read failed", e);
        }
        int size = transform.channels() * transform.size() * transform.size();
        transform.apply(encoded, images.where(index), new Random(imageSeed(seed, epoch, b, k)), dst, k * size);
    }

    static long imageSeed(long seed, int epoch, int batch, int k) {
        long s = new SplittableRandom(seed ^ (0x9E3779B97F4A7C15L * (epoch + 1L))).nextLong();
        s = new SplittableRandom(s + 0xBF58476D1CE4E5B9L * (batch + 1L)).nextLong();
        // hashed once more so java.util.Random's 48-bit LCG gets unrelated seeds for neighbouring images
        return new SplittableRandom(s + 0x94D049BB133111EBL * (k + 1L)).nextLong();
    }

    private CompletableFuture<FloatBatch> submit(int epoch, int b, int[] indices) {
        int c = transform.channels();
        int s = transform.size();
        float[] data = new float[indices.length * c * s * s];
        int[] labels = new int[indices.length];
        CompletableFuture<?>[] parts = new CompletableFuture<?>[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int kk = k;
            int index = indices[k];
            labels[k] = index >= 0 && index < images.size() ? images.labels()[index] : -1;
            parts[k] = CompletableFuture.runAsync(() -> load(epoch, b, kk, index, data), pool);
        }
        return CompletableFuture.allOf(parts).thenApply(v -> new FloatBatch(b, data, labels, indices.clone(), c, s, s));
    }

    /** Stops the workers and waits for them; batches not yet taken are discarded. */
    @Override
    public void close() {
        pool.shutdownNow();
        try {
            if (!pool.awaitTermination(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("streaming loader workers did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** The batches of one epoch from a start batch, in order; closing it cancels those not yet taken. */
    public final class Epoch extends PrefetchQueue {

        private final int epoch;

        private Epoch(int epoch, int[][] order, int start) {
            super(epoch, order, start, prefetch, (b, indices) -> submit(epoch, b, indices));
            this.epoch = epoch;
        }

        /** @return the position of the next batch: save it with a checkpoint to resume here */
        public LoaderPosition position() {
            return new LoaderPosition(epoch, taken());
        }
    }

    /** Builder: images, files, transform and batches are required. */
    public static final class Builder {
        private LabelledImages images;
        private DataSource files;
        private ImageTransform transform;
        private BatchIndexSource batches;
        private long seed;
        private int workers = 2;
        private int prefetch = 2;

        /** The split: paths relative to {@code files} and labels. */
        public Builder setImages(LabelledImages images) {
            this.images = images;
            return this;
        }

        /** Opens image paths; must allow concurrent opens (the workers call it in parallel). */
        public Builder setFiles(DataSource files) {
            this.files = files;
            return this;
        }

        public Builder setTransform(ImageTransform transform) {
            this.transform = transform;
            return this;
        }

        /** The batch order, e.g. {@code Batches.of(sampler, 128)}. */
        public Builder setBatches(BatchIndexSource batches) {
            this.batches = batches;
            return this;
        }

        /** Seed of the per-image augmentation streams; default 0. */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Fetch/decode workers (threads); default 2. Network-bound stores want more than the cores. */
        public Builder optWorkers(int workers) {
            this.workers = workers;
            return this;
        }

        /** Batches in flight or ready at once; default 2. */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        public StreamingLoader build() {
            if (images == null || files == null || transform == null || batches == null) {
                throw new IllegalArgumentException("streaming loader: images, files, transform and batches are"
                        + " required (setImages, setFiles, setTransform, setBatches)");
            }
            if (workers < 1 || prefetch < 1) {
                throw new IllegalArgumentException("streaming loader: fields 'workers' (" + workers
                        + ") and 'prefetch' (" + prefetch + ") must be >= 1");
            }
            return new StreamingLoader(this);
        }
    }

    /** @return the split this loader streams */
    public LabelledImages images() {
        return images;
    }
}
