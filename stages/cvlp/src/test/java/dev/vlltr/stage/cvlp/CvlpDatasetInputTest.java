package dev.vlltr.stage.cvlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.LongTailSplit;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stagedata.GeneratedDatasets;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The cvlp stage on input {@code dataset} with an image list: real Fashion-MNIST rendered as 32×32 RGB JPEGs in
 * ImageNet-LT list layout, classes in reversed order (class 9 is the head). It trains a 3-channel model at the spec's
 * size, its dataset digest follows the list files, and bad data in the dataset is exit 2 naming file, line and field,
 * with no manifest published.
 */
class CvlpDatasetInputTest {

    private static final String[] TINY = {"--param", "depth=8", "--param", "embed-dim=16", "--param",
        "text-hidden-dim=32", "--param", "batch-size=16", "--param", "warmup-epochs=0", "--param", "epochs=1",
        "--param", "eval-batch-size=64"};

    @TempDir
    Path tmp;

    private CommandRun stage(String runId, Path dataset, String... extra) throws IOException {
        return StageTestSupport.cvlpOnDataset(tmp, runId, dataset, TINY, extra);
    }

    private Path dir(String runId) {
        return tmp.resolve("root").resolve(runId).resolve("cvlp");
    }

    private JsonNode manifest(String runId) throws IOException {
        return new ObjectMapper().readTree(dir(runId).resolve("manifest.json").toFile());
    }

