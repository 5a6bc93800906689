package dev.vlltr.stage.recalibration;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.cli.ParamSpec;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage from the command line on a hand-made lgr output: every method, the recorded τ, bad input. */
class RecalibrationCommandTest {

    @TempDir
    Path tmp;

    LgrFixture lgr;

    @BeforeEach
    void fixture() throws Exception {
        lgr = LgrFixture.publish(tmp.resolve("root"), "run", tmp.resolve("work"));
    }

    private CommandRun run(String... args) {
        return CommandRun.of(new RecalibrationCommand(), args);
    }

    /** Runs the stage on the fixture, its outputs under root-&lt;method&gt; like the pipeline's fan-out. */
    private CommandRun stage(String root, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", "run", "--artifact-root",
                tmp.resolve(root).toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none", "--input", "lgr=" + lgr.manifest));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private Path out(String root) {
        return tmp.resolve(root).resolve("run").resolve("recalibration");
    }

    private static FeatureTable table(Path file) throws IOException {
        try (InputStream in = Files.newInputStream(file)) {
            return FeatureTable.readFrom(in, file.toString());
        }
    }

    @Test
    void helpListsEveryParameter() {
        CommandRun r = run("--help");
        assertEquals(0, r.code(), r.err());
        for (ParamSpec p : RecalibrationSettings.PARAMS) {
            assertTrue(r.out().contains("  " + p.name() + " "), "help lacks " + p.name() + ":\n" + r.out());
        }
        assertTrue(r.out().contains("classifier.json"));
    }

    @Test
    void everyMethodWritesClassifierLogitsAndManifest() throws IOException {
        FeatureTable test = lgr.tables.get("test");
        for (String m : List.of("crt", "ncm", "tau", "lws", "joint")) {
            CommandRun r = stage("m-" + m, "--param", "method=" + m, "--param", "epochs=4", "--param", "batch-size=16");
            assertEquals(0, r.code(), m + ": " + r.err());
            Path dir = out("m-" + m);
            JsonNode c = new ObjectMapper().readTree(PublishedOutputs.in(dir, "classifier.json").toFile());
            assertEquals(m, c.get("method").asText());
            assertEquals("lgr", c.get("backbone").asText());
            assertEquals("hidden_image", c.get("features").asText(), "default features of backbone=lgr");
            assertEquals(List.of(60, 20, 6), List.of(c.get("trainClassCounts").get(0).asInt(),
                    c.get("trainClassCounts").get(1).asInt(), c.get("trainClassCounts").get(2).asInt()));
            FeatureTable logits = table(PublishedOutputs.in(dir, "logits-test.vlft"));
            assertEquals("test", logits.split());
            assertArrayEquals(test.labels(), logits.labels());
            assertEquals(3, logits.array("logits")[0].length);
            assertEquals(15, table(PublishedOutputs.in(dir, "logits-val.vlft")).rows());
            JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
            assertTrue(manifest.get("outputs").has("classifier"), manifest.toString());
            assertTrue(manifest.get("metrics").has("test_top1"), manifest.toString());
            // the recorded test top-1 is the accuracy of the written logits
            float[][] z = logits.array("logits");
            int correct = 0;
            for (int i = 0; i < z.length; i++) {
                int best = 0;
                for (int k = 1; k < 3; k++) {
                    if (z[i][k] > z[i][best]) {
                        best = k;
                    }
                }
                correct += best == logits.labels()[i] ? 1 : 0;
            }
            assertEquals(correct / 30.0, manifest.get("metrics").get("test_top1").asDouble(), 1e-12, m);
        }
    }

    @Test
    void jointOnLgrFeaturesUsesInstanceBatchesAndTheOfficialSchedule() throws IOException {
        CommandRun r = stage("joint", "--param", "method=joint", "--param", "epochs=3", "--param", "batch-size=16");
        assertEquals(0, r.code(), r.err());
        JsonNode t = new ObjectMapper().readTree(PublishedOutputs.in(out("joint"), "classifier.json").toFile())
                .get("training");
        assertEquals("instance-balanced", t.get("sampler").asText());
        // lr 0.2 at batch 512 scaled to 16; cosine stepped before each epoch: lr0 (1 + cos(pi (e+1)/3)) / 2
        assertEquals(0.2 * 16 / 512, t.get("lr").asDouble(), 1e-12);
        assertEquals(0.00625 * (1 + Math.cos(Math.PI / 3)) / 2, t.get("lrPerEpoch").get(0).asDouble(), 1e-12);
        assertEquals(0.0, t.get("lrPerEpoch").get(2).asDouble(), 1e-12);
    }

    /** τ-norm on the LGR visual classifier: the written logits are x·w_c/||w_c||^τ (no bias) for the chosen τ. */
    @Test
    void tauNormLogitsAreTheNormalisedVisualClassifierWithoutBias() throws IOException {
        CommandRun r = stage("tau", "--param", "method=tau");
        assertEquals(0, r.code(), r.err());
        JsonNode c = new ObjectMapper().readTree(PublishedOutputs.in(out("tau"), "classifier.json").toFile());
        double tau = c.get("tau").asDouble();
        assertEquals(21, c.get("tauSweep").get("scores").size(), "grid 0, 0.1, ..., 2.0");
        assertEquals("val", c.get("tauSweep").get("split").asText());
        float[][] h = lgr.tables.get("test").array("hidden_image");
        float[][] z = table(PublishedOutputs.in(out("tau"), "logits-test.vlft")).array("logits");
        for (int i = 0; i < h.length; i++) {
            for (int k = 0; k < 3; k++) {
                double norm = 0;
                double dot = 0;
                for (int j = 0; j < h[i].length; j++) {
                    norm += (double) lgr.weight[k][j] * lgr.weight[k][j];
                    dot += (double) lgr.weight[k][j] * h[i][j];
                }
                assertEquals(dot / Math.pow(Math.sqrt(norm), tau), z[i][k], 1e-4, "row " + i + " class " + k);
            }
        }
        // τ = 0 with a one-point grid: the raw visual classifier without its bias
        CommandRun zero = stage("tau0", "--param", "method=tau", "--param", "tau-max=0");
        assertEquals(0, zero.code(), zero.err());
        float[][] z0 = table(PublishedOutputs.in(out("tau0"), "logits-test.vlft")).array("logits");
        double dot = 0;
        for (int j = 0; j < h[0].length; j++) {
            dot += (double) lgr.weight[1][j] * h[0][j];
        }
        assertEquals(dot, z0[0][1], 1e-4);
    }

