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
import java.util.ArrayList;
import java.util.List;

/** The anchor-selection upstream of the lgr tests (on top of cvlp's {@code StageTestSupport}). */
final class AnchorsFixture {

    private AnchorsFixture() {}

    /** AnSS on the tiny cvlp run: M = 4 (3 real sentences + 1 padded slot per class), 5 val images per class. */
    static Path anchorsManifest(Path root, Path cvlpManifest, Path corpusManifest) {
        int code = new picocli.CommandLine(new dev.vlltr.stage.anchors.AnchorSelectionCommand()).execute("--run-id",
                "up", "--artifact-root", root.toString(), "--xcom-dir", root.resolve("no-xcom").toString(),
                "--tracking-uri", "none", "--input", "cvlp=" + cvlpManifest, "--input", "corpus=" + corpusManifest,
                "--input", StageTestSupport.datasetInput("fmnist-lt-quick"), "--param", "m=4",
                "--param", "images-per-class=5");
        if (code != 0) {
            throw new AssertionError("upstream anchor-selection run failed with exit code " + code);
        }
        return root.resolve("up").resolve("anchor-selection").resolve("manifest.json");
    }

    /**
     * The whole tiny chain under {@code tmp}: text-crawl corpus → cvlp (one epoch, with {@code cvlpExtra}) → AnSS → lgr
     * (one epoch, with {@code lgrParams} as {@code --param} values). Checks that lgr exits 0 and that its headline
     * accuracies are in [0, 1].
     *
     * @return lgr's published {@code lgr} output (the head's JSON)
     */
    static JsonNode lgrAfterCvlp(Path tmp, String[] cvlpExtra, String... lgrParams) throws IOException {
        StageTestSupport.requireFashionMnist();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path cvlp = StageTestSupport.cvlpManifest(tmp.resolve("up-root"), corpus, cvlpExtra);
        Path anchors = anchorsManifest(tmp.resolve("up-root"), cvlp, corpus);
        List<String> args = new ArrayList<>(List.of("--run-id", "s", "--artifact-root", tmp.resolve("root").toString(),
                "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri", "none", "--input", "cvlp=" + cvlp,
                "--input", "anchors=" + anchors, "--param", "epochs=1"));
        for (String p : lgrParams) {
            args.add("--param");
            args.add(p);
        }
        CommandRun r = LgrCommandTest.run(args.toArray(String[]::new));
        assertEquals(0, r.code(), r.err());
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("root/s/lgr/manifest.json").toFile());
        for (String k : new String[] {"test_top1", "val_top1_text", "test_mix/many_acc"}) {
            double v = m.get("metrics").get(k).doubleValue();
            assertTrue(v >= 0 && v <= 1, k + " = " + v);
        }
        return new ObjectMapper().readTree(PublishedOutputs.file(tmp.resolve("root"), "s", "lgr", "lgr").toFile());
    }
}
