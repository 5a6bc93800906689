package dev.vlltr.stage.lgr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stage.anchors.AnchorSelectionCommand;
import dev.vlltr.stage.cvlp.CvlpCommand;
import dev.vlltr.stage.cvlp.StageTestSupport;
import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An RGB JPEG list dataset (real Fashion-MNIST rendered as 32×32 RGB JPEGs, reversed class order) flows through
 * cvlp → anchor-selection → lgr with the same {@code --input dataset=}: 3-channel images through the frozen ResNet and
 * the trained head, the test split's features published; a downstream stage given another dataset than cvlp was
 * trained on is exit 2.
 */
class RgbDatasetChainTest {

    @TempDir
    Path tmp;

    private CommandRun run(Object command, String runId, String... args) {
        List<String> all = new ArrayList<>(List.of("--run-id", runId, "--artifact-root", tmp.resolve("root").toString(),
                "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri", "none"));
        all.addAll(List.of(args));
        return CommandRun.of(command, all.toArray(String[]::new));
    }

    @Test
    void rgbListFlowsThroughCvlpAnchorsAndLgr() throws IOException {
        Path data = tmp.resolve("jpeg-lt");
        GeneratedDatasets.write(data, GeneratedDatasets.SPEC_IN_MEMORY);
        String dataset = "dataset=" + data.resolve("dataset.yaml").toUri();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path stages = tmp.resolve("root").resolve("rgb");

        CommandRun cvlp = run(new CvlpCommand(), "rgb", "--input", "corpus=" + corpus, "--input", dataset,
                "--param", "depth=8", "--param", "embed-dim=16", "--param", "text-hidden-dim=32", "--param",
                "batch-size=16", "--param", "warmup-epochs=0", "--param", "epochs=1", "--param", "eval-batch-size=64");
        assertEquals(0, cvlp.code(), cvlp.err());
        Path cvlpManifest = stages.resolve("cvlp").resolve("manifest.json");

        CommandRun anchors = run(new AnchorSelectionCommand(), "rgb", "--input", "cvlp=" + cvlpManifest,
                "--input", "corpus=" + corpus, "--input", dataset, "--param", "m=4", "--param", "images-per-class=3");
        assertEquals(0, anchors.code(), anchors.err());
        Path anchorsManifest = stages.resolve("anchor-selection").resolve("manifest.json");

        CommandRun lgr = run(new LgrCommand(), "rgb", "--input", "cvlp=" + cvlpManifest, "--input",
                "anchors=" + anchorsManifest, "--input", dataset, "--param", "epochs=1", "--param", "batch-size=16",
                "--param", "eval-batch-size=64");
        assertEquals(0, lgr.code(), lgr.err());
        FeatureTable test = LgrCommandTest.table(PublishedOutputs.in(stages.resolve("lgr"), "features-test.vlft"));
        assertEquals(40, test.rows(), "4 test images per class");
        assertEquals(10, test.classNames().size());

        // the Fashion-MNIST spec is not the dataset this cvlp run split and trained on: exit 2, nothing published
        CommandRun other = run(new AnchorSelectionCommand(), "other", "--input", "cvlp=" + cvlpManifest,
                "--input", "corpus=" + corpus, "--input", StageTestSupport.datasetInput("fmnist-lt-quick"));
        assertEquals(2, other.code(), other.err());
        assertTrue(other.err().contains("long-tail-split.json") && other.err().contains("different dataset"),
                other.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("root/other/anchor-selection/manifest.json")));
    }

    /**
     * The same chain on the spec whose training geometry is a random-resized crop with colour jitter: cvlp and lgr
     * (input=images) train with the streaming loader ({@code loader=auto}), anchor-selection extracts features at
     * the evaluation geometry, and lgr records {@code data_wait_share} for its streamed epochs.
     */
    @Test
    void randomResizedCropSpecStreamsThroughCvlpAndLgr() throws IOException {
        Path data = tmp.resolve("jpeg-rrc");
        GeneratedDatasets.write(data, GeneratedDatasets.SPEC);
        String dataset = "dataset=" + data.resolve("dataset.yaml").toUri();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        Path stages = tmp.resolve("root").resolve("rrc");

        CommandRun cvlp = run(new CvlpCommand(), "rrc", "--input", "corpus=" + corpus, "--input", dataset,
                "--param", "depth=8", "--param", "embed-dim=16", "--param", "text-hidden-dim=32", "--param",
                "batch-size=16", "--param", "warmup-epochs=0", "--param", "epochs=1", "--param", "eval-batch-size=64",
                "--param", "epoch-length=64");
        assertEquals(0, cvlp.code(), cvlp.err());
        Path cvlpManifest = stages.resolve("cvlp").resolve("manifest.json");
        CommandRun anchors = run(new AnchorSelectionCommand(), "rrc", "--input", "cvlp=" + cvlpManifest,
                "--input", "corpus=" + corpus, "--input", dataset, "--param", "m=4", "--param", "images-per-class=3");
        assertEquals(0, anchors.code(), anchors.err());
        CommandRun lgr = run(new LgrCommand(), "rrc", "--input", "cvlp=" + cvlpManifest, "--input",
                "anchors=" + stages.resolve("anchor-selection").resolve("manifest.json"), "--input", dataset,
                "--param", "epochs=2", "--param", "batch-size=16", "--param", "eval-batch-size=64",
                "--param", "loader-threads=2");
        assertEquals(0, lgr.code(), lgr.err());
        com.fasterxml.jackson.databind.ObjectMapper json = new com.fasterxml.jackson.databind.ObjectMapper();
        assertEquals(2, json.readTree(stages.resolve("lgr").resolve("manifest.json").toFile()).get("metrics")
                .get("streaming_workers").intValue(), "auto chose the streaming loader");
        com.fasterxml.jackson.databind.JsonNode history = json.readTree(PublishedOutputs.in(stages.resolve("lgr"),
                "history.json").toFile());
        assertEquals(2, history.size());
        for (com.fasterxml.jackson.databind.JsonNode epoch : history) {
            double wait = epoch.get("data_wait_share").doubleValue();
            assertTrue(wait >= 0 && wait <= 1, "data_wait_share in [0, 1]: " + wait);
        }
    }

    /**
     * splits=lazy (images decoded when read) against splits=memory through cvlp, anchor-selection and lgr on the same
     * JPEG list: the published features, anchors and predictions are byte-identical. Then an image of the test list
     * that is missing fails lgr's lazy feature extraction with exit 2 naming the list file, line and field.
     */
    @Test
    void lazySplitsGiveTheSameResultsAsInMemoryAndABadImageIsExitTwo() throws IOException {
        Path data = tmp.resolve("jpeg-lazy");
        GeneratedDatasets.write(data, GeneratedDatasets.SPEC_IN_MEMORY);
        String dataset = "dataset=" + data.resolve("dataset.yaml").toUri();
        Path corpus = StageTestSupport.corpusManifest(tmp.resolve("text-crawl"));
        for (String splits : List.of("memory", "lazy")) {
            Path stages = tmp.resolve("root").resolve(splits);
            CommandRun cvlp = run(new CvlpCommand(), splits, "--input", "corpus=" + corpus, "--input", dataset,
                    "--param", "depth=8", "--param", "embed-dim=16", "--param", "text-hidden-dim=32", "--param",
                    "batch-size=16", "--param", "warmup-epochs=0", "--param", "epochs=1", "--param",
                    "eval-batch-size=64", "--param", "splits=" + splits);
            assertEquals(0, cvlp.code(), cvlp.err());
            Path cvlpManifest = stages.resolve("cvlp").resolve("manifest.json");
            CommandRun anchors = run(new AnchorSelectionCommand(), splits, "--input", "cvlp=" + cvlpManifest,
                    "--input", "corpus=" + corpus, "--input", dataset, "--param", "m=4", "--param",
                    "images-per-class=3", "--param", "splits=" + splits);
            assertEquals(0, anchors.code(), anchors.err());
            CommandRun lgr = run(new LgrCommand(), splits, "--input", "cvlp=" + cvlpManifest, "--input",
                    "anchors=" + stages.resolve("anchor-selection").resolve("manifest.json"), "--input", dataset,
                    "--param", "epochs=1", "--param", "batch-size=16", "--param", "eval-batch-size=32",
                    "--param", "input=images", "--param", "splits=" + splits);
            assertEquals(0, lgr.code(), lgr.err());
        }
        Path memory = tmp.resolve("root").resolve("memory");
        Path lazy = tmp.resolve("root").resolve("lazy");
        for (String[] out : List.of(new String[] {"anchor-selection", "anchor-embeddings.vlft"},
                new String[] {"lgr", "features-train.vlft"}, new String[] {"lgr", "features-val.vlft"},
                new String[] {"lgr", "features-test.vlft"})) {
            byte[] a = java.nio.file.Files.readAllBytes(PublishedOutputs.in(memory.resolve(out[0]), out[1]));
            byte[] b = java.nio.file.Files.readAllBytes(PublishedOutputs.in(lazy.resolve(out[0]), out[1]));
            org.junit.jupiter.api.Assertions.assertArrayEquals(a, b, out[0] + "/" + out[1]
                    + ": splits=lazy must give the bytes splits=memory gives");
        }

        // a missing image is found when lazy extraction reads it: exit 2 naming test.txt, its line and the field
        List<String> test = java.nio.file.Files.readAllLines(data.resolve("test.txt"));
        java.nio.file.Files.delete(data.resolve(test.get(4).split(" ")[0]));
        CommandRun bad = run(new LgrCommand(), "bad", "--input", "cvlp=" + lazy.resolve("cvlp/manifest.json"),
                "--input", "anchors=" + lazy.resolve("anchor-selection/manifest.json"), "--input", dataset,
                "--param", "epochs=1", "--param", "batch-size=16", "--param", "splits=lazy");
        assertEquals(2, bad.code(), bad.err());
        assertTrue(bad.err().contains("test.txt line 5: field 'path' is '" + test.get(4).split(" ")[0] + "'"),
                bad.err());
        assertTrue(!java.nio.file.Files.exists(tmp.resolve("root/bad/lgr/manifest.json")));
    }
}
