package dev.vlltr.stage.evaluation;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.cli.StageConfig;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.StageDefinition;
import dev.vlltr.runtime.cli.StageRunner;
import dev.vlltr.runtime.manifest.XcomWriter;
import dev.vlltr.runtime.store.FileArtifactStore;
import dev.vlltr.stage.recalibration.LgrFixture;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** A hand-made output of the recalibration stage (classifier.json, logits-val/test.vlft) with a real manifest. */
final class RecalibrationFixture {

    private RecalibrationFixture() {}

    /**
     * @param valLogits  N_val×C
     * @param testLogits N_test×C
     * @return the manifest path
     */
    static Path publish(Path root, String runId, Path work, String method, int[] trainCounts, int[] valLabels,
            float[][] valLogits, int[] testLabels, float[][] testLogits, Double tau) throws Exception {
        return publish(root, runId, work, method, "lgr", trainCounts, valLabels, valLogits, testLabels, testLogits,
                tau);
    }

    /** @param backbone {@code lgr} (features {@code hidden_image}) or {@code ce} (64-d ResNet features) */
    static Path publish(Path root, String runId, Path work, String method, String backbone, int[] trainCounts,
            int[] valLabels, float[][] valLogits, int[] testLabels, float[][] testLogits, Double tau)
            throws Exception {
        StageDefinition def = new StageDefinition("recalibration", "fixture", List.of(), List.of());
        new StageRunner(new FileArtifactStore(), work, new XcomWriter(work.resolve("no-xcom"))).run(def,
                new StageConfig(runId, root.toString(), "none", null, Map.of(), Map.of()), true, (StageContext ctx) -> {
                    ObjectMapper json = new ObjectMapper();
                    ObjectNode c = json.createObjectNode();
                    c.put("format", "vlltr.recalibration/1");
                    c.put("method", method);
                    c.put("backbone", backbone);
                    c.put("features", backbone.equals("ce") ? "features" : "hidden_image");
                    c.put("recipe", "fixture");
                    if (tau != null) {
                        c.put("tau", tau);
                    }
                    c.set("classNames", json.valueToTree(LgrFixture.CLASSES));
                    c.set("trainClassCounts", json.valueToTree(trainCounts));
                    json.writeValue(ctx.output("classifier", "classifier.json").toFile(), c);
                    write(ctx.output("logits-val", "logits-val.vlft"), "val", valLabels, valLogits);
                    write(ctx.output("logits-test", "logits-test.vlft"), "test", testLabels, testLogits);
                });
        return root.resolve(runId).resolve("recalibration").resolve("manifest.json");
    }

    private static void write(Path file, String split, int[] labels, float[][] logits) throws Exception {
        try (OutputStream out = Files.newOutputStream(file)) {
            new FeatureTable(split, LgrFixture.CLASSES, labels, Map.of("logits", logits)).writeTo(out);
        }
    }

    /** Logits that put 1 on the true class except for the rows listed in {@code wrong} (predicted as class 0/1). */
    static float[][] oneHot(int[] labels, int... wrong) {
        float[][] z = new float[labels.length][3];
        for (int i = 0; i < labels.length; i++) {
            int p = labels[i];
            for (int w : wrong) {
                if (w == i) {
                    p = labels[i] == 0 ? 1 : 0;
                }
            }
            z[i][p] = 1;
        }
        return z;
    }
}
