package dev.vlltr.stage.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.MidEpochKill;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stage.anchors.AnchorSelectionCommand;
import dev.vlltr.stage.cvlp.CvlpCommand;
import dev.vlltr.stage.cvlp.StageTestSupport;
import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 12 for lgr: on the spec whose training geometry only the streaming loader applies (random-resized crop,
 * colour jitter), lgr with {@code input=images} and {@code checkpoint-every-batches=1} is killed with SIGKILL in a
 * child JVM right after a mid-epoch checkpoint of its second epoch, run again, and ends with the head, classifier,
 * features and per-epoch metrics of an uninterrupted run (bit for bit: batches, crops and Mixup/CutMix draws are
 * functions of seed, epoch and batch).
 */
class LgrMidEpochKillTest {

    @TempDir
    Path tmp;

    private List<String> common(String runId) {
        return new ArrayList<>(List.of("--run-id", runId, "--artifact-root", tmp.resolve("root").toString(),
                "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri", "none"));
    }

    private CommandRun run(Object command, String runId, String... args) {
        List<String> all = common(runId);
        all.addAll(List.of(args));
        return CommandRun.of(command, all.toArray(String[]::new));
    }

    private Path dir(String runId) {
        return tmp.resolve("root").resolve(runId).resolve("lgr");
    }

    @Test
    void lgrKilledMidEpochResumesAtItsBatchAndEndsAsAnUninterruptedRun() throws Exception {
        Path data = tmp.resolve("jpeg-rrc");
        GeneratedDatasets.write(data, GeneratedDatasets.SPEC);
        String dataset = "dataset=" + data.resolve("dataset.yaml").toUri();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        CommandRun cvlp = run(new CvlpCommand(), "up", "--input", "corpus=" + corpus, "--input", dataset,
                "--param", "depth=8", "--param", "embed-dim=16", "--param", "text-hidden-dim=32", "--param",
                "batch-size=16", "--param", "warmup-epochs=0", "--param", "epochs=1", "--param", "eval-batch-size=64",
                "--param", "epoch-length=32");
        assertEquals(0, cvlp.code(), cvlp.err());
        Path cvlpManifest = tmp.resolve("root/up/cvlp/manifest.json");
        CommandRun anchors = run(new AnchorSelectionCommand(), "up", "--input", "cvlp=" + cvlpManifest,
                "--input", "corpus=" + corpus, "--input", dataset, "--param", "m=4", "--param", "images-per-class=3");
        assertEquals(0, anchors.code(), anchors.err());
        String[] lgrArgs = {"--input", "cvlp=" + cvlpManifest, "--input",
            "anchors=" + tmp.resolve("root/up/anchor-selection/manifest.json"), "--input", dataset,
            "--param", "epochs=2", "--param", "batch-size=16", "--param", "eval-batch-size=64",
            "--param", "loader=streaming", "--param", "loader-threads=2", "--param", "checkpoint-every-batches=1"};

        CommandRun full = run(new LgrCommand(), "full", lgrArgs);
        assertEquals(0, full.code(), full.err());

        List<String> cut = common("cut");
        cut.addAll(List.of(lgrArgs));
        String log = MidEpochKill.killAndResume(tmp.resolve("logs"), LgrCommand.class, dir("cut"), HOLD_AFTER,
                Duration.ofSeconds(60), cut.toArray(String[]::new));
        assertTrue(log.contains("lgr: resumed from epoch 2 batch 2 "), log);

        ObjectMapper json = new ObjectMapper();
        JsonNode m = json.readTree(dir("cut").resolve("manifest.json").toFile());
        JsonNode mFull = json.readTree(dir("full").resolve("manifest.json").toFile());
        assertEquals(1, m.get("metrics").get("resumed_from_epoch").intValue(), m.toString());
        for (String output : List.of("head", "visual-classifier", "features-val", "features-test")) {
            assertEquals(mFull.get("outputs").get(output).get("sha256").asText(),
                    m.get("outputs").get(output).get("sha256").asText(),
                    "resumed mid-epoch, the run must end with the uninterrupted run's " + output);
        }
        for (String k : List.of("val_top1", "test_top1", "test_top1_sum", "test_top1_text")) {
            assertEquals(mFull.get("metrics").get(k).doubleValue(), m.get("metrics").get(k).doubleValue(), k);
        }
        JsonNode h = json.readTree(PublishedOutputs.in(dir("full"), "history.json").toFile());
        JsonNode hc = json.readTree(PublishedOutputs.in(dir("cut"), "history.json").toFile());
        assertEquals(2, hc.size());
        for (int e = 0; e < 2; e++) {
            for (String k : List.of("lr", "loss", "ce_image", "ce_text", "val_top1", "val_top1_image",
                    "val_top1_text")) {
                assertEquals(h.get(e).get(k).doubleValue(), hc.get(e).get(k).doubleValue(), "epoch " + e + " " + k);
            }
        }
    }

    /** Mid-epoch checkpoints before the kill: epoch 1 has 6 batches (102 images, batch 16), so 5, then 2 of epoch 2. */
    private static final int HOLD_AFTER = 7;
}
