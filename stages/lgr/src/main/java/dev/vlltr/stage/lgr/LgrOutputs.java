package dev.vlltr.stage.lgr;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.model.CvlpModelConfig;
import dev.vlltr.core.model.LgrTextMemory;
import dev.vlltr.core.train.LgrTrainer;
import dev.vlltr.core.train.MixupCutmix;
import dev.vlltr.runtime.cli.OutputSpec;
import dev.vlltr.runtime.cli.StageContext;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Writes lgr's declared outputs ({@link LgrCommand#DEFINITION}) into the stage context. */
final class LgrOutputs {

    private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    /** The head's inputs and outputs on one split. */
    record SplitOutputs(String split, float[][] features, int[] labels, LgrTrainer.Outputs out) {}

    private final StageContext ctx;
    private final List<String> classNames;

    LgrOutputs(StageContext ctx, List<String> classNames) {
        this.ctx = ctx;
        this.classNames = classNames;
    }

    /** {@code features-<split>.vlft}: features, hidden_image, logits_image, logits_text. */
    void writeTable(SplitOutputs so) throws IOException {
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put(FeatureTable.FEATURES, so.features());
        arrays.put("hidden_image", so.out().hidden());
        arrays.put("logits_image", so.out().logitsImage());
        arrays.put("logits_text", so.out().logitsText());
        OutputSpec spec = switch (so.split()) {
            case "train" -> LgrCommand.FEATURES_TRAIN;
            case "val" -> LgrCommand.FEATURES_VAL;
            default -> LgrCommand.FEATURES_TEST;
        };
        try (OutputStream out = Files.newOutputStream(ctx.output(spec))) {
            new FeatureTable(so.split(), classNames, so.labels(), arrays).writeTo(out);
        }
    }

    /** P^I's last Linear (weight C × 4D, bias C) over hidden_image, for the recalibrations. */
    void writeClassifier(float[][][] weightAndBias) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("input", "hidden_image");
        ArrayNode w = root.putArray("weight");
        for (float[] row : weightAndBias[0]) {
            ArrayNode r = w.addArray();
            for (float v : row) {
                r.add(v);
            }
        }
        ArrayNode b = root.putArray("bias");
        for (float v : weightAndBias[1][0]) {
            b.add(v);
        }
        try (OutputStream out = Files.newOutputStream(ctx.output(LgrCommand.VISUAL_CLASSIFIER))) {
            JSON.writeValue(out, root);
        }
    }

    /** {@code lgr.json}: what evaluation needs to rebuild the prediction, and how the head was trained. */
    void writeLgrJson(CvlpModelConfig config, LgrTextMemory memory, int[] trainCounts, LgrSettings s,
            MixupCutmix mixup) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        root.put("format", "vlltr.lgr/1");
        root.put("alpha", s.alpha());
        ArrayNode names = root.putArray("classNames");
        classNames.forEach(names::add);
        ArrayNode counts = root.putArray("trainClassCounts");
        for (int n : trainCounts) {
            counts.add(n);
        }
        root.put("logitScale", config.logitScale());
        root.put("featureDim", memory.dim());
        root.put("hiddenDim", 4 * memory.dim());
        root.put("anchorsPerClass", memory.m());
        ArrayNode sc = root.putArray("anchorCounts");
        for (int n : memory.counts()) {
            sc.add(n);
        }
        root.put("input", s.imageInput() ? "images" : "features");
        root.put("mixup", s.imageInput() && mixup.enabled() ? "mixup " + s.mixup() + ", cutmix " + s.cutmix()
                : "off");
        boolean mixed = s.imageInput() && mixup.enabled();
        root.put("loss", mixed ? "soft-target CE(P^I) + CE(P^T) (mixup targets, smoothing " + s.smoothing() + ")"
                : s.ceSmoothing() == 0 ? "CE(P^I) + CE(P^T) (plain cross-entropy, official)"
                : "label-smoothed CE(P^I) + CE(P^T), ce-smoothing " + s.ceSmoothing() + " (deviation)");
        root.put("freezeAttention", s.freezeAttention());
        root.put("textBranch", s.textBranch());
        root.put("prediction", s.textBranch() ? "alpha * softmax(logits_image) + (1 - alpha) *"
                + " softmax(logits_text)" : "softmax(logits_image)");
        root.put("imageNormalization", "x / 255, then (x - " + config.normalizationMean()[0] + ") / "
                + config.normalizationStd()[0]);
        try (OutputStream out = Files.newOutputStream(ctx.output(LgrCommand.LGR))) {
            JSON.writeValue(out, root);
        }
    }

    /** {@code lgr-head.params}: the head's parameters in DJL's format. */
    void writeHead(LgrTrainer trainer) throws IOException {
        try (OutputStream out = Files.newOutputStream(ctx.output(LgrCommand.HEAD))) {
            trainer.saveHead(out);
        }
    }

    /** {@code history.json}, also attached to the tracking run. */
    void writeHistory(List<Map<String, Double>> history) throws IOException {
        Path hist = ctx.output(LgrCommand.HISTORY);
        JSON.writeValue(hist.toFile(), history);
        ctx.trackArtifact(hist);
    }
}
