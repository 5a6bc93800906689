package dev.vlltr.stage.cvlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.model.ClipImageTower;
import dev.vlltr.core.model.CvlpModel;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.clip.ClipTextTransformer;
import dev.vlltr.runtime.clip.ClipBundle;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * cvlp with CLIP towers from a CLIP bundle (input {@code clip-bundle}): ResNet-50- and ViT-B/16-shaped tiny towers
 * start from the bundle's weights and logit scale, train one epoch on CPU with CLIP as the L_dis teacher, and the
 * outputs rebuild the model; bad bundles exit 2 naming the file and tensor.
 */
class CvlpClipBundleTest {

    @TempDir
    Path tmp;

    CommandRun stage(String runId, Path corpus, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", runId, "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "corpus=" + corpus, "--param", "dataset=fmnist-lt-quick", "--param",
                "batch-size=32", "--param", "warmup-epochs=0", "--param", "epoch-length=64", "--param",
                "eval-batch-size=100", "--param", "epochs=1"));
        args.addAll(Arrays.asList(extra));
        return CvlpCommandTest.run(args.toArray(String[]::new));
    }

    /** The third case trains the ViT at 48 px from the 32 px checkpoint (positional embedding resized). */
    @ParameterizedTest
    @CsvSource({"resnet50, tiny-rn50, 0, 64", "vit-b16, tiny-vit-b16, 0, 32", "vit-b16, tiny-vit-b16, 48, 48"})
    void trainsBothClipTowersFromTheBundleWithClipAsTeacher(String backbone, String fixture, int imageSize, int size)
            throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path bundle = ClipBundleFixtures.copy(fixture, tmp.resolve("bundle"));
        List<String> args = new ArrayList<>(List.of(ClipBundleFixtures.clipTowers(backbone, bundle)));
        args.addAll(List.of("--param", "image-size=" + imageSize));
        CommandRun r = stage("c", corpus, args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        JsonNode m = json.readTree(tmp.resolve("root/c/cvlp/manifest.json").toFile());
        assertEquals(0.5, m.get("metrics").get("lambda_effective").doubleValue(), 1e-12, "CLIP is the teacher");
        JsonNode in = m.get("inputs").get("clip-bundle");
        assertEquals(bundle.toUri().toString(), in.get("uri").asText());
        assertEquals(64, in.get("sha256").asText().length(), "the bundle's digest is an input of the run");

        JsonNode history = json.readTree(PublishedOutputs.file(tmp.resolve("root"), "c", "cvlp", "history").toFile());
        JsonNode epoch = history.get(0);
        assertTrue(Double.isFinite(epoch.get("l_dis").doubleValue()) && epoch.get("l_dis").doubleValue() > 0,
                history.toString());
        // θ starts at the checkpoint's ln 100 (CLIP's own init would give 1/0.07 = 14.3); one epoch barely moves it
        assertEquals(100, epoch.get("logit_scale").doubleValue(), 1.0, history.toString());

        CvlpModelConfig cfg;
        try (InputStream c = Files.newInputStream(PublishedOutputs.file(tmp.resolve("root"), "c", "cvlp",
                "model-config"))) {
            cfg = CvlpModelConfig.read(c, "model-config.json");
        }
        assertEquals(backbone, cfg.backbone());
        assertEquals(CvlpModelConfig.TEXT_CLIP, cfg.textEncoder());
        assertEquals(16, cfg.embedDim(), "the bundle's embedding dimension");
        assertEquals(size, cfg.clip().imageSize());
        assertEquals(77, cfg.textInputShape().get(0));
        assertTrue(cfg.clip().source().startsWith(bundle.toUri() + " (sha256 "), cfg.clip().source());
        // the published encoders rebuild the trained model (what anchor-selection and lgr do)
        try (NDManager nd = NDManager.newBaseManager();
                InputStream p = Files.newInputStream(PublishedOutputs.file(tmp.resolve("root"), "c", "cvlp",
                        "encoders"))) {
            CvlpModel model = cfg.load(nd, p, "cvlp-encoders.params");
            assertTrue(model.getVision() instanceof ClipImageTower);
            assertTrue(model.getText() instanceof ClipTextTransformer);
            Map<String, Parameter> trained = ((ClipImageTower) model.getVision()).getVisual().clipParameters();
            try (ClipBundle b = ClipBundle.load(bundle, "b/", null, nd)) {
                String stat = "visual.layer1.0.bn1.running_var";
                if (backbone.equals("resnet50")) { // clip-batchnorm=frozen: the checkpoint's statistics are kept
                    assertArrayEquals(b.tensors().get(stat).toFloatArray(), trained.get(stat).getArray().toFloatArray(),
                            stat);
                }
                if (imageSize > 0) { // a 3x3 grid + class token from the checkpoint's 2x2 + 1
                    assertEquals(new Shape(10, 16), trained.get("visual.positional_embedding").getArray().getShape());
                }
                String w = "visual.conv1.weight"; // while the weights trained
                assertFalse(Arrays.equals(b.tensors().get(w).toFloatArray(), trained.get(w).getArray().toFloatArray()),
                        w + " moved");
            }
        }
    }

    /**
     * With the small towers the bundle is only the teacher (the teacher-torchscript use without TorchScript); its
     * digest is in the run's fingerprint: an unchanged rerun is skipped, a changed bundle at the same URI reruns.
     */
    @Test
    void bundleAsTeacherOnlyAndItsDigestInTheFingerprint() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path bundle = ClipBundleFixtures.copy("tiny-vit-b16", tmp.resolve("teacher"));
        String[] small = {"--param", "depth=8", "--param", "embed-dim=8", "--param", "text-hidden-dim=16", "--input",
            "clip-bundle=" + bundle.toUri()};
        CommandRun r = stage("t", corpus, small);
        assertEquals(0, r.code(), r.err());
        ObjectMapper json = new ObjectMapper();
        Path manifest = tmp.resolve("root/t/cvlp/manifest.json");
        JsonNode m = json.readTree(manifest.toFile());
        assertEquals(0.5, m.get("metrics").get("lambda_effective").doubleValue(), 1e-12);
        CvlpModelConfig cfg;
        try (InputStream c = Files.newInputStream(PublishedOutputs.file(tmp.resolve("root"), "t", "cvlp",
                "model-config"))) {
            cfg = CvlpModelConfig.read(c, "model-config.json");
        }
        assertEquals(CvlpModelConfig.BACKBONE_RESNET20, cfg.backbone());
        assertEquals(null, cfg.clip());
        assertEquals(8, cfg.embedDim(), "the small towers keep embed-dim");
        assertEquals(dev.vlltr.core.model.LogitScale.CLIP_INIT, cfg.logitScaleInit(), 1e-12);

        String finished = m.get("finishedAt").asText();
        assertEquals(0, stage("t", corpus, small).code());
        assertEquals(finished, json.readTree(manifest.toFile()).get("finishedAt").asText(), "unchanged: skipped");
        Files.writeString(bundle.resolve("bundle.json"), Files.readString(bundle.resolve("bundle.json"))
                .replace("\"source\": \"", "\"source\": \"re-exported "));
        assertEquals(0, stage("t", corpus, small).code());
        assertFalse(finished.equals(json.readTree(manifest.toFile()).get("finishedAt").asText()),
                "a changed bundle at the same URI reruns the stage");
    }

    /** The towers hold the bundle's tensors after initialisation, and the teacher is the whole CLIP. */
    @Test
    void initialisationCopiesEveryClipTensor() throws IOException {
        Path bundle = ClipBundleFixtures.copy("tiny-rn50", tmp.resolve("b"));
        try (NDManager m = NDManager.newBaseManager();
                ClipBundle b = ClipBundle.load(bundle, "b/", null, m)) {
            CvlpModelConfig cfg = new CvlpModelConfig(CvlpModelConfig.FORMAT, 20, 1, 28, 28, 16,
                    CvlpModelConfig.TEXT_CLIP, "openai-clip", 77, 0, true, b.logitScale(), Math.log(100),
                    b.logitScale(), 100, List.of("a", "b"), new float[] {0.286f}, new float[] {0.353f}, "x", null,
                    "resnet50", CvlpClipBundle.towers(b, 0, "b/"));
            CvlpModel model = cfg.newModel();
            model.initialize(m, DataType.FLOAT32, new Shape(1, 1, 28, 28), new Shape(1, 77));
            CvlpClipBundle.initialise(model, b);
            Map<String, Parameter> vis = ((ClipImageTower) model.getVision()).getVisual().clipParameters();
            Map<String, Parameter> txt = ((ClipTextTransformer) model.getText()).clipParameters();
            assertEquals(b.tensors().size() - 1, vis.size() + txt.size(), "every tensor but logit_scale");
            for (Map.Entry<String, NDArray> e : b.tensors().entrySet()) {
                Parameter p = vis.containsKey(e.getKey()) ? vis.get(e.getKey()) : txt.get(e.getKey());
                if (p != null) {
                    assertArrayEquals(e.getValue().toFloatArray(), p.getArray().toFloatArray(), e.getKey());
                }
            }
            assertEquals(Math.log(100), model.getLogitScale().getThetaParameter().getArray().getFloat(0), 1e-6);
        }
    }

    private static void assertArrayEquals(float[] want, float[] got, String what) {
        org.junit.jupiter.api.Assertions.assertArrayEquals(want, got, 0f, what);
    }

    @Test
    void badBundlesAndMissingBundlesExitTwo() throws IOException {
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));

        CommandRun none = stage("bad", corpus, "--param", "backbone=resnet50");
        assertEquals(2, none.code(), none.err());
        assertTrue(none.err().contains("need the input 'clip-bundle'"), none.err());

        Path wrongShape = ClipBundleFixtures.copy("tiny-rn50", tmp.resolve("wrong-shape"));
        Files.writeString(wrongShape.resolve("bundle.json"), Files.readString(wrongShape.resolve("bundle.json"))
                .replace("\"visionWidth\": 4", "\"visionWidth\": 8"));
        CommandRun shape = stage("bad", corpus, ClipBundleFixtures.clipTowers("resnet50", wrongShape));
        assertEquals(2, shape.code(), shape.err());
        assertTrue(shape.err().contains("input 'clip-bundle': " + wrongShape.toUri() + "clip.safetensors: tensor"
                + " 'visual.conv1.weight': expected shape [4, 3, 3, 3] for backbone resnet50, found [2, 3, 3, 3]"),
                shape.err());

        Path rn = ClipBundleFixtures.copy("tiny-rn50", tmp.resolve("rn"));
        CommandRun other = stage("bad", corpus, ClipBundleFixtures.clipTowers("vit-b16", rn));
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("bundle.json: field 'backbone': the bundle holds a resnet50, the stage was"
                + " asked for backbone=vit-b16"), other.err());

        Files.delete(rn.resolve("tokenizer.json"));
        CommandRun missing = stage("bad", corpus, ClipBundleFixtures.clipTowers("resnet50", rn));
        assertEquals(2, missing.code(), missing.err());
        assertTrue(missing.err().contains("has no tokenizer.json"), missing.err());

        CommandRun both = stage("bad", corpus, "--input", "clip-bundle=" + wrongShape.toUri(), "--input",
                "teacher=" + corpus);
        assertEquals(2, both.code(), both.err());
        assertTrue(both.err().contains("exclusive"), both.err());
        assertFalse(Files.exists(tmp.resolve("root/bad/cvlp/manifest.json")), "nothing published");
    }
}
