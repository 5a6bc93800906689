package dev.vlltr.core.data;

import dev.vlltr.core.calibrate.BatchIndexSource;

/**
 * Cuts a sampler's epoch into mini-batches, as a {@link BatchIndexSource}. By default the trailing partial batch is
 * dropped, so an epoch has {@code floor(epochLength / batchSize)} steps, the official Decoupling {@code epoch_steps}.
 */
public final class Batches {

    private Batches() {
    }

    /** Full batches only ({@code floor(epochLength / batchSize)} of them). */
    public static BatchIndexSource of(Sampler sampler, int batchSize) {
        return of(sampler, batchSize, true);
    }

    /**
     * Why an epoch of {@link #of(Sampler, int)} would train nothing, or null when it has at least one full batch: the
     * trailing partial batch is dropped (the official loaders' {@code drop_last=True}), so an epoch shorter than one
     * batch has no step and its mean loss would be 0/0. Callers turn the reason into a bad-input error naming their
     * batch-size parameter.
     *
     * @param epochLength samples per epoch ({@link Sampler#epochLength()})
     * @param trainSize   rows of the train set (for the message)
     */
    public static String noFullBatch(int epochLength, int trainSize, int batchSize) {
        if (epochLength >= batchSize) {
            return null;
        }
        return batchSize + " is larger than an epoch of " + epochLength + " samples (train set: " + trainSize
                + " images): the last partial batch is dropped as in the official loaders (drop_last=True), so no"
                + " optimizer step would run; use a batch size of at most " + Math.max(epochLength, 1);
    }

    /**
     * @param dropLast whether to drop the trailing partial batch (default true, the official epoch length)
     */
    public static BatchIndexSource of(Sampler sampler, int batchSize, boolean dropLast) {
        if (batchSize < 1) {
            throw new IllegalArgumentException("batches: field 'batchSize' is " + batchSize + ", expected >= 1");
        }
        return epoch -> split(sampler.epoch(epoch), batchSize, dropLast);
    }

    static int[][] split(int[] order, int batchSize, boolean dropLast) {
        int full = order.length / batchSize;
        int rest = order.length % batchSize;
        int count = full + (dropLast || rest == 0 ? 0 : 1);
        int[][] out = new int[count][];
        for (int b = 0; b < count; b++) {
            int len = Math.min(batchSize, order.length - b * batchSize);
            out[b] = new int[len];
            System.arraycopy(order, b * batchSize, out[b], 0, len);
        }
        return out;
    }
}
