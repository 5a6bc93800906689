package dev.vlltr.stage.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import dev.vlltr.stage.cvlp.ClipBundleFixtures;
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
        Path bundle = ClipBundleFixtures.copy(fixture, tmp.resolve("bundle"));
        JsonNode lgr = AnchorsFixture.lgrAfterCvlp(tmp, ClipBundleFixtures.clipTowers(backbone, bundle),
                "batch-size=32", "eval-batch-size=500", "input=images");
        assertEquals(16, lgr.get("featureDim").intValue(), "the CLIP bundle's embedding dimension");
    }
}
