package dev.vlltr.stage.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stage.cvlp.StageTestSupport;
import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** LGR on the "no pretrained language" chain: cvlp {@code text-encoder=scratch} → AnSS → lgr. */
class ScratchTextLgrTest {

    @TempDir
    Path tmp;

    @Test
    void lgrAcceptsAScratchTextCvlpRun() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path cvlp = StageTestSupport.cvlpManifest(tmp.resolve("up-root"), corpus, StageTestSupport.SCRATCH_TEXT);
        Path anchors = AnchorsFixture.anchorsManifest(tmp.resolve("up-root"), cvlp, corpus);
        CommandRun r = LgrCommandTest.run("--run-id", "s", "--artifact-root", tmp.resolve("root").toString(),
                "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri", "none", "--input", "cvlp=" + cvlp,
                "--input", "anchors=" + anchors, "--param", "batch-size=64", "--param", "eval-batch-size=1000",
                "--param", "input=features", "--param", "epochs=1");
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("root/s/lgr/manifest.json").toFile());
        for (String k : new String[] {"test_top1", "val_top1_text", "test_mix/many_acc"}) {
            double v = m.get("metrics").get(k).doubleValue();
            assertTrue(v >= 0 && v <= 1, k + " = " + v);
        }
        JsonNode lgr = new ObjectMapper().readTree(
                PublishedOutputs.file(tmp.resolve("root"), "s", "lgr", "lgr").toFile());
        assertEquals(16, lgr.get("featureDim").intValue());
    }
}
