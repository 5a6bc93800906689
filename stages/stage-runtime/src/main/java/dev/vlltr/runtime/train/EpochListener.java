package dev.vlltr.runtime.train;

import java.io.IOException;
import java.util.List;
import java.util.Map;

/**
 * Side effects of an {@link EpochRunner} (DJL's {@code TrainingListener} idea): tracking, checkpoints, logs. Each hook
 * has an empty default so a listener implements only what it needs.
 */
public interface EpochListener {

    /**
     * The run continues after {@code completedEpochs} epochs restored from a checkpoint.
     *
     * @param history the restored per-epoch metrics
     */
    default void resumed(int completedEpochs, List<Map<String, Double>> history) throws IOException {}

    /**
     * An epoch ended.
     *
     * @param completedEpochs epochs done so far (1-based number of this epoch)
     * @param metrics         this epoch's metrics, {@code epoch} first
     * @param history         every epoch's metrics so far, this one last
     */
    default void epochEnded(int completedEpochs, Map<String, Double> metrics, List<Map<String, Double>> history)
            throws IOException {}
}