    @Test
    void ncmOnTheImageFeaturesSeparatesTheClasses() throws IOException {
        CommandRun r = stage("ncm", "--param", "method=ncm", "--param", "features=features");
        assertEquals(0, r.code(), r.err());
        JsonNode c = new ObjectMapper().readTree(PublishedOutputs.in(out("ncm"), "classifier.json").toFile());
        assertEquals("features", c.get("features").asText());
        assertEquals("cl2n", c.get("classifier").get("featureType").asText());
        assertEquals(3, c.get("classifier").get("centroids").size());
        JsonNode m = new ObjectMapper().readTree(out("ncm").resolve("manifest.json").toFile()).get("metrics");
        assertTrue(m.get("test_top1").asDouble() > 0.7, m.toString());
    }

    @Test
    void lwsStartsFromTheVisualClassifierAndRecordsTheBnPolicy() throws IOException {
        CommandRun r = stage("lws", "--param", "method=lws", "--param", "epochs=2", "--param", "batch-size=16");
        assertEquals(0, r.code(), r.err());
        JsonNode c = new ObjectMapper().readTree(PublishedOutputs.in(out("lws"), "classifier.json").toFile());
        assertEquals(3, c.get("classifier").get("scales").size());
        assertEquals(lgr.bias[0], c.get("classifier").get("bias").get(0).floatValue(), 0f, "base bias kept frozen");
        assertEquals("reestimate", c.get("bnPolicy").get("requested").asText());
        assertEquals("frozen", c.get("bnPolicy").get("effective").asText(), "lgr features are precomputed");
        assertEquals("class-aware (4 per class)", c.get("training").get("sampler").asText());
    }

    @Test
    void badInputExitsWithTwoAndNamesTheFieldOrFile() throws Exception {
        CommandRun unknown = stage("b1", "--param", "method=mixup");
        assertEquals(2, unknown.code());
        assertTrue(unknown.err().contains("parameter 'method'"), unknown.err());

        CommandRun baseless = stage("b2", "--param", "method=tau", "--param", "features=features");
        assertEquals(2, baseless.code());
        assertTrue(baseless.err().contains("parameter 'base'"), baseless.err());

        // the fixture's 86 training rows hold no full batch of 512: no SGD step would run, so it is refused
        for (String m : List.of("crt", "lws", "joint")) {
            CommandRun big = stage("b8-" + m, "--param", "method=" + m, "--param", "batch-size=512");
            assertEquals(2, big.code(), m);
            assertTrue(big.err().contains("parameter 'batch-size': 512 is larger than an epoch of"), big.err());
            assertTrue(Files.notExists(out("b8-" + m).resolve("manifest.json")), "nothing published");
        }

        CommandRun gpu = stage("b2", "--param", "device=gpu"); // this machine has no GPU PyTorch can use
        assertEquals(2, gpu.code());
        assertTrue(gpu.err().contains("parameter 'device'") && gpu.err().contains("'gpu'"), gpu.err());

        CommandRun noLgr = run("--run-id", "run", "--artifact-root", tmp.resolve("b3").toString(), "--tracking-uri",
                "none", "--xcom-dir", tmp.resolve("no-xcom").toString());
        assertEquals(2, noLgr.code());
        assertTrue(noLgr.err().contains("input 'lgr' is required"), noLgr.err());

        lgr = LgrFixture.publish(tmp.resolve("bad-width"), "run", tmp.resolve("work"), s -> s.classifierWidth = 7);
        CommandRun width = stage("b4", "--param", "method=lws");
        assertEquals(2, width.code());
        assertTrue(width.err().contains("visual-classifier.json: field 'weight[0]' must hold 16 numbers"), width.err());

        lgr = LgrFixture.publish(tmp.resolve("bad-counts"), "run", tmp.resolve("work"),
                s -> s.declaredCounts = new int[] {60, 20, 7});
        CommandRun counts = stage("b5", "--param", "method=ncm");
        assertEquals(2, counts.code());
        assertTrue(counts.err().contains("lgr.json: field 'trainClassCounts' [60, 20, 7] disagrees"), counts.err());

        lgr = LgrFixture.publish(tmp.resolve("bad-names"), "run", tmp.resolve("work"),
                s -> s.testClassNames = List.of("head", "middle", "other"));
        CommandRun names = stage("b6", "--param", "method=ncm");
        assertEquals(2, names.code());
        assertTrue(names.err().contains("features-test.vlft: classNames"), names.err());

        lgr = LgrFixture.publish(tmp.resolve("bad-input"), "run", tmp.resolve("work"),
                s -> s.classifierInput = "features");
        CommandRun input = stage("b7", "--param", "method=tau");
        assertEquals(2, input.code());
        assertTrue(input.err().contains("visual-classifier.json: field 'input' is 'features'"), input.err());
    }
}
