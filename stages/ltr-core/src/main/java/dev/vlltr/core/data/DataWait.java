package dev.vlltr.core.data;

import java.util.Iterator;

/**
 * Measures how long a training loop waits for its batches: the time spent inside {@code hasNext()}/{@code next()} of
 * the loader's iterator, i.e. blocked on the prefetch queue because decoding and augmentation did not keep up. Its
 * share of the epoch's wall time is the data-wait share the stages report (goal: below 5 %, the step never starves).
 */
public final class DataWait implements Iterator<FloatBatch> {

    private final Iterator<FloatBatch> batches;
    private final long started = System.nanoTime();
    private long waitedNanos;

    public DataWait(Iterator<FloatBatch> batches) {
        this.batches = batches;
    }

    @Override
    public boolean hasNext() {
        long t0 = System.nanoTime();
        try {
            return batches.hasNext();
        } finally {
            waitedNanos += System.nanoTime() - t0;
        }
    }

    @Override
    public FloatBatch next() {
        long t0 = System.nanoTime();
        try {
            return batches.next();
        } finally {
            waitedNanos += System.nanoTime() - t0;
        }
    }

    /** @return seconds spent waiting for batches so far */
    public double waitSeconds() {
        return waitedNanos / 1e9;
    }

    /** @return the waiting time's share of the wall time since this iterator was created, in [0, 1] */
    public double share() {
        long total = System.nanoTime() - started;
        return total <= 0 ? 0 : Math.min(1.0, (double) waitedNanos / total);
    }
}
