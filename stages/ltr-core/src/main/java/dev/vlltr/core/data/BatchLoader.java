package dev.vlltr.core.data;

import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.Random;
import java.util.concurrent.CancellationException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Assembles the batches of one epoch on background threads while the training thread consumes them. Decoding and
 * augmentation run in plain Java arrays on a small pool ({@code numWorkers}, default 1); at most {@code prefetch}
 * batches (default {@code 2 · numWorkers}) are in flight or waiting, so memory stays bounded. The consumer gets
 * batches in order and turns them into NDArrays in its own {@link NDManager}
 * ({@link #next(NDManager)}).
 *
 * <p>Deterministic whatever the thread count: batch {@code b} is built by one task with its own
 * {@code Random(Seeds.derive(seed, epoch, b))}, items in order. Close it (try-with-resources) to stop the threads;
 * closing early cancels the remaining batches.
 */
public final class BatchLoader implements Iterator<FloatBatch>, AutoCloseable {

    private static final AtomicInteger LOADER_COUNTER = new AtomicInteger();

    /** Prefix of every worker thread name (tests check that none survive {@link #close()}). */
    public static final String THREAD_NAME_PREFIX = "vlltr-batch-loader-";

    private final ImageDataset dataset;
    private final int[] indices;
    private final int batchSize;
    private final int numBatches;
    private final ImageAugmentation augmentation;
    private final long seed;
    private final int epoch;
    private final ExecutorService executor;
    private final ArrayDeque<Future<FloatBatch>> inFlight = new ArrayDeque<>();
    private final int prefetch;
    private int nextToSubmit;
    private int nextToReturn;
    private boolean closed;

    private BatchLoader(Builder b) {
        this.dataset = b.dataset;
        this.indices = b.indices.clone();
        this.batchSize = b.batchSize;
        this.numBatches = b.dropLast ? indices.length / batchSize : (indices.length + batchSize - 1) / batchSize;
        this.augmentation = b.augmentation;
        this.seed = b.seed;
        this.epoch = b.epoch;
        this.prefetch = b.prefetch > 0 ? b.prefetch : 2 * b.numWorkers;
        String prefix = THREAD_NAME_PREFIX + LOADER_COUNTER.incrementAndGet() + "-";
        AtomicInteger threadCounter = new AtomicInteger();
        ThreadFactory factory = r -> {
            Thread t = new Thread(r, prefix + threadCounter.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
        this.executor = Executors.newFixedThreadPool(b.numWorkers, factory);
        fill();
    }

    /** @return a new builder */
    public static Builder builder() {
        return new Builder();
    }

    /** @return batches in this epoch */
    public int numBatches() {
        return numBatches;
    }

    @Override
    public boolean hasNext() {
        return !closed && nextToReturn < numBatches;
    }

    /**
     * @return the next batch, in order
     * @throws IllegalArgumentException if an image could not be read (message from the dataset)
     */
    @Override
    public FloatBatch next() {
        if (!hasNext()) {
            throw new NoSuchElementException(closed ? "batch loader is closed" : "epoch finished");
        }
        Future<FloatBatch> future = inFlight.poll();
        nextToReturn++;
        fill();
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for batch " + (nextToReturn - 1), e);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof RuntimeException re) {
                throw re;
            }
            if (cause instanceof Error err) {
                throw err;
            }
            throw new IllegalStateException("batch " + (nextToReturn - 1) + " failed: " + cause, cause);
        } catch (CancellationException e) {
            throw new NoSuchElementException("batch loader is closed");
        }
    }

    /**
     * @param manager where to create the arrays (e.g. a per-step sub-manager the caller closes)
     * @return {@code [images (N,C,H,W), labels (N)]}, see {@link FloatBatch#toNDList(NDManager)}
     */
    public NDList next(NDManager manager) {
        return next().toNDList(manager);
    }

    private void fill() {
        while (!closed && nextToSubmit < numBatches && inFlight.size() < prefetch) {
            int number = nextToSubmit++;
            inFlight.add(executor.submit(() -> assemble(number)));
        }
    }

    /** Builds batch {@code number}; runs on a worker thread. */
    FloatBatch assemble(int number) {
        int from = number * batchSize;
        int to = Math.min(from + batchSize, indices.length);
        int n = to - from;
        int c = dataset.channels();
        int h = dataset.height();
        int w = dataset.width();
        int size = c * h * w;
        float[] images = new float[n * size];
        int[] labels = new int[n];
        int[] batchIndices = new int[n];
        Random random = new Random(Seeds.derive(seed, epoch, number));
        float[] image = new float[size];
        for (int k = 0; k < n; k++) {
            int index = indices[from + k];
            byte[] pixels = dataset.pixels(index, random);
            for (int i = 0; i < size; i++) {
                image[i] = (pixels[i] & 0xFF) / 255f;
            }
            augmentation.apply(image, c, h, w, random);
            System.arraycopy(image, 0, images, k * size, size);
            labels[k] = dataset.label(index);
            batchIndices[k] = index;
        }
        return new FloatBatch(number, images, labels, batchIndices, c, h, w);
    }

    /** Cancels pending batches and stops the worker threads (waits up to 10 s for a running decode to finish). */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Future<FloatBatch> f : inFlight) {
            f.cancel(true);
        }
        inFlight.clear();
        executor.shutdownNow();
        try {
            executor.awaitTermination(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Builder: {@code set*} required, {@code opt*} optional. */
    public static final class Builder {
        private ImageDataset dataset;
        private int[] indices;
        private int batchSize;
        private ImageAugmentation augmentation = ImageAugmentation.identity();
        private long seed;
        private int epoch = 1;
        private int numWorkers = 1;
        private int prefetch;
        private boolean dropLast;

        private Builder() {}

        /** The dataset to read. */
        public Builder setDataset(ImageDataset dataset) {
            this.dataset = dataset;
            return this;
        }

        /** The epoch's index sequence, e.g. {@link Sampler#epochIndices(int)}. */
        public Builder setIndices(int[] indices) {
            this.indices = indices;
            return this;
        }

        /** Images per batch. */
        public Builder setBatchSize(int batchSize) {
            this.batchSize = batchSize;
            return this;
        }

        /** Applied to each image after scaling to [0, 1] (default none). */
        public Builder optAugmentation(ImageAugmentation augmentation) {
            this.augmentation = Objects.requireNonNull(augmentation);
            return this;
        }

        /** Base seed of the per-batch random streams (default 0). */
        public Builder optSeed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Epoch number mixed into the per-batch seeds, so each epoch augments differently (default 1). */
        public Builder optEpoch(int epoch) {
            this.epoch = epoch;
            return this;
        }

        /** Worker threads (default 1: on 2 cores the other one runs the training step). */
        public Builder optNumWorkers(int numWorkers) {
            this.numWorkers = numWorkers;
            return this;
        }

        /** Batches in flight or waiting (default 2 · numWorkers). */
        public Builder optPrefetch(int prefetch) {
            this.prefetch = prefetch;
            return this;
        }

        /** Drop a last, smaller batch (default false). */
        public Builder optDropLast(boolean dropLast) {
            this.dropLast = dropLast;
            return this;
        }

        /** @return the loader, already prefetching */
        public BatchLoader build() {
            if (dataset == null || indices == null) {
                throw new IllegalArgumentException("batch loader: setDataset and setIndices are required");
            }
            if (batchSize < 1) {
                throw new IllegalArgumentException("batch loader: batchSize must be >= 1, got " + batchSize);
            }
            if (numWorkers < 1) {
                throw new IllegalArgumentException("batch loader: numWorkers must be >= 1, got " + numWorkers);
            }
            for (int i = 0; i < indices.length; i++) {
                if (indices[i] < 0 || indices[i] >= dataset.size()) {
                    throw new IllegalArgumentException("batch loader: index (field 'indices[" + i + "]') = " + indices[i]
                            + " is outside the dataset (size " + dataset.size() + ")");
                }
            }
            return new BatchLoader(this);
        }
    }
}
