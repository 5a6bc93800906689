package dev.vlltr.core.dataset;

import java.util.Map;

/**
 * Where a streaming epoch stands: the next batch to train on. Batches are pure functions of (seed, epoch, batch), so
 * this pair is all a checkpoint needs to resume mid-epoch; it travels in the checkpoint's string state
 * ({@code Checkpoints.save(epoch, dir, state)}) under {@link #EPOCH_KEY} and {@link #BATCH_KEY}.
 *
 * @param epoch 0-based epoch
 * @param batch 0-based index of the next batch of that epoch
 */
public record LoaderPosition(int epoch, int batch) {

    public static final String EPOCH_KEY = "data.epoch";
    public static final String BATCH_KEY = "data.batch";

    public LoaderPosition {
        if (epoch < 0 || batch < 0) {
            throw new IllegalArgumentException("loader position: epoch " + epoch + " and batch " + batch
                    + " must be >= 0");
        }
    }

    /** @return the entries to merge into a checkpoint's state */
    public Map<String, String> toState() {
        return Map.of(EPOCH_KEY, Integer.toString(epoch), BATCH_KEY, Integer.toString(batch));
    }

    /** @return the position recorded in a checkpoint's state, or the start of {@code defaultEpoch} when absent */
    public static LoaderPosition fromState(Map<String, String> state, int defaultEpoch) {
        String e = state.get(EPOCH_KEY);
        String b = state.get(BATCH_KEY);
        if (e == null || b == null) {
            return new LoaderPosition(defaultEpoch, 0);
        }
        try {
            return new LoaderPosition(Integer.parseInt(e), Integer.parseInt(b));
        } catch (NumberFormatException ex) {
            throw new IllegalArgumentException("checkpoint state: fields '" + EPOCH_KEY + "'/'" + BATCH_KEY + "' are '"
                    + e + "'/'" + b + "', expected integers", ex);
        }
    }
}
