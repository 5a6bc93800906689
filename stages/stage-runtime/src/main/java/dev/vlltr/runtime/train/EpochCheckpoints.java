package dev.vlltr.runtime.train;

import dev.vlltr.runtime.manifest.Checkpoints;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Checkpoints of an {@link EpochRunner}: after every epoch the trainer's state and the metric history are saved
 * ({@link Checkpoints#saveTraining}, the newest two kept), tagged with the run's key — the stage execution's
 * fingerprint (stage, parameters, input digests) — so that only the same computation resumes from them.
 */
public final class EpochCheckpoints implements EpochListener {

    private final Checkpoints checkpoints;
    private final String key;
    private final Path scratch;
    private final ModelState.Resumable trainer;
    /** The mid-epoch progress of the restored checkpoint (empty at an epoch boundary). */
    private Map<String, String> restoredProgress = Map.of();

    /**
     * @param checkpoints the stage's checkpoint folder
     * @param key         the run fingerprint
     * @param scratch     local folder for staging files
     * @param trainer     whose state is saved and restored
     */
    public EpochCheckpoints(Checkpoints checkpoints, String key, Path scratch, ModelState.Resumable trainer) {
        this.checkpoints = checkpoints;
        this.key = key;
        this.scratch = scratch;
        this.trainer = trainer;
    }

    /**
     * Restores the newest checkpoint of this key into the trainer and {@code history}.
     *
     * @param epochs the run's epochs (a checkpoint beyond them belongs to another run)
     * @return the epochs it completed, 0 when there is none to resume from
     */
    int restore(int epochs, List<Map<String, Double>> history) throws IOException {
        Optional<Checkpoints.TrainingState> saved = checkpoints.restoreTraining(key, epochs, scratch.resolve("restore"));
        if (saved.isEmpty()) {
            return 0;
        }
        Checkpoints.TrainingState st = saved.get();
        trainer.importState(new ModelState(st.parameters(), st.optimizerMoments(), st.optimizerSteps()));
        history.addAll(st.history());
        restoredProgress = st.progress();
        return st.epoch();
    }

    /** @return what the stage saved mid-epoch in the restored checkpoint; empty at an epoch boundary or none */
    Map<String, String> restoredProgress() {
        return restoredProgress;
    }

    /**
     * Saves a mid-epoch checkpoint: {@code completedEpochs} done, the next part-way as {@code progress} says.
     */
    void saveMidEpoch(int completedEpochs, List<Map<String, Double>> history, Map<String, String> progress)
            throws IOException {
        if (progress.isEmpty()) {
            throw new IllegalArgumentException("a mid-epoch checkpoint needs the stage's progress state");
        }
        ModelState state = trainer.exportState();
        checkpoints.saveTraining(new Checkpoints.TrainingState(completedEpochs, state.parameters(),
                state.optimizerMoments(), state.optimizerSteps(), List.copyOf(history), progress), key, scratch);
    }

    @Override
    public void epochEnded(int completedEpochs, Map<String, Double> metrics, List<Map<String, Double>> history)
            throws IOException {
        ModelState state = trainer.exportState();
        checkpoints.saveTraining(new Checkpoints.TrainingState(completedEpochs, state.parameters(),
                state.optimizerMoments(), state.optimizerSteps(), history), key, scratch);
    }
}
