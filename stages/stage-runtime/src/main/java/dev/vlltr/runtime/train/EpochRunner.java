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
        /** @return the progress state saved with the checkpoint this epoch resumes from; empty: from its start */
        Map<String, String> resumed();

        /** Saves a checkpoint of the trainer now, with the stage's {@code progress} state (loader position, sums). */
        void save(Map<String, String> progress) throws java.io.IOException;
    }

    /**
     * Test hook (system property): the run stops with {@link Halted} right after this many mid-epoch checkpoints, as a
     * killed process would after its last save. Unset in production.
     */
    public static final String HALT_AFTER_MID_EPOCH_SAVES = "vlltr.test.haltAfterMidEpochCheckpoints";

    /** Thrown by the {@link #HALT_AFTER_MID_EPOCH_SAVES} test hook. */
    public static final class Halted extends RuntimeException {
        Halted(String message) {
            super(message);
        }
    }

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
            LOG.info("{}: resuming epoch {} of {} part-way: {}", name, start + 1, epochs, midEpochState);
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
                public void save(Map<String, String> progress) throws java.io.IOException {
                    checkpoints.saveMidEpoch(completed, history, progress);
                    haltHook();
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

    private void haltHook() {
        String halt = System.getProperty(HALT_AFTER_MID_EPOCH_SAVES);
        if (halt != null && ++midEpochSaves >= Integer.parseInt(halt)) {
            throw new Halted(name + ": halted after " + midEpochSaves + " mid-epoch checkpoints (test hook "
                    + HALT_AFTER_MID_EPOCH_SAVES + ")");
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
