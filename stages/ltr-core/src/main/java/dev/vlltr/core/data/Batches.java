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
