package dev.vlltr.runtime.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.runtime.store.FileArtifactStore;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointsTest {

    @TempDir
    Path tmp;

    @Test
    void restoresTheNewestCompleteCheckpointAndSkipsACorruptOne() throws Exception {
        FileArtifactStore store = new FileArtifactStore();
        URI stageDir = tmp.resolve("root/run/cvlp/").toUri();
        Checkpoints cps = new Checkpoints(store, stageDir);
        assertTrue(cps.restoreLatest(tmp.resolve("restore0")).isEmpty());

        for (int epoch = 1; epoch <= 3; epoch++) {
            Path dir = tmp.resolve("local-" + epoch);
            Files.createDirectories(dir.resolve("opt"));
            Files.writeString(dir.resolve("model.params"), "weights of epoch " + epoch);
            Files.writeString(dir.resolve("opt/state.bin"), "optimizer " + epoch);
            cps.save(epoch, dir, Map.of("step", Integer.toString(100 * epoch)));
        }
        // epoch 4 crashed before its index was written: not a checkpoint
        Files.createDirectories(tmp.resolve("root/run/cvlp/checkpoints/epoch-0004"));
        Files.writeString(tmp.resolve("root/run/cvlp/checkpoints/epoch-0004/model.params"), "half");
        assertEquals(List.of(1, 2, 3), cps.epochs());

        Checkpoints.Checkpoint latest = cps.restoreLatest(tmp.resolve("restore1")).orElseThrow();
        assertEquals(3, latest.epoch());
        assertEquals("300", latest.state().get("step"));
        assertEquals("weights of epoch 3", Files.readString(latest.dir().resolve("model.params")));
        assertEquals("optimizer 3", Files.readString(latest.dir().resolve("opt/state.bin")));

        // bit rot in epoch 3: its digest no longer matches, so epoch 2 is used
        Files.writeString(tmp.resolve("root/run/cvlp/checkpoints/epoch-0003/model.params"), "weights of epoch X");
        Checkpoints.Checkpoint fallback = cps.restoreLatest(tmp.resolve("restore2")).orElseThrow();
        assertEquals(2, fallback.epoch());

        cps.prune(1);
        assertEquals(List.of(3), cps.epochs());
    }

    @Test
    void trainingStateRoundTripsOnlyForItsKeyAndKeepsTheNewestTwo() throws Exception {
        Checkpoints cps = new Checkpoints(new FileArtifactStore(), tmp.resolve("root/run/lgr/").toUri());
        assertTrue(cps.restoreTraining("k", 10, tmp.resolve("r0")).isEmpty());
        for (int epoch = 1; epoch <= 3; epoch++) {
            Map<String, Double> metrics = new java.util.LinkedHashMap<>();
            metrics.put("loss", 1.0 / epoch);
            metrics.put("epoch", (double) epoch);
            cps.saveTraining(new Checkpoints.TrainingState(epoch, new byte[] {1, 2, (byte) epoch},
                    new byte[] {9, (byte) epoch}, Map.of("head.weight", 10 * epoch), List.of(metrics)), "k",
                    tmp.resolve("scratch"));
        }
        assertEquals(List.of(2, 3), cps.epochs());
        Checkpoints.TrainingState st = cps.restoreTraining("k", 10, tmp.resolve("r1")).orElseThrow();
        assertEquals(3, st.epoch());
        assertEquals(List.of((byte) 1, (byte) 2, (byte) 3), List.of(st.parameters()[0], st.parameters()[1],
                st.parameters()[2]));
        assertEquals(2, st.optimizerMoments().length);
        assertEquals(3, st.optimizerMoments()[1]);
        assertEquals(Map.of("head.weight", 30), st.optimizerSteps());
        assertEquals(List.of("loss", "epoch"), List.copyOf(st.history().get(0).keySet()), "metric order kept");
        assertEquals(1.0 / 3, st.history().get(0).get("loss"));
        // another run's key, or a checkpoint beyond the run's epochs: start from scratch
        assertTrue(cps.restoreTraining("other", 10, tmp.resolve("r2")).isEmpty());
        assertTrue(cps.restoreTraining("k", 2, tmp.resolve("r3")).isEmpty());
    }

    /**
     * A mid-epoch save replaces the checkpoint of the epochs done so far and carries the stage's progress state; a
     * crash while it is being replaced (its files rewritten, its index not) falls back to the checkpoint before.
     */
    @Test
    void midEpochProgressReplacesTheCheckpointOfTheEpochsDoneAndRoundTrips() throws Exception {
        Checkpoints cps = new Checkpoints(new FileArtifactStore(), tmp.resolve("root/run/cvlp/").toUri());
        Path scratch = tmp.resolve("scratch");
        cps.saveTraining(new Checkpoints.TrainingState(1, new byte[] {1}, new byte[] {1}, Map.of(), List.of()), "k",
                scratch);
        assertTrue(cps.restoreTraining("k", 5, tmp.resolve("r0")).orElseThrow().progress().isEmpty(),
                "an epoch-end checkpoint has no progress state");
        cps.saveTraining(new Checkpoints.TrainingState(2, new byte[] {2}, new byte[] {2}, Map.of(), List.of()), "k",
                scratch);
        Map<String, String> progress = Map.of("data.epoch", "2", "data.batch", "3", "train.sums", "0.1,2.5E-7");
        cps.saveTraining(new Checkpoints.TrainingState(2, new byte[] {7}, new byte[] {7}, Map.of(), List.of(),
                progress), "k", scratch);
        assertEquals(List.of(1, 2), cps.epochs(), "replaced, not added");
        Checkpoints.TrainingState st = cps.restoreTraining("k", 5, tmp.resolve("r1")).orElseThrow();
        assertEquals(2, st.epoch());
        assertEquals(7, st.parameters()[0]);
        assertEquals(progress, st.progress());

        // the process died while replacing it: the parameters were rewritten, the index was not
        Files.write(tmp.resolve("root/run/cvlp/checkpoints/epoch-0002/parameters.ndlist"), new byte[] {8});
        Checkpoints.TrainingState before = cps.restoreTraining("k", 5, tmp.resolve("r2")).orElseThrow();
        assertEquals(1, before.epoch(), "falls back to the checkpoint before");
        assertEquals(1, before.parameters()[0]);
    }
}
