package dev.vlltr.stage.recalibration;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.calibrate.LabeledFeatures;
import dev.vlltr.core.calibrate.LinearClassifier;
import dev.vlltr.core.calibrate.SplitRole;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.UpstreamFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the lgr stage's outputs (input {@code lgr}): {@code features-train.vlft}, {@code features-val.vlft},
 * {@code features-test.vlft} (FeatureTables with arrays {@code features}, {@code hidden_image}, {@code logits_image},
 * {@code logits_text}), {@code visual-classifier.json} ({@code {"input", "weight": C×4D, "bias": C}}, the last Linear
 * of P^I) and {@code lgr.json} ({@code trainClassCounts}, {@code classNames}, ...). Every inconsistency — class
 * names differing between files, widths, the classifier's input or shape, counts disagreeing with the train labels —
 * is bad input naming the file.
 */
public final class LgrFeatures {

    public static final String INPUT = "lgr";
    public static final String TRAIN = "features-train.vlft";
    public static final String VAL = "features-val.vlft";
    public static final String TEST = "features-test.vlft";
    public static final String VISUAL_CLASSIFIER = "visual-classifier.json";
    public static final String LGR_JSON = "lgr.json";

    private static final ObjectMapper JSON = new ObjectMapper();

    private LgrFeatures() {}

    public static FeatureSplits read(StageContext ctx, String arrayName, boolean needUpstream) throws IOException {
        FeatureTable train = FeatureTables.read(UpstreamFiles.fetch(ctx, INPUT, TRAIN), TRAIN);
        FeatureTable val = FeatureTables.read(UpstreamFiles.fetch(ctx, INPUT, VAL), VAL);
        FeatureTable test = FeatureTables.read(UpstreamFiles.fetch(ctx, INPUT, TEST), TEST);
        List<String> names = train.classNames();
        for (FeatureTable t : List.of(val, test)) {
            if (!t.classNames().equals(names)) {
                throw new BadInputException((t == val ? VAL : TEST) + ": classNames " + t.classNames()
                        + " differ from " + TRAIN + "'s " + names);
            }
        }
        int c = names.size();
        LabeledFeatures tr = labeled(train, arrayName, TRAIN, SplitRole.TRAIN);
        LabeledFeatures va = labeled(val, arrayName, VAL, SplitRole.VALIDATION);
        LabeledFeatures te = labeled(test, arrayName, TEST, SplitRole.TEST);
        int d = tr.featureDim();
        if (va.featureDim() != d || te.featureDim() != d) {
            throw new BadInputException("array '" + arrayName + "' is " + d + " wide in " + TRAIN + " but "
                    + va.featureDim() + " in " + VAL + " and " + te.featureDim() + " in " + TEST);
        }
        int[] counts = tr.classCounts();
        if (UpstreamFiles.has(ctx, INPUT, LGR_JSON)) {
            JsonNode lgr = readJson(UpstreamFiles.fetch(ctx, INPUT, LGR_JSON), LGR_JSON);
            JsonNode declared = lgr.path("trainClassCounts");
            if (declared.isArray()) {
                int[] given = new int[declared.size()];
                for (int i = 0; i < given.length; i++) {
                    given[i] = declared.get(i).asInt();
                }
                if (!java.util.Arrays.equals(given, counts)) {
                    throw new BadInputException(LGR_JSON + ": field 'trainClassCounts' " + java.util.Arrays.toString(given)
                            + " disagrees with the labels of " + TRAIN + " " + java.util.Arrays.toString(counts));
                }
            }
            JsonNode lgrNames = lgr.path("classNames");
            if (lgrNames.isArray() && lgrNames.size() != c) {
                throw new BadInputException(LGR_JSON + ": field 'classNames' has " + lgrNames.size() + " names, "
                        + TRAIN + " has " + c);
            }
        }
        LinearClassifier upstream = null;
        if (needUpstream) {
            upstream = visualClassifier(UpstreamFiles.fetch(ctx, INPUT, VISUAL_CLASSIFIER), arrayName, c, d);
        }
        return new FeatureSplits(arrayName, names, tr, va, te, counts, upstream,
                "LGR visual classifier (" + VISUAL_CLASSIFIER + ")");
    }

    static LabeledFeatures labeled(FeatureTable t, String array, String what, SplitRole role) {
        try {
            return new LabeledFeatures(FeatureTables.array(t, array, what), t.labels(), t.numClasses(), role);
        } catch (IllegalArgumentException e) {
            throw new BadInputException(what + ": " + e.getMessage(), e);
        }
    }

    /** Parses {@code {"input", "weight": [[C×D]], "bias": [C]}} and checks it against the features. */
    static LinearClassifier visualClassifier(Path file, String arrayName, int numClasses, int dim) {
        JsonNode root = readJson(file, VISUAL_CLASSIFIER);
        String input = root.path("input").asText("");
        if (!input.equals(arrayName)) {
            throw new BadInputException(VISUAL_CLASSIFIER + ": field 'input' is '" + input + "' but the method reads"
                    + " array '" + arrayName + "'; the classifier cannot be applied to these features");
        }
        JsonNode w = root.path("weight");
        JsonNode b = root.path("bias");
        if (!w.isArray() || w.size() != numClasses) {
            throw new BadInputException(VISUAL_CLASSIFIER + ": field 'weight' must be " + numClasses + " rows (one per"
                    + " class), got " + (w.isArray() ? w.size() + " rows" : w.getNodeType()));
        }
        if (!b.isArray() || b.size() != numClasses) {
            throw new BadInputException(VISUAL_CLASSIFIER + ": field 'bias' must hold " + numClasses + " numbers, got "
                    + (b.isArray() ? b.size() : b.getNodeType()));
        }
        float[][] weight = new float[numClasses][];
        for (int i = 0; i < numClasses; i++) {
            JsonNode row = w.get(i);
            if (!row.isArray() || row.size() != dim) {
                throw new BadInputException(VISUAL_CLASSIFIER + ": field 'weight[" + i + "]' must hold " + dim
                        + " numbers (the width of '" + arrayName + "'), got " + (row.isArray() ? row.size() : 0));
            }
            weight[i] = new float[dim];
            for (int j = 0; j < dim; j++) {
                weight[i][j] = number(row.get(j), "weight[" + i + "][" + j + "]");
            }
        }
        float[] bias = new float[numClasses];
        for (int i = 0; i < numClasses; i++) {
            bias[i] = number(b.get(i), "bias[" + i + "]");
        }
        return new LinearClassifier(weight, bias);
    }

    private static float number(JsonNode n, String field) {
        if (!n.isNumber()) {
            throw new BadInputException(VISUAL_CLASSIFIER + ": field '" + field + "' must be a number, got " + n);
        }
        return n.floatValue();
    }

    static JsonNode readJson(Path file, String what) {
        try {
            JsonNode n = JSON.readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new BadInputException(what + ": expected a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new BadInputException(what + ": not valid JSON: " + e.getMessage(), e);
        }
    }
}
