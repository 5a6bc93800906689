package dev.vlltr.stage.anchors;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stage.cvlp.StageTestSupport;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** AnSS on a cvlp run with the scratch text tower ({@code text-encoder=scratch}, no pretrained language). */
class ScratchTextAnchorsTest {

    @TempDir
    Path tmp;

    @Test
    void anssAcceptsAScratchTextCvlpRun() throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path cvlp = StageTestSupport.cvlpManifest(tmp.resolve("up-root"), corpus, StageTestSupport.SCRATCH_TEXT);
        CommandRun r = AnchorSelectionCommandTest.run("--run-id", "s", "--artifact-root",
                tmp.resolve("root").toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "cvlp=" + cvlp, "--input", "corpus=" + corpus, "--param", "images-per-class=5",
                "--param", "m=4");
        assertEquals(0, r.code(), r.err());
        Path dir = tmp.resolve("root/s/anchor-selection");
        JsonNode anchors = new ObjectMapper().readTree(PublishedOutputs.in(dir, "anchors.json").toFile());
        assertEquals(50, anchors.get("imagesScored").intValue());
        FeatureTable text = read(PublishedOutputs.in(cvlp.getParent(), "text-features.vlft"));
        FeatureTable memory = read(PublishedOutputs.in(dir, "anchor-embeddings.vlft"));
        for (int c = 0; c < 10; c++) {
            JsonNode cls = anchors.get("classes").get(c);
            assertEquals(3, cls.get("count").intValue());
            for (int j = 0; j < 3; j++) {
                // the memory holds the scratch tower's features of the chosen sentences
                int row = cls.get("sentences").get(j).get("row").intValue();
                assertArrayEquals(text.array(FeatureTable.FEATURES)[row],
                        memory.array(FeatureTable.FEATURES)[c * 4 + j]);
            }
        }
    }

    private static FeatureTable read(Path p) throws IOException {
        try (InputStream in = Files.newInputStream(p)) {
            return FeatureTable.readFrom(in, p.toString());
        }
    }
}
