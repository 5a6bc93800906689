package dev.vlltr.core.train;

import ai.djl.ndarray.types.DataType;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.LogitScale;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * How the committed fixtures under {@code src/test/resources/fixtures/v1/} were made: run once, with the code of the
 * day the format was current ({@code -Dvlltr.writeFixtures=<dir>}), never again; {@link OldFormatsLoadTest} reads
 * them so that a format change cannot break old runs silently. Kept so a newcomer sees what each file holds.
 */
class OldFormatFixtures {

    static final List<String> CLASSES = List.of("top", "bottom");
    static final float[] PROBE_TEXT = {1, -1, 0.5f, 0, 2, -0.25f};

    /** The tiny CVLP of {@link TrainersTest#cvlp}, as a minilm-style model config (text input 6, no hidden layer). */
    static CvlpModelConfig config(double theta, double scale) {
        return new CvlpModelConfig(CvlpModelConfig.FORMAT, 8, 1, 8, 8, 8, CvlpModelConfig.TEXT_MINILM,
                "all-MiniLM-L6-v2", 6, 0, true, LogitScale.CLIP_INIT, LogitScale.CLIP_MAX, theta, scale, CLASSES,
                new float[] {0.2860f}, new float[] {0.3530f}, "0".repeat(64));
    }

    @Test
    @EnabledIfSystemProperty(named = "vlltr.writeFixtures", matches = ".+")
    void write() throws Exception {
        Path dir = Files.createDirectories(Path.of(System.getProperty("vlltr.writeFixtures")));
        ObjectMapper json = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

        // a FeatureTable (vlltr-features/1) with two arrays, as lgr writes features-<split>.vlft
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put(FeatureTable.FEATURES, new float[][] {{1, 2, 3}, {-1, 0.5f, 0}, {0, 0, 1e-3f}});
        arrays.put("logits_image", new float[][] {{0.25f, -0.25f}, {2, 1}, {-3, 3}});
        try (OutputStream out = Files.newOutputStream(dir.resolve("features-val.vlft"))) {
            new FeatureTable("val", CLASSES, new int[] {0, 1, 1}, arrays).writeTo(out);
        }

        // one CVLP epoch: the trainer's checkpoint state after it, its encoders and model-config.json
        try (CvlpTrainer t = TrainersTest.cvlp(true)) {
            t.trainEpoch(0, TrainersTest.batches(0, 2, 8).iterator());
            CvlpTrainer.State state = t.exportState();
            Files.write(dir.resolve("cvlp-epoch1-parameters.ndlist"), state.parameters());
            Files.write(dir.resolve("cvlp-epoch1-optimizer.ndlist"), state.optimizer().moments());
            json.writeValue(dir.resolve("cvlp-epoch1-optimizer-steps.json").toFile(), state.optimizer().steps());
            try (OutputStream out = Files.newOutputStream(dir.resolve("cvlp-encoders.params"))) {
                t.saveParameters(out);
            }
            var scale = t.getModel().getLogitScale();
            try (OutputStream out = Files.newOutputStream(dir.resolve("model-config.json"))) {
                config(scale.getThetaParameter().getArray().getFloat(0), scale.currentScale()).write(out);
            }
            // what the saved text tower computes on a probe row, to check a reload computes the same
            float[][] probe = ImageEmbedder.mapRows(t.getModel().getText(), t.getManager(),
                    new float[][] {PROBE_TEXT}, DataType.FLOAT32, 1);
            json.writeValue(dir.resolve("cvlp-text-probe.json").toFile(), probe[0]);
            // the uninterrupted run's parameters after epoch 3 (epochs 2 and 3 from the same batches)
            for (int e = 1; e < 3; e++) {
                t.trainEpoch(e, TrainersTest.batches(e, 2, 8).iterator());
            }
            Files.write(dir.resolve("cvlp-epoch3-parameters.ndlist"), ParameterSnapshot.export(t.getModel()));
        }
    }
}