    @Test
    void rgbJpegListTrainsAThreeChannelModelAndItsDigestFollowsTheListFiles() throws IOException {
        Path data = tmp.resolve("jpeg-lt");
        LongTailSplit drawn = GeneratedDatasets.write(data, GeneratedDatasets.SPEC_IN_MEMORY);
        // a pipeline may pass the spec's own name as parameter 'dataset' next to the input
        CommandRun r = stage("rgb", data, "--param", "dataset=fmnist-jpeg-lt");
        assertEquals(0, r.code(), r.err());
        JsonNode m = manifest("rgb");
        assertEquals(drawn.trainIndices().length, m.get("metrics").get("train_images").intValue());
        String digest = m.get("inputs").get("dataset").get("sha256").asText();
        assertEquals(64, digest.length());
        CvlpModelConfig cfg;
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(dir("rgb"), "model-config.json"))) {
            cfg = CvlpModelConfig.read(in, "model-config.json");
        }
        assertEquals(3, cfg.imageChannels(), "RGB images, 3-channel ResNet input");
        assertEquals(32, cfg.imageHeight());
        assertEquals(32, cfg.imageWidth());
        assertEquals(0.2860f, cfg.normalizationMean()[2], "mean/std from the spec");
        JsonNode split = new ObjectMapper().readTree(PublishedOutputs.in(dir("rgb"), "long-tail-split.json")
                .toFile());
        assertEquals(24, split.get("trainCounts").get(9).intValue(), "reversed order: class 9 is the head");
        assertEquals(3, split.get("trainCounts").get(0).intValue());

        // a relabelled list line changes the dataset digest: the stage runs again instead of being skipped
        Path train = data.resolve("train.txt");
        List<String> lines = new ArrayList<>(Files.readAllLines(train));
        String first = lines.get(0);
        lines.set(0, first.substring(0, first.lastIndexOf(' ')) + " 9");
        Files.write(train, lines);
        CommandRun again = stage("rgb", data, "--param", "dataset=fmnist-jpeg-lt");
        assertEquals(0, again.code(), again.err());
        assertNotEquals(digest, manifest("rgb").get("inputs").get("dataset").get("sha256").asText());
        assertNotEquals(m.get("finishedAt").asText(), manifest("rgb").get("finishedAt").asText(),
                "a changed list file must not be memoised away");
    }

    @Test
    void badDataExitsTwoNamingFileLineAndFieldAndPublishesNothing() throws IOException {
        Path base = tmp.resolve("base");
        GeneratedDatasets.write(base, GeneratedDatasets.SPEC_IN_MEMORY);
        List<String> train = Files.readAllLines(base.resolve("train.txt"));

        bad("corrupt", base, d -> write(d.resolve(path(train.get(4))), "not a JPEG"), "train.txt line 5",
                "field 'image'");
        bad("range", base, d -> replaceLine(d.resolve("train.txt"), 2, path(train.get(2)) + " 10"),
                "train.txt line 3", "field 'label'");
        bad("missing", base, d -> delete(d.resolve(path(train.get(1)))), "train.txt line 2", "field 'path'");
        bad("duplicate", base, d -> append(d.resolve("train.txt"), train.get(0)), "listed twice", "field 'path'");
        bad("unknown", base, d -> append(d.resolve("dataset.yaml"), "labels: 3"), "dataset.yaml",
                "field 'labels'");
        bad("empty", base, d -> write(d.resolve("train.txt"), String.join("\n", train.stream()
                .filter(l -> !l.endsWith(" 0")).toList()) + "\n"), "train.txt", "class 'T-shirt/top' is empty");
        CommandRun otherName = stage("other-name", base, "--param", "dataset=fmnist-lt-quick");
        assertEquals(2, otherName.code(), otherName.err());
        assertTrue(otherName.err().contains("not the input's spec 'fmnist-jpeg-lt'"), otherName.err());
        bad("classes", base, d -> write(d.resolve("classes.txt"), String.join("\n",
                Files.readAllLines(d.resolve("classes.txt")).subList(0, 9)) + "\n"), "train.txt line",
                "expected 0..8");
    }

    @Test
    void aTrainSetSmallerThanOneBatchExitsTwoNamingBatchSizeInsteadOfANanLoss() throws IOException {
        Path data = tmp.resolve("small");
        LongTailSplit drawn = GeneratedDatasets.write(data, GeneratedDatasets.SPEC_IN_MEMORY);
        int train = drawn.trainIndices().length;
        CommandRun r = stage("small", data, "--param", "batch-size=" + (train + 1));
        assertEquals(2, r.code(), r.err());
        assertTrue(r.err().contains("parameter 'batch-size': " + (train + 1) + " is larger than an epoch of " + train
                + " samples (train set: " + train + " images)"), r.err());
        assertFalse(Files.exists(dir("small").resolve("manifest.json")), "no manifest may be published");
        CommandRun exact = stage("exact", data, "--param", "batch-size=" + train, "--param", "epochs=1");
        assertEquals(0, exact.code(), "one full batch is one step: " + exact.err());
        double loss = manifest("exact").get("metrics").path("loss").asDouble(Double.NaN);
        assertTrue(Double.isFinite(loss), "a finite loss with one step: " + manifest("exact").get("metrics"));
    }

    private void bad(String runId, Path base, IoAction change, String... expected) throws IOException {
        Path copy = tmp.resolve("case-" + runId);
        copyTree(base, copy);
        change.accept(copy);
        CommandRun r = stage(runId, copy);
        assertEquals(2, r.code(), runId + ": " + r.err());
        for (String e : expected) {
            assertTrue(r.err().contains(e), runId + ": expected '" + e + "' in:\n" + r.err());
        }
        assertFalse(Files.exists(dir(runId).resolve("manifest.json")), runId + ": no manifest may be published");
    }

    @FunctionalInterface
    private interface IoAction {
        void accept(Path dataset) throws IOException;
    }

    private static String path(String line) {
        return line.substring(0, line.lastIndexOf(' '));
    }

    private static void write(Path p, String text) throws IOException {
        Files.writeString(p, text);
    }

    private static void delete(Path p) throws IOException {
        Files.delete(p);
    }

    private static void append(Path p, String line) throws IOException {
        Files.writeString(p, Files.readString(p) + line + "\n");
    }

    private static void replaceLine(Path p, int index, String line) throws IOException {
        List<String> lines = new ArrayList<>(Files.readAllLines(p));
        lines.set(index, line);
        Files.write(p, lines);
    }

    private static void copyTree(Path from, Path to) throws IOException {
        try (Stream<Path> s = Files.walk(from)) {
            for (Path p : s.toList()) {
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }
}
