package dev.vlltr.stage.evaluation;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.testing.CommandRun;
import dev.vlltr.runtime.testing.PublishedOutputs;
import dev.vlltr.stage.recalibration.LgrFixture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The stage from the command line on hand-made lgr and recalibration outputs. */
class EvaluationCommandTest {

    @TempDir
    Path tmp;

    LgrFixture lgr;
    int[] valLabels;
    int[] testLabels;

    @BeforeEach
    void fixture() throws Exception {
        lgr = LgrFixture.publish(tmp.resolve("root"), "run", tmp.resolve("work"));
        valLabels = lgr.tables.get("val").labels();
        testLabels = lgr.tables.get("test").labels();
    }

    private CommandRun run(String... args) {
        return CommandRun.of(new EvaluationCommand(), args);
    }

    private CommandRun stage(String root, String... extra) {
        List<String> args = new ArrayList<>(List.of("--run-id", "run", "--artifact-root",
                tmp.resolve(root).toString(), "--xcom-dir", tmp.resolve("no-xcom").toString(), "--tracking-uri",
                "none"));
        args.addAll(Arrays.asList(extra));
        return run(args.toArray(String[]::new));
    }

    private Path out(String root) {
        return tmp.resolve(root).resolve("run").resolve("evaluation");
    }

    private Path recal(String method, float[][] val, float[][] test) throws Exception {
        return RecalibrationFixture.publish(tmp.resolve("method-" + method), "run", tmp.resolve("work"), method,
                LgrFixture.TRAIN_COUNTS, valLabels, val, testLabels, test, method.equals("tau") ? 0.7 : null);
    }

