package dev.vlltr.stage.recalibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.data.FashionMnistFiles;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * backbone=ce on the real Fashion-MNIST (a tiny long-tailed split, ResNet-8, one epoch): the backbone is trained
 * once and cached, the second method reuses it, and cRT re-estimates BatchNorm before re-extracting features.
 */
class CeBackboneCommandTest {

    @TempDir
    Path tmp;

    private static void requireFashionMnist() {
        if (!Files.isDirectory(FashionMnistFiles.DEBIAN_DIR)) {
            String msg = "Fashion-MNIST not installed: apt-get install -y dataset-fashion-mnist";
            if (Boolean.getBoolean("vlltr.requireServers")) {
                fail(msg);
            }
            Assumptions.abort(msg);
        }
    }

    private int stage(String root, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", "ce", "--artifact-root", tmp.resolve(root).toString(),
                "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri", "none",
                "--param", "backbone=ce", "--param", "max-per-class=30", "--param", "imbalance-factor=3",
                "--param", "val-per-class=5", "--param", "test-per-class=20", "--param", "ce-epochs=1", "--param", "ce-batch-size=16",
                "--param", "ce-depth=8", "--param", "epochs=2", "--param", "batch-size=32",
                "--param", "ce-cache=" + tmp.resolve("cache").toUri()));
        args.addAll(Arrays.asList(extra));
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RecalibrationCommand());
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute(args.toArray(String[]::new));
        assertEquals(0, code, err.toString());
        return code;
    }

    @Test
    void aTrainSetSmallerThanOneBatchExitsTwoNamingCeBatchSize() {
        requireFashionMnist();
        StringWriter err = new StringWriter();
        CommandLine cl = new CommandLine(new RecalibrationCommand());
        cl.setErr(new PrintWriter(err, true));
        int code = cl.execute("--run-id", "small", "--artifact-root", tmp.resolve("small").toString(), "--xcom-dir",
                tmp.resolve("no-xcom").toString(), "--tracking-uri", "none", "--param", "backbone=ce",
                "--param", "max-per-class=30", "--param", "imbalance-factor=3", "--param", "val-per-class=5",
                "--param", "ce-epochs=1", "--param", "ce-batch-size=100000", "--param", "ce-depth=8",
                "--param", "ce-cache=" + tmp.resolve("small-cache").toUri());
        assertEquals(2, code, err.toString());
        assertTrue(err.toString().contains("parameter 'ce-batch-size': 100000 is larger than an epoch of "),
                err.toString());
    }

    @Test
    void trainsOnceCachesAndReestimatesBatchNormForCrt() throws Exception {
        requireFashionMnist();
        stage("joint", "--param", "method=joint");
        Path joint = tmp.resolve("joint").resolve("ce").resolve("recalibration");
        JsonNode c = new ObjectMapper().readTree(PublishedOutputs.in(joint, "classifier.json").toFile());
        assertEquals("ce", c.get("backbone").asText());
        assertFalse(c.get("ceBackbone").get("cacheHit").asBoolean());
        // int(30 * 3^(-c/9)) for c = 0..9
        int[] expected = new int[10];
        for (int k = 0; k < 10; k++) {
            expected[k] = (int) (30 * Math.pow(1 / 3.0, k / 9.0));
        }
        int[] counts = new ObjectMapper().convertValue(c.get("trainClassCounts"), int[].class);
        assertEquals(Arrays.toString(expected), Arrays.toString(counts));
        assertTrue(Files.size(PublishedOutputs.in(joint, "ce-backbone.params")) > 10_000);
        FeatureTable test;
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(joint, "logits-test.vlft"))) {
            test = FeatureTable.readFrom(in, "logits-test.vlft");
        }
        assertEquals(200, test.rows(), "the first 20 test images of each class");
        for (int k = 0; k < 10; k++) {
            int kk = k;
            assertEquals(20, Arrays.stream(test.labels()).filter(y -> y == kk).count());
        }

        stage("crt", "--param", "method=crt");
        JsonNode crt = new ObjectMapper().readTree(PublishedOutputs.in(
                tmp.resolve("crt").resolve("ce").resolve("recalibration"), "classifier.json").toFile());
        assertTrue(crt.get("ceBackbone").get("cacheHit").asBoolean(), "the second method reuses the backbone");
        assertEquals(c.get("ceBackbone").get("cacheKey"), crt.get("ceBackbone").get("cacheKey"));
        assertEquals("reestimate", crt.get("bnPolicy").get("effective").asText());
        assertTrue(crt.get("ceBackbone").get("bnReestimateBatches").asInt() > 0);
        JsonNode m = new ObjectMapper().readTree(tmp.resolve("crt").resolve("ce").resolve("recalibration")
                .resolve("manifest.json").toFile()).get("metrics");
        assertEquals(1.0, m.get("ce_cache_hit").asDouble());
    }

    /** An RGB JPEG list as input 'dataset': a 3-channel CE ResNet on the spec's splits as listed (no longTail). */
    @Test
    void trainsOnAnRgbDatasetInput() throws Exception {
        requireFashionMnist();
        Path data = tmp.resolve("jpeg-lt");
        dev.vlltr.core.data.LongTailSplit listed = dev.vlltr.stagedata.GeneratedDatasets.write(data,
                dev.vlltr.stagedata.GeneratedDatasets.SPEC_IN_MEMORY);
        stage("rgb", "--input", "dataset=" + data.resolve("dataset.yaml").toUri(), "--param", "method=joint");
        Path dir = tmp.resolve("rgb").resolve("ce").resolve("recalibration");
        JsonNode c = new ObjectMapper().readTree(PublishedOutputs.in(dir, "classifier.json").toFile());
        int[] counts = new ObjectMapper().convertValue(c.get("trainClassCounts"), int[].class);
        assertArrayEquals(listed.trainCounts(), counts, "the spec's train list as it is (max-per-class etc. unused)");
        assertEquals(24, counts[9], "reversed order: class 9 is the head");
        FeatureTable test;
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(dir, "logits-test.vlft"))) {
            test = FeatureTable.readFrom(in, "logits-test.vlft");
        }
        assertEquals(40, test.rows(), "the listed test split, 4 per class");
    }

    /**
     * A random-resized-crop spec with loader=streaming and splits=lazy: the CE network trains on batches streamed
     * from the JPEGs (the cache key records it), cRT re-estimates BatchNorm on streamed class-aware batches, and the
     * features of the three lazy splits are extracted at the eval geometry.
     */
    @Test
    void trainsWithTheStreamingLoaderOnLazySplits() throws Exception {
        requireFashionMnist();
        Path data = tmp.resolve("jpeg-rrc");
        dev.vlltr.stagedata.GeneratedDatasets.write(data, dev.vlltr.stagedata.GeneratedDatasets.SPEC);
        stage("stream", "--input", "dataset=" + data.resolve("dataset.yaml").toUri(), "--param", "method=crt",
                "--param", "loader=streaming", "--param", "loader-threads=2", "--param", "splits=lazy");
        Path dir = tmp.resolve("stream").resolve("ce").resolve("recalibration");
        JsonNode c = new ObjectMapper().readTree(PublishedOutputs.in(dir, "classifier.json").toFile());
        JsonNode settings = c.get("ceBackbone").get("settings");
        assertEquals("streaming", settings.get("loader").asText(), settings.toString());
        assertTrue(settings.get("augmentation").asText().contains("randomResizedCrop"), settings.toString());
        assertTrue(c.get("ceBackbone").get("bnReestimateBatches").asInt() > 0);
        FeatureTable test;
        try (InputStream in = Files.newInputStream(PublishedOutputs.in(dir, "logits-test.vlft"))) {
            test = FeatureTable.readFrom(in, "logits-test.vlft");
        }
        assertEquals(40, test.rows(), "the listed test split, 4 per class");
        for (float[] row : test.arrays().values().iterator().next()) {
            for (float v : row) {
                assertTrue(Float.isFinite(v));
            }
        }
    }
}
