package dev.vlltr.runtime.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.vlltr.runtime.cli.InputSpec;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.cli.StageConfig;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.runtime.cli.StageRunner;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.FileArtifactStore;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The stages' epoch loop on a fake trainer (its "parameters" are a running sum): a run that crashes after epoch 2 and
 * is started again resumes from the checkpoint of its fingerprint and ends with the state and history of an
 * uninterrupted run; listeners see every epoch once and the resume; a run with other parameters starts afresh.
 */
class EpochRunnerTest {

    @TempDir
    Path tmp;

    static final StageDefinition DEF = new StageDefinition("train", "trains a sum",
            List.of(ParamSpec.integer("epochs", 3, "Epochs").min(1), ParamSpec.integer("scale", 1, "Scale")),
            List.<InputSpec>of());

    /** A trainer whose whole state is one number; each epoch adds (epoch + 1) × scale. */
    static final class SumTrainer implements ModelState.Resumable {
        long sum;

        @Override
        public ModelState exportState() {
            return new ModelState(ByteBuffer.allocate(8).putLong(sum).array(), new byte[] {1}, Map.of("w", 1));
        }

        @Override
        public void importState(ModelState state) {
            sum = ByteBuffer.wrap(state.parameters()).getLong();
            assertEquals(Map.of("w", 1), state.optimizerSteps());
        }
    }

    /** What a listener saw. */
    static final class Recording implements EpochListener {
        final List<Integer> ended = new ArrayList<>();
        final List<Integer> resumed = new ArrayList<>();

        @Override
        public void resumed(int completedEpochs, List<Map<String, Double>> history) {
            resumed.add(completedEpochs);
            assertEquals(completedEpochs, history.size());
        }

        @Override
        public void epochEnded(int completedEpochs, Map<String, Double> metrics, List<Map<String, Double>> history) {
            ended.add(completedEpochs);
            assertEquals(completedEpochs, metrics.get("epoch").intValue());
        }
    }

    record Outcome(long sum, List<Map<String, Double>> history, Map<String, Double> headline) {}

    Outcome run(String root, Map<String, String> params, int crashInEpoch, Recording recording) throws Exception {
        SumTrainer trainer = new SumTrainer();
        List<List<Map<String, Double>>> history = new ArrayList<>();
        StageRunner runner = new StageRunner(new FileArtifactStore(), tmp.resolve("work"),
                new XcomWriter(tmp.resolve("xcom")));
        StageRunner.Result r = runner.run(DEF, new StageConfig("run-1", tmp.resolve(root).toString(), null, null,
                Map.of(), params), true, ctx -> {
                    int scale = ctx.params().integer("scale");
                    history.add(EpochRunner.forStage(ctx, ctx.params().integer("epochs"), trainer)
                            .listener(recording).run((epoch, progress) -> {
                                if (epoch == crashInEpoch) {
                                    throw new IllegalStateException("simulated crash in epoch " + epoch);
                                }
                                List<Integer> batches = List.of(1, 2);
                                progress.track(batches.iterator(), batches.size()).forEachRemaining(b -> { });
                                trainer.sum += (long) (epoch + 1) * scale;
                                return Map.of("sum", (double) trainer.sum);
                            }));
                    Files.writeString(ctx.output("sum", "sum.txt"), Long.toString(trainer.sum));
                });
        return new Outcome(trainer.sum, history.get(0), r.manifest().metrics());
    }

    @Test
    void aCrashedRunResumesFromItsCheckpointAndEndsLikeAnUninterruptedOne() throws Exception {
        Recording straightSeen = new Recording();
        Outcome straight = run("straight", Map.of(), -1, straightSeen);
        assertEquals(1 + 2 + 3, straight.sum());
        assertEquals(List.of(1, 2, 3), straightSeen.ended);
        assertEquals(List.of(), straightSeen.resumed);
        assertFalse(straight.headline().containsKey("resumed_from_epoch"));

        Recording crashedSeen = new Recording();
        assertThrows(IllegalStateException.class, () -> run("crashed", Map.of(), 2, crashedSeen));
        assertEquals(List.of(1, 2), crashedSeen.ended);

        Recording resumedSeen = new Recording();
        Outcome resumed = run("crashed", Map.of(), -1, resumedSeen);
        assertEquals(List.of(2), resumedSeen.resumed);
        assertEquals(List.of(3), resumedSeen.ended, "only the epoch left is trained");
        assertEquals(straight.sum(), resumed.sum());
        assertEquals(straight.history(), resumed.history());
        assertEquals(2.0, resumed.headline().get("resumed_from_epoch"));

        // other parameters, another fingerprint: the checkpoints of the first run are not used
        Recording otherSeen = new Recording();
        Outcome other = run("crashed", Map.of("scale", "2"), -1, otherSeen);
        assertEquals(List.of(), otherSeen.resumed);
        assertEquals(2 * (1 + 2 + 3), other.sum());
    }
}