    @Test
    void comparisonOfLgrAndTwoMethodsWithPlotsReportAndRegistration() throws Exception {
        Path ncm = recal("ncm", RecalibrationFixture.oneHot(valLabels), RecalibrationFixture.oneHot(testLabels, 3, 25));
        Path tau = recal("tau", RecalibrationFixture.oneHot(valLabels, 0, 1, 2),
                RecalibrationFixture.oneHot(testLabels, 0, 1, 2, 3, 4, 5));
        CommandRun r = stage("e", "--input", "lgr=" + lgr.manifest, "--input", "recalibration-ncm=" + ncm, "--input",
                "recalibration-tau=" + tau);
        assertEquals(0, r.code(), r.err());
        Path dir = out("e");

        List<String> csv = Files.readAllLines(PublishedOutputs.in(dir, "comparison.csv"));
        assertEquals(1 + 6, csv.size(), String.join("\n", csv));
        assertTrue(csv.get(0).startsWith("model,method,backbone,val top-1,test top-1,test top-5"), csv.get(0));
        List<String> names = csv.stream().skip(1).map(l -> l.split(",")[0]).toList();
        assertEquals(List.of("LGR α-mix (α=0.20)", "LGR argmax(P^I+P^T)", "LGR P^I (visual branch)",
                "LGR P^T (language branch)", "NCM [lgr hidden_image]", "τ-norm (τ=0.7) [lgr hidden_image]"), names);
        String[] ncmRow = csv.get(5).split(",");
        assertEquals("1.000000", ncmRow[3], "val top-1 of NCM");
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", 28 / 30.0), ncmRow[4], "test top-1: 2 of 30 wrong");
        // decoupling groups of counts 60/20/6: many = {} (none > 100), medium = {60, 20}, few = {6};
        // NCM errs on test rows 3 (class 0) and 25 (class 2): medium = mean(0.9, 1.0), few = 0.9
        assertEquals("", ncmRow[7], "no class with more than 100 training images");
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", 0.95), ncmRow[8]);
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", 0.9), ncmRow[9]);
        // VL-LTR: few = 0 < n <= 20 = {20, 6}, pooled: 19/20
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", 0.95), ncmRow[12]);

        // the α-mix row, recomputed independently in double precision
        FeatureTable t = lgr.tables.get("test");
        float[][] pi = t.array("logits_image");
        float[][] pt = t.array("logits_text");
        int correct = 0;
        for (int i = 0; i < pi.length; i++) {
            double[] p = new double[3];
            double si = 0;
            double st = 0;
            for (int k = 0; k < 3; k++) {
                si += Math.exp(pi[i][k]);
                st += Math.exp(pt[i][k]);
            }
            int best = 0;
            for (int k = 0; k < 3; k++) {
                p[k] = 0.2 * Math.exp(pi[i][k]) / si + 0.8 * Math.exp(pt[i][k]) / st;
                if (p[k] > p[best]) {
                    best = k;
                }
            }
            correct += best == testLabels[i] ? 1 : 0;
        }
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", correct / 30.0), csv.get(1).split(",")[4]);

        String md = Files.readString(PublishedOutputs.in(dir, "comparison.md"));
        assertTrue(md.contains("| NCM [lgr hidden_image] | ncm | lgr | 100.00 | 93.33 |"), md);
        for (String png : List.of("per-class-accuracy.png", "reliability.png", "confusion-matrix.png",
                "shot-splits.png")) {
            byte[] b = Files.readAllBytes(PublishedOutputs.in(dir, png));
            assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G'}, Arrays.copyOf(b, 4), png);
        }
        String html = Files.readString(PublishedOutputs.in(dir, "report.html"));
        assertTrue(html.contains("data:image/png;base64,") && html.contains("τ-norm (τ=0.7)"), "report");
        assertTrue(!html.contains("src=\"http") && !html.contains("<script"), "self-contained");

        // selection: the first row with the highest val top-1
        double best = -1;
        String expected = null;
        for (String line : csv.subList(1, csv.size())) {
            double v = Double.parseDouble(line.split(",")[3]);
            if (v > best) {
                best = v;
                expected = line.split(",")[0];
            }
        }
        JsonNode reg = new ObjectMapper().readTree(PublishedOutputs.in(dir, "registration.json").toFile());
        assertEquals(expected, reg.get("version").get("name").asText());
        assertEquals("vl-ltr", reg.get("modelName").asText());
        assertEquals("val/top1", reg.get("selection").get("metric").asText());
        assertEquals(best, reg.get("selection").get("value").asDouble(), 1e-6);
        assertEquals("run", reg.get("lineage").get("pipelineRunId").asText());
        assertEquals(3, reg.get("lineage").get("inputs").size());
        assertTrue(reg.get("lineage").get("inputs").get("recalibration-ncm").get("sha256").asText().matches("[0-9a-f]{64}"));
        assertEquals(3, reg.get("metrics").get("testPerClass").size());
        assertTrue(reg.get("metrics").get("testShotSplits").has("vl_ltr"));
        if (System.getenv("VLLTR_REGISTRY_URL") == null) {
            assertEquals("skipped: " + Registration.NOT_CONFIGURED, reg.get("registry").get("status").asText());
        }
        JsonNode manifest = new ObjectMapper().readTree(dir.resolve("manifest.json").toFile());
        assertEquals(6.0, manifest.get("metrics").get("rows").asDouble());
        for (String o : List.of("comparison", "comparison-md", "metrics", "report", "registration", "reliability")) {
            assertTrue(manifest.get("outputs").has(o), o);
        }

        // another selection metric picks the other way: NCM has the best test top-1 of the two methods only
        CommandRun byTest = stage("e2", "--input", "recalibration-ncm=" + ncm, "--input", "recalibration-tau=" + tau,
                "--param", "select-metric=test/top1", "--param", "register=false");
        assertEquals(0, byTest.code(), byTest.err());
        JsonNode reg2 = new ObjectMapper().readTree(PublishedOutputs.in(out("e2"), "registration.json").toFile());
        assertEquals("ncm", reg2.get("version").get("key").asText());
        assertEquals("not-requested", reg2.get("registry").get("status").asText());
    }

