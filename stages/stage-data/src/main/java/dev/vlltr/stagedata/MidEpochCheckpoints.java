package dev.vlltr.stagedata;

import dev.vlltr.core.dataset.LoaderPosition;
import dev.vlltr.core.train.EpochTrainer;
import dev.vlltr.runtime.train.EpochRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The {@code checkpoint-every-batches} side of one streamed epoch, the same in every stage that has the parameter:
 * where the epoch resumes (the loader's next batch and the running loss sums saved with a mid-epoch checkpoint) and
 * the hook that saves one every N steps.
 *
 * <pre>{@code
 * MidEpochCheckpoints mid = new MidEpochCheckpoints(midEpoch, epoch, every);
 * try (PrefetchQueue batches = loader.epoch(mid.from())) {
 *     st = trainer.trainEpoch(epoch, progress.track(batches, batches.size() - mid.from().batch()), mid.sums(),
 *             mid.afterBatch(batches.size()));
 * }
 * }</pre>
 */
public final class MidEpochCheckpoints {

    private final EpochRunner.MidEpoch midEpoch;
    private final int epoch;
    private final int every;

    /**
     * @param midEpoch the runner's mid-epoch handle of this epoch
     * @param epoch    0-based epoch
     * @param every    the {@code checkpoint-every-batches} parameter (0: none)
     */
    public MidEpochCheckpoints(EpochRunner.MidEpoch midEpoch, int epoch, int every) {
        this.midEpoch = midEpoch;
        this.epoch = epoch;
        this.every = every;
    }

    /** @return the loader position to start the epoch at (its first batch unless resumed part-way) */
    public LoaderPosition from() {
        return LoaderPosition.fromState(midEpoch.resumed(), epoch);
    }

    /** @return the epoch's running totals to continue from */
    public EpochTrainer.Partial sums() {
        return EpochTrainer.Partial.fromState(midEpoch.resumed());
    }

    /**
     * @param batches the epoch's batches
     * @return the trainer's after-step hook: a checkpoint every {@code every} steps, not after the last (the epoch's
     *         own checkpoint follows it)
     */
    public Consumer<EpochTrainer.Partial> afterBatch(int batches) {
        return p -> {
            if (every > 0 && p.steps() % every == 0 && p.steps() < batches) {
                Map<String, String> progress = new LinkedHashMap<>(new LoaderPosition(epoch, p.steps()).toState());
                progress.putAll(p.toState());
                try {
                    midEpoch.save(p.steps(), batches, progress);
                } catch (IOException e) {
                    throw new UncheckedIOException("mid-epoch checkpoint of epoch " + (epoch + 1), e);
                }
            }
        };
    }
}
