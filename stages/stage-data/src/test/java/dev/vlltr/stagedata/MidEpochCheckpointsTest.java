package dev.vlltr.stagedata;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.dataset.LoaderPosition;
import dev.vlltr.core.train.EpochTrainer;
import dev.vlltr.runtime.manifest.Checkpoints;
import dev.vlltr.runtime.store.FileArtifactStore;
import dev.vlltr.runtime.train.EpochCheckpoints;
import dev.vlltr.runtime.train.EpochRunner;
import dev.vlltr.runtime.train.ModelState;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The {@code checkpoint-every-batches} cadence through the real {@link EpochRunner} and checkpoints on a local folder:
 * a 9-batch epoch with N = 3 saves after batches 3 and 6, not after 9 (the last); a run that dies after batch 7
 * resumes from batch 6 with the running sums of batches 1-6 and the trainer state saved there, and ends with the sums
 * of an uninterrupted epoch.
 */
class MidEpochCheckpointsTest {

    @TempDir
    Path tmp;

    /** A "trainer" whose whole state is the number of steps taken (as its parameters' one byte). */
    private final int[] stepsTaken = {0};

    private EpochRunner runner() {
        EpochCheckpoints checkpoints = new EpochCheckpoints(new Checkpoints(new FileArtifactStore(),
                tmp.resolve("stage").toUri()), "key", tmp.resolve("scratch"), ModelState.Resumable.of(
                        () -> new ModelState(new byte[] {(byte) stepsTaken[0]}, new byte[0], Map.of()),
                        m -> stepsTaken[0] = m.parameters()[0]));
        return new EpochRunner("test", 1, checkpoints);
    }

    /** Trains from where the epoch resumes, each batch adding its 1-based index to the loss sum; dies at {@code dieAt}. */
    private List<Integer> epoch(EpochRunner.MidEpoch midEpoch, int dieAt, double[] finalSum) {
        MidEpochCheckpoints mid = new MidEpochCheckpoints(midEpoch, 0, 3);
        LoaderPosition from = mid.from();
        EpochTrainer.Partial p = mid.sums();
        double sum = p.sums().length == 0 ? 0 : p.sums()[0];
        List<Integer> trained = new ArrayList<>();
        for (int b = from.batch(); b < 9; b++) {
            if (b + 1 == dieAt) {
                throw new IllegalStateException("died before batch " + dieAt);
            }
            sum += b + 1;
            stepsTaken[0]++;
            trained.add(b + 1);
            mid.afterBatch(9).accept(new EpochTrainer.Partial(new double[] {sum}, b + 1, (b + 1) * 4));
        }
        finalSum[0] = sum;
        return trained;
    }

    @Test
    void savesEveryNthBatchButTheLastAndResumesFromTheNewest() throws Exception {
        double[] sum = {0};
        assertThrows(IllegalStateException.class, () -> runner().run((e, progress, midEpoch) -> {
            epoch(midEpoch, 8, sum);
            return Map.of();
        }));
        assertEquals(7, stepsTaken[0]);

        stepsTaken[0] = -1; // a fresh process: the state comes from the checkpoint
        List<List<Integer>> trained = new ArrayList<>();
        List<Map<String, Double>> history = runner().run((e, progress, midEpoch) -> {
            assertEquals(Map.of(LoaderPosition.EPOCH_KEY, "0", LoaderPosition.BATCH_KEY, "6",
                    EpochRunner.MidEpoch.BATCHES_DONE, "6", "train.sums", "21.0", "train.steps", "6",
                    "train.images", "24"), midEpoch.resumed(), "the newest save is after batch 6 (3 and 6 of 7)");
            assertEquals(6, stepsTaken[0], "the trainer state saved after batch 6");
            trained.add(epoch(midEpoch, -1, sum));
            return Map.of();
        });
        assertEquals(List.of(List.of(7, 8, 9)), trained);
        assertEquals(45.0, sum[0], "sums continue: 1 + ... + 9");
        assertEquals(9, stepsTaken[0]);
        assertEquals(1, history.size());
        // no save after the last batch (9): the mid-epoch checkpoint beside the epoch's own is still batch 6's
        ObjectMapper json = new ObjectMapper();
        JsonNode index = json.readTree(tmp.resolve("stage/checkpoints/epoch-0000/checkpoint.json").toFile());
        assertEquals("6", json.readTree(index.get("state").get("progress").asText())
                .get(EpochRunner.MidEpoch.BATCHES_DONE).asText());
    }
}