    @Test
    void ceBaselinesJoinTheSameReportUnderTheirOwnInputs() throws Exception {
        Path ncm = recal("ncm", RecalibrationFixture.oneHot(valLabels), RecalibrationFixture.oneHot(testLabels, 3));
        Path ceNcm = RecalibrationFixture.publish(tmp.resolve("ce-ncm"), "run", tmp.resolve("work"), "ncm", "ce",
                LgrFixture.TRAIN_COUNTS, valLabels, RecalibrationFixture.oneHot(valLabels, 0),
                testLabels, RecalibrationFixture.oneHot(testLabels, 0, 1, 2, 3), null);
        CommandRun r = stage("ce", "--input", "recalibration-ncm=" + ncm, "--input", "recalibration-ce-ncm=" + ceNcm,
                "--param", "register=false");
        assertEquals(0, r.code(), r.err());
        List<String> csv = Files.readAllLines(PublishedOutputs.in(out("ce"), "comparison.csv"));
        assertEquals(List.of("NCM [lgr hidden_image]", "NCM [CE ResNet]"),
                csv.stream().skip(1).map(l -> l.split(",")[0]).toList());
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", 29 / 30.0), csv.get(1).split(",")[4]);
        assertEquals(String.format(java.util.Locale.ROOT, "%.6f", 26 / 30.0), csv.get(2).split(",")[4]);
        JsonNode metrics = new ObjectMapper().readTree(PublishedOutputs.in(out("ce"), "metrics.json").toFile());
        assertTrue(metrics.toString().contains("\"ce_ncm\""), "the CE row has its own key");

        // an lgr-backbone run under the CE input is refused, naming the input and the field
        CommandRun wrong = stage("ce-wrong", "--input", "recalibration-ce-ncm=" + ncm);
        assertEquals(2, wrong.code());
        assertTrue(wrong.err().contains("recalibration-ce-ncm classifier.json: field 'backbone' is 'lgr'"),
                wrong.err());
    }

    @Test
    void badInputExitsWithTwoAndNamesTheFileOrField() throws Exception {
        CommandRun none = stage("b1");
        assertEquals(2, none.code());
        assertTrue(none.err().contains("nothing to evaluate"), none.err());

        int[] shuffled = testLabels.clone();
        shuffled[0] = 2;
        Path other = RecalibrationFixture.publish(tmp.resolve("other"), "run", tmp.resolve("work"), "ncm",
                LgrFixture.TRAIN_COUNTS, valLabels, RecalibrationFixture.oneHot(valLabels), shuffled,
                RecalibrationFixture.oneHot(shuffled), null);
        CommandRun labels = stage("b2", "--input", "lgr=" + lgr.manifest, "--input", "recalibration-ncm=" + other);
        assertEquals(2, labels.code());
        assertTrue(labels.err().contains("recalibration-ncm logits-val/test.vlft: labels differ"), labels.err());

        Path counts = RecalibrationFixture.publish(tmp.resolve("counts"), "run", tmp.resolve("work"), "ncm",
                new int[] {60, 20, 5}, valLabels, RecalibrationFixture.oneHot(valLabels), testLabels,
                RecalibrationFixture.oneHot(testLabels), null);
        CommandRun c = stage("b3", "--input", "lgr=" + lgr.manifest, "--input", "recalibration-ncm=" + counts);
        assertEquals(2, c.code());
        assertTrue(c.err().contains("recalibration-ncm classifier.json: field 'trainClassCounts' [60, 20, 5]"),
                c.err());

        CommandRun wrongMethod = stage("b4", "--input", "recalibration-crt=" + counts);
        assertEquals(2, wrongMethod.code());
        assertTrue(wrongMethod.err().contains("field 'method' is 'ncm', expected 'crt'"), wrongMethod.err());

        CommandRun metric = stage("b5", "--input", "lgr=" + lgr.manifest, "--param", "select-metric=val/bogus");
        assertEquals(2, metric.code());
        assertTrue(metric.err().contains("parameter 'select-metric': 'val/bogus'"), metric.err());
    }
}
