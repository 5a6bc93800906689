package dev.vlltr.stage.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FashionMnist;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stage.cvlp.StageTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The lgr app in-process on tiny real cvlp + anchor-selection runs: help, the output contract (checked against an
 * independent re-computation of both branches), memoisation, the image input with Mixup/CutMix, bad input.
 */
class LgrCommandTest {

    @TempDir
    static Path tmp;
    static Path cvlp;
    static Path anchors;

    @BeforeAll
    static void upstream() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        cvlp = StageTestSupport.cvlpManifest(tmp.resolve("up-root"), corpus);
        anchors = AnchorsFixture.anchorsManifest(tmp.resolve("up-root"), cvlp, corpus);
    }

    static CommandRun run(String... args) {
        return CommandRun.of(new LgrCommand(), args);
    }

    static CommandRun stage(String runId, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "cvlp=" + cvlp, "--input", "anchors=" + anchors, "--input",
                StageTestSupport.datasetInput("fmnist-lt-quick"), "--param", "batch-size=64",
                "--param", "eval-batch-size=1000"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    static Path dir(String runId) {
        return tmp.resolve("root").resolve(runId).resolve("lgr");
    }

    static JsonNode json(Path p) throws IOException {
        return new ObjectMapper().readTree(p.toFile());
    }

    static FeatureTable table(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return FeatureTable.readFrom(in, p.toString());
        }
    }

    @Test
    void helpDocumentsParametersInputsAndOutputs() {
        CommandRun r = run("--help");
        assertEquals(0, r.code(), r.err());
        for (ParamSpec p : LgrCommand.PARAMS) {
            assertTrue(r.out().contains("  " + p.name() + " "), "help lacks parameter " + p.name() + ":\n" + r.out());
        }
        for (String s : new String[] {"features-<split>.vlft", "hidden_image", "visual-classifier.json", "lgr.json",
            "lgr-head.params", "(default: images)"}) {
            assertTrue(r.out().contains(s), "help lacks '" + s + "':\n" + r.out());
        }
    }

    @Test
    void featureRunHonoursTheOutputContractMemoisesAndResumes() throws IOException {
        CommandRun r = stage("f", "--param", "input=features", "--param", "epochs=2", "--param",
                "freeze-attention=true");
        assertEquals(0, r.code(), r.err());
        JsonNode m = json(dir("f").resolve("manifest.json"));
        for (String out : List.of("features-train", "features-val", "features-test", "visual-classifier", "lgr",
                "head", "history")) {
            assertTrue(m.get("outputs").has(out), "manifest lacks output " + out + ": " + m);
        }
        for (String k : List.of("val_top1", "val_top1_sum", "val_top1_image", "val_top1_text", "test_top1",
                "test_mix/many_acc", "test_sum/terciles/few_acc")) {
            assertTrue(m.get("metrics").has(k), "manifest lacks metric " + k + ": " + m.get("metrics"));
        }
        FeatureTable train = table(PublishedOutputs.in(dir("f"), "features-train.vlft"));
        FeatureTable val = table(PublishedOutputs.in(dir("f"), "features-val.vlft"));
        FeatureTable test = table(PublishedOutputs.in(dir("f"), "features-test.vlft"));
        assertEquals(List.of("train", "val", "test"), List.of(train.split(), val.split(), test.split()));
        assertEquals(List.of(1222, 100, 10000), List.of(train.rows(), val.rows(), test.rows()));
        assertEquals(FashionMnist.CLASS_NAMES, test.classNames());
        assertEquals(16, val.array("features")[0].length);
        assertEquals(64, val.array("hidden_image")[0].length);
        assertEquals(10, val.array("logits_image")[0].length);
        assertEquals(10, val.array("logits_text")[0].length);

        // visual-classifier.json is P^I's last layer: logits_image = W hidden_image + b
        JsonNode vc = json(PublishedOutputs.in(dir("f"), "visual-classifier.json"));
        assertEquals("hidden_image", vc.get("input").asText());
        for (int i = 0; i < 5; i++) {
            float[] h = val.array("hidden_image")[i];
            for (int c = 0; c < 10; c++) {
                double z = vc.get("bias").get(c).doubleValue();
                for (int k = 0; k < h.length; k++) {
                    z += vc.get("weight").get(c).get(k).doubleValue() * h[k];
                }
                assertEquals(z, val.array("logits_image")[i][c], 1e-4);
            }
        }
        // logits_text re-computed independently (frozen attention = identity W_q, W_k, unit LayerNorms)
        JsonNode lgr = json(PublishedOutputs.in(dir("f"), "lgr.json"));
        double scale = lgr.get("logitScale").doubleValue();
        FeatureTable memory = table(
                PublishedOutputs.file(tmp.resolve("up-root"), "up", "anchor-selection", "anchor-embeddings"));
        for (int i = 0; i < 5; i++) {
            double[] expected = ReferenceLgr.textLogits(val.array("features")[i], memory, 4, scale);
            for (int c = 0; c < 10; c++) {
                assertEquals(expected[c], val.array("logits_text")[i][c], 1e-3 * Math.max(1, Math.abs(expected[c])));
            }
        }
        assertEquals(0.2, lgr.get("alpha").doubleValue());
        assertEquals(300, lgr.get("trainClassCounts").get(0).intValue());
        assertEquals(30, lgr.get("trainClassCounts").get(9).intValue());
        // the reported top-1 is the alpha mix of the written logits
        assertEquals(ReferenceLgr.mixTop1(test, 0.2), m.get("metrics").get("test_top1").doubleValue(), 1e-9);

        // memoised (resume after a crash is the cvlp test's and TrainersTest's: same Checkpoints/state code path)
        String finished = m.get("finishedAt").asText();
        assertEquals(0, stage("f", "--param", "input=features", "--param", "epochs=2", "--param",
                "freeze-attention=true").code());
        assertEquals(finished, json(dir("f").resolve("manifest.json")).get("finishedAt").asText());
    }

    @Test
    void imageInputWithMixupAndTheNoLanguageAblation() throws IOException {
        CommandRun r = stage("img", "--param", "epochs=1", "--param", "text-branch=false");
        assertEquals(0, r.code(), r.err());
        JsonNode lgr = json(PublishedOutputs.in(dir("img"), "lgr.json"));
        assertEquals("images", lgr.get("input").asText());
        assertEquals("mixup 0.8, cutmix 1.0", lgr.get("mixup").asText());
        assertEquals("softmax(logits_image)", lgr.get("prediction").asText());
        JsonNode m = json(dir("img").resolve("manifest.json"));
        assertEquals(m.get("metrics").get("val_top1_image").doubleValue(),
                m.get("metrics").get("val_top1").doubleValue(), "without the text branch the prediction is P^I");
    }

    @Test
    void aTrainSetSmallerThanOneBatchExitsTwoNamingBatchSize() {
        CommandRun r = stage("too-big-batch", "--param", "batch-size=1000000");
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("parameter 'batch-size': 1000000 is larger than an epoch of "), r.err());
        assertTrue(r.err().contains("drop_last=True"), r.err());
        assertFalse(Files.exists(dir("too-big-batch").resolve("manifest.json")), "no manifest may be published");
    }

    @Test
    void badInputExitsTwoNamingTheField() {
        CommandRun alpha = stage("bad", "--param", "alpha=1.5");
        assertEquals(2, alpha.code());
        assertTrue(alpha.err().contains("'alpha'"), alpha.err());
        CommandRun preset = stage("bad", "--param", "preset=places-lt-rn50");
        assertEquals(2, preset.code(), preset.err());
        assertTrue(preset.err().contains("parameter 'preset'") && preset.err().contains("365"), preset.err());
        CommandRun gpu = stage("bad", "--param", "device=gpu:3");
        assertEquals(2, gpu.code());
        assertTrue(gpu.err().contains("parameter 'device'") && gpu.err().contains("gpu:3"), gpu.err());
        // mid-epoch checkpoints need batches from the streaming loader: not cached features, not the IDX images
        CommandRun features = stage("bad", "--param", "input=features", "--param", "checkpoint-every-batches=2");
        assertEquals(2, features.code(), features.err());
        assertTrue(features.err().contains("checkpoint-every-batches=2 needs input=images with the streaming loader"),
                features.err());
        CommandRun memory = stage("bad", "--param", "checkpoint-every-batches=2");
        assertEquals(2, memory.code(), memory.err());
        assertTrue(memory.err().contains("checkpoint-every-batches=2 needs the streaming loader"), memory.err());
        assertFalse(Files.exists(dir("bad").resolve("manifest.json")), "no manifest may be published");
        CommandRun wrongInput = run("--run-id", "bad", "--artifact-root", tmp.resolve("root").toString(), "--xcom-dir",
                tmp.resolve("no-xcom").toString(), "--tracking-uri", "none", "--input", "cvlp=" + cvlp, "--input",
                "anchors=" + cvlp);
        assertEquals(2, wrongInput.code());
        assertTrue(wrongInput.err().contains("anchor-embeddings"), wrongInput.err());
    }
}
