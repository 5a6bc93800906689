package dev.vlltr.stage.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stage.cvlp.ClipBundleFixtures;
import dev.vlltr.stage.cvlp.StageTestSupport;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * The VL-LTR chain on CLIP towers: cvlp (ResNet-50- or ViT-B/16-shaped tiny towers and CLIP's text transformer from
 * the tiny CLIP bundle, one epoch) → AnSS → lgr, the last on images through the frozen CLIP image tower.
 */
class ClipTowersLgrTest {

    @TempDir
    Path tmp;

    @ParameterizedTest
    @CsvSource({"resnet50, tiny-rn50", "vit-b16, tiny-vit-b16"})
    void lgrAndAnchorSelectionRunOnACvlpWithClipTowers(String backbone, String fixture) throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path bundle = ClipBundleFixtures.copy(fixture, tmp.resolve("bundle"));
        String[] extra = ClipBundleFixtures.clipTowers(backbone, bundle);
        Path cvlp = StageTestSupport.cvlpManifest(tmp.resolve("up-root"), corpus, extra);
        Path anchors = AnchorsFixture.anchorsManifest(tmp.resolve("up-root"), cvlp, corpus);
        CommandRun r = LgrCommandTest.run("--run-id", "s", "--artifact-root", tmp.resolve("root").toString(),
                "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri", "none", "--input", "cvlp=" + cvlp,
                "--input", "anchors=" + anchors, "--param", "batch-size=32", "--param", "eval-batch-size=500",
                "--param", "input=images", "--param", "epochs=1");
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("root/s/lgr/manifest.json").toFile());
        for (String k : new String[] {"test_top1", "val_top1_text", "test_mix/many_acc"}) {
            double v = m.get("metrics").get(k).doubleValue();
            assertTrue(v >= 0 && v <= 1, k + " = " + v);
        }
        JsonNode lgr = new ObjectMapper().readTree(
                PublishedOutputs.file(tmp.resolve("root"), "s", "lgr", "lgr").toFile());
        assertEquals(16, lgr.get("featureDim").intValue(), "the CLIP bundle's embedding dimension");
    }
}
