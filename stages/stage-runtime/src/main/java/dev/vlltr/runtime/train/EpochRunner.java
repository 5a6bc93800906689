package dev.vlltr.runtime.train;

import dev.vlltr.runtime.cli.StageContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The epoch loop of every training stage: resume from the newest checkpoint of the same run fingerprint, then for
 * each remaining epoch run the stage's {@link Epoch} and hand its metrics to the listeners — tracking and the log
 * ({@link #forStage}), the checkpoint of the epoch, any the stage adds. The per-epoch history ({@code epoch} first,
 * 1-based) is what the stage writes as {@code history.json}.
 *
 * <pre>{@code
 * List<Map<String, Double>> history = EpochRunner.forStage(ctx, epochs, resumableTrainer)
 *         .run((epoch, progress) -> metricsOf(trainer.trainEpoch(epoch, progress.track(batches, n))));
 * }</pre>
 */
public final class EpochRunner {

    private static final Logger LOG = LoggerFactory.getLogger(EpochRunner.class);

    /** One epoch of a stage: train over its batches (optionally {@linkplain EpochProgress#track tracked}), evaluate. */
    @FunctionalInterface
    public interface Epoch {
        /**
         * @param epoch    0-based epoch
         * @param progress the epoch's progress bar
         * @return the epoch's metrics in the order history.json lists them
         */
        Map<String, Double> run(int epoch, EpochProgress progress) throws Exception;
    }

    /**
     * One epoch of a stage that can checkpoint and resume part-way through it (a streaming loader whose batches are
     * pure functions of seed, epoch and batch).
     */
    @FunctionalInterface
    public interface ResumableEpoch {
        /**
         * @param epoch    0-based epoch
         * @param progress the epoch's progress bar
         * @param midEpoch where this epoch resumes ({@link MidEpoch#resumed}) and how to checkpoint part-way
         * @return the epoch's metrics in the order history.json lists them
         */
        Map<String, Double> run(int epoch, EpochProgress progress, MidEpoch midEpoch) throws Exception;
    }

    /** Mid-epoch checkpoints of the running epoch. */
    public interface MidEpoch {
        /**
         * Key of the progress state under which the runner records the batches done, for its logs; the stage keeps
         * its own loader position and sums in the same state.
         */
        String BATCHES_DONE = "runner.batchesDone";

        /** @return the progress state saved with the checkpoint this epoch resumes from; empty: from its start */
        Map<String, String> resumed();

        /**
         * Saves a checkpoint of the trainer now, with the stage's {@code progress} state (loader position, sums).
         *
         * @param batchesDone batches of this epoch trained so far
         * @param batches     batches of the whole epoch
         */
        void save(int batchesDone, int batches, Map<String, String> progress) throws java.io.IOException;
    }

    /**
     * Test hook (system property): right after this many mid-epoch checkpoints the run logs {@link #HOLDING} and
     * waits (bounded) to be killed, so that a test can SIGKILL it at a known point. Unset in production.
     */
    public static final String HOLD_AFTER_MID_EPOCH_SAVES = "vlltr.test.holdAfterMidEpochCheckpoints";

    /** What the {@link #HOLD_AFTER_MID_EPOCH_SAVES} hook logs before it waits. */
    public static final String HOLDING = "holding for a kill after mid-epoch checkpoint";

    private final String name;
    private final int epochs;
    private final EpochCheckpoints checkpoints;
    private final List<EpochListener> listeners = new ArrayList<>();

    /**
     * @param name        what the progress bars and logs call the loop (the stage name)
     * @param epochs      epochs of the whole run
     * @param checkpoints where the run resumes from and saves to
     */
    public EpochRunner(String name, int epochs, EpochCheckpoints checkpoints) {
        this.name = name;
        this.epochs = epochs;
        this.checkpoints = checkpoints;
    }

    /**
     * The runner of a stage execution: checkpoints in the stage's folder keyed by the run fingerprint, per-epoch
     * metrics to tracking (step = 1-based epoch) and the log, {@code resumed_from_epoch} as a headline on resume.
     */
    public static EpochRunner forStage(StageContext ctx, int epochs, ModelState.Resumable trainer) {
        EpochRunner runner = new EpochRunner(ctx.stage(), epochs,
                new EpochCheckpoints(ctx.checkpoints(), ctx.fingerprint(), ctx.scratch(), trainer));
        return runner.listener(new StageMetrics(ctx, epochs));
    }

    /** Adds a listener; listeners are called in the order added, the checkpoint last. */
    public EpochRunner listener(EpochListener listener) {
        listeners.add(listener);
        return this;
    }

    /** @return every epoch's metrics, restored ones included */
    public List<Map<String, Double>> run(Epoch epoch) throws Exception {
        return run((e, progress, midEpoch) -> {
            if (!midEpoch.resumed().isEmpty()) {
                throw new IllegalStateException(name + ": a mid-epoch checkpoint, but this stage resumes only at"
                        + " epoch boundaries");
            }
            return epoch.run(e, progress);
        });
    }

    /** @return every epoch's metrics, restored ones included; an epoch may resume from a mid-epoch checkpoint */
    public List<Map<String, Double>> run(ResumableEpoch epoch) throws Exception {
        List<Map<String, Double>> history = new ArrayList<>();
        int start = checkpoints.restore(epochs, history);
        Map<String, String> midEpochState = checkpoints.restoredProgress();
        if (!midEpochState.isEmpty()) {
            LOG.info("{}: resumed from epoch {} batch {} (a mid-epoch checkpoint; training continues with the"
                    + " epoch's next batch)", name, start + 1, midEpochState.getOrDefault(MidEpoch.BATCHES_DONE, "?"));
        }
        if (start > 0) {
            LOG.info("{}: resumed after epoch {} of {}", name, start, epochs);
            for (EpochListener l : listeners) {
                l.resumed(start, history);
            }
        }
        for (int e = start; e < epochs; e++) {
            Map<String, Double> metrics = new LinkedHashMap<>();
            metrics.put("epoch", (double) (e + 1));
            Map<String, String> resumed = e == start ? midEpochState : Map.of();
            int completed = e;
            MidEpoch midEpoch = new MidEpoch() {
                @Override
                public Map<String, String> resumed() {
                    return resumed;
                }

                @Override
                public void save(int batchesDone, int batches, Map<String, String> progress)
                        throws java.io.IOException {
                    Map<String, String> state = new LinkedHashMap<>(progress);
                    state.put(MidEpoch.BATCHES_DONE, Integer.toString(batchesDone));
                    checkpoints.saveMidEpoch(completed, history, state);
                    LOG.info("{}: mid-epoch checkpoint at epoch {} batch {} of {} (an interrupted run resumes"
                            + " there)", name, completed + 1, batchesDone, batches);
                    holdHook(completed + 1, batchesDone);
                }
            };
            try (EpochProgress progress = new EpochProgress(name + " epoch " + (e + 1) + "/" + epochs)) {
                metrics.putAll(epoch.run(e, progress, midEpoch));
            }
            history.add(metrics);
            for (EpochListener l : listeners) {
                l.epochEnded(e + 1, metrics, history);
            }
            // last: a checkpoint exists only for an epoch every listener has seen
            checkpoints.epochEnded(e + 1, metrics, history);
        }
        return history;
    }

    private int midEpochSaves;

    private void holdHook(int epoch, int batchesDone) {
        String hold = System.getProperty(HOLD_AFTER_MID_EPOCH_SAVES);
        if (hold != null && ++midEpochSaves >= Integer.parseInt(hold)) {
            LOG.warn("{}: {} {} (epoch {} batch {}; test hook {})", name, HOLDING, midEpochSaves, epoch, batchesDone,
                    HOLD_AFTER_MID_EPOCH_SAVES);
            try {
                Thread.sleep(600_000); // bounded: the test kills the process long before
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            throw new IllegalStateException(name + ": test hook " + HOLD_AFTER_MID_EPOCH_SAVES + " was not killed");
        }
    }

    /** Per-epoch metrics to the stage's tracking run and the log; the resume as a headline metric. */
    static final class StageMetrics implements EpochListener {
        private final StageContext ctx;
        private final int epochs;

        StageMetrics(StageContext ctx, int epochs) {
            this.ctx = ctx;
            this.epochs = epochs;
        }

        @Override
        public void resumed(int completedEpochs, List<Map<String, Double>> history) {
            ctx.headline("resumed_from_epoch", completedEpochs);
        }

        @Override
        public void epochEnded(int completedEpochs, Map<String, Double> metrics, List<Map<String, Double>> history) {
            metrics.forEach((k, v) -> {
                if (!k.equals("epoch")) {
                    ctx.metric(k, v, completedEpochs);
                }
            });
            LOG.info("{} epoch {}/{}: {}", ctx.stage(), completedEpochs, epochs, metrics);
        }
    }
}
