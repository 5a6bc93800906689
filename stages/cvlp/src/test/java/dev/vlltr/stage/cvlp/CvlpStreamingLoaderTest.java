package dev.vlltr.stage.cvlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.MidEpochKill;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cvlp stage with the streaming loader: real Fashion-MNIST rendered as 32×32 RGB JPEGs whose spec trains with a
 * random-resized crop (28) and colour jitter, which only the streaming loader applies. {@code loader=auto} picks it,
 * trains two epochs reproducibly from the seed and records {@code data_wait_share}; {@code loader=memory} on the same
 * spec is refused with exit 2 naming {@code geometry.train}; a run killed mid-epoch resumes at its batch.
 */
class CvlpStreamingLoaderTest {

    private static final String[] TINY = {"--param", "depth=8", "--param", "embed-dim=16", "--param",
        "text-hidden-dim=32", "--param", "batch-size=16", "--param", "warmup-epochs=0", "--param", "epochs=2",
        "--param", "eval-batch-size=64", "--param", "epoch-length=64", "--param", "loader-threads=2"};

    @TempDir
    Path tmp;

    private CommandRun stage(String runId, Path dataset, String... extra) throws IOException {
        return StageTestSupport.cvlpOnDataset(tmp, runId, dataset, TINY, extra);
    }

    private Path dir(String runId) {
        return tmp.resolve("root").resolve(runId).resolve("cvlp");
    }

    private JsonNode history(String runId) throws IOException {
        return new ObjectMapper().readTree(PublishedOutputs.in(dir(runId), "history.json").toFile());
    }

    @Test
    void randomResizedCropSpecTrainsWithTheStreamingLoaderReproducibly() throws IOException {
        Path data = tmp.resolve("jpeg-rrc");
        GeneratedDatasets.write(data, GeneratedDatasets.SPEC);

        CommandRun a = stage("a", data);
        assertEquals(0, a.code(), a.err());
        JsonNode m = new ObjectMapper().readTree(dir("a").resolve("manifest.json").toFile());
        assertEquals(2, m.get("metrics").get("streaming_workers").intValue(), "auto chose the streaming loader");
        CvlpModelConfig cfg;
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(dir("a"), "model-config.json"))) {
            cfg = CvlpModelConfig.read(in, "model-config.json");
        }
        assertEquals(3, cfg.imageChannels());
        assertEquals(28, cfg.imageHeight(), "the random-resized crop's size = the eval centre crop");
        JsonNode h = history("a");
        assertEquals(2, h.size());
        for (JsonNode epoch : h) {
            double wait = epoch.get("data_wait_share").doubleValue();
            assertTrue(wait >= 0 && wait <= 1, "data_wait_share in [0, 1]: " + wait);
            assertTrue(Double.isFinite(epoch.get("loss").doubleValue()), epoch.toString());
        }
        assertNotEquals(h.get(0).get("loss").doubleValue(), h.get(1).get("loss").doubleValue(),
                "the second epoch trains on other crops");

        // same seed: the same augmented batches, so the same losses and accuracies (another run id: no memoising)
        CommandRun b = stage("b", data);
        assertEquals(0, b.code(), b.err());
        JsonNode hb = history("b");
        for (int e = 0; e < 2; e++) {
            for (String k : List.of("loss", "l_ccl", "val_zero_shot_acc", "val_i2t_top1", "val_t2i_top1")) {
                assertEquals(h.get(e).get(k).doubleValue(), hb.get(e).get(k).doubleValue(), "epoch " + e + " " + k);
            }
        }
    }

    /**
     * Issue 12: a run killed with SIGKILL in a child JVM right after its 5th mid-epoch checkpoint (epoch 2, after
     * batch 2 of 4) is run again: it logs that it resumed from epoch 2 batch 2, continues from the checkpoint's loader
     * position and running loss sums, and ends with the weights (bit for bit) and per-epoch losses and accuracies of
     * a run that was never interrupted.
     */
    @Test
    void runKilledMidEpochResumesAtItsBatchAndEndsAsAnUninterruptedRun() throws Exception {
        Path data = tmp.resolve("jpeg-rrc");
        GeneratedDatasets.write(data, GeneratedDatasets.SPEC);
        String[] every = {"--param", "checkpoint-every-batches=1"};
        CommandRun full = stage("full", data, every);
        assertEquals(0, full.code(), full.err());

        String log = MidEpochKill.killAndResume(tmp.resolve("logs"), CvlpCommand.class, dir("cut"), 5,
                Duration.ofSeconds(60), StageTestSupport.cvlpOnDatasetArgs(tmp, "cut", data, TINY, every));
        assertTrue(log.contains("cvlp: resumed from epoch 2 batch 2 "), log);
        JsonNode m = new ObjectMapper().readTree(dir("cut").resolve("manifest.json").toFile());
        JsonNode mFull = new ObjectMapper().readTree(dir("full").resolve("manifest.json").toFile());
        assertEquals(1, m.get("metrics").get("resumed_from_epoch").intValue(), m.toString());
        for (String output : List.of("encoders", "text-features")) {
            assertEquals(mFull.get("outputs").get(output).get("sha256").asText(),
                    m.get("outputs").get(output).get("sha256").asText(),
                    "resumed mid-epoch, the run must end with the uninterrupted run's " + output);
        }
        JsonNode h = history("full");
        JsonNode hc = history("cut");
        assertEquals(2, hc.size());
        for (int e = 0; e < 2; e++) {
            for (String k : List.of("lr", "loss", "l_ccl", "val_zero_shot_acc", "val_i2t_top1", "val_t2i_top1")) {
                assertEquals(h.get(e).get(k).doubleValue(), hc.get(e).get(k).doubleValue(), "epoch " + e + " " + k);
            }
        }
    }

    @Test
    void memoryLoaderRefusesARandomResizedCrop() throws IOException {
        Path data = tmp.resolve("jpeg-rrc");
        GeneratedDatasets.write(data, GeneratedDatasets.SPEC);
        CommandRun r = stage("mem", data, "--param", "loader=memory");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("geometry.train"), r.err());
        assertFalse(Files.exists(dir("mem").resolve("manifest.json")), "no manifest may be published");
        CommandRun midEpoch = stage("mem-cp", data, "--param", "loader=memory", "--param",
                "checkpoint-every-batches=2");
        assertEquals(2, midEpoch.code(), midEpoch.err());
        assertTrue(midEpoch.err().contains("checkpoint-every-batches=2 needs the streaming loader"), midEpoch.err());
    }
}
