package dev.vlltr.stage.evaluation;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.vlltr.core.data.FeatureTable;
import dev.vlltr.core.model.LgrInference;
import dev.vlltr.runtime.cli.BadInputException;
import dev.vlltr.runtime.cli.StageContext;
import dev.vlltr.runtime.cli.UpstreamFiles;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Loads the rows of the comparison from the stage's inputs and checks that they describe the same splits.
 *
 * <p>From {@code lgr}: {@code features-val.vlft} and {@code features-test.vlft} (arrays {@code logits_image} = P^I,
 * {@code logits_text} = P^T) and {@code lgr.json} ({@code alpha}, {@code trainClassCounts}); four rows: the α-mix
 * {@code α softmax(P^I) + (1−α) softmax(P^T)} (VL-LTR's reported accuracy), {@code argmax(P^I + P^T)} (what VL-LTR's
 * many/medium/few use), P^I alone and P^T alone. From each {@code recalibration-<method>}: {@code classifier.json}
 * ({@code method}, {@code backbone}, {@code trainClassCounts}, ...) and {@code logits-val.vlft} /
 * {@code logits-test.vlft} (array {@code logits}).
 *
 * <p>All rows must agree on class names, training counts and the labels of each split (same images, same order);
 * otherwise the file that disagrees is named (exit 2).
 */
public final class RowLoader {

    public static final String LGR = "lgr";
    public static final List<String> METHODS = List.of("crt", "ncm", "tau", "lws", "joint");

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Rows plus what they share. */
    public record Loaded(List<ModelRow> rows, List<String> classNames, int[] trainCounts, int[] valLabels,
            int[] testLabels, Map<String, String> sources) {}

    private final StageContext ctx;
    private List<String> classNames;
    private int[] trainCounts;
    private String countsFrom;
    private int[] valLabels;
    private int[] testLabels;
    private String labelsFrom;
    private final Map<String, String> sources = new LinkedHashMap<>();

    public RowLoader(StageContext ctx) {
        this.ctx = ctx;
    }

    public static String recalibrationInput(String method) {
        return "recalibration-" + method;
    }

    /**
     * A second recalibration of the same method on the plain CE backbone ({@code backbone=ce}), so one report holds
     * the pipeline's recalibrations of LGR's features and the CE baselines side by side.
     */
    public static String ceRecalibrationInput(String method) {
        return "recalibration-ce-" + method;
    }

    public Loaded load() throws IOException {
        List<ModelRow> rows = new ArrayList<>();
        if (ctx.hasInput(LGR)) {
            rows.addAll(lgrRows());
        }
        for (String m : METHODS) {
            String input = recalibrationInput(m);
            if (ctx.hasInput(input)) {
                rows.add(recalibrationRow(input, m, null));
            }
        }
        for (String m : METHODS) {
            String input = ceRecalibrationInput(m);
            if (ctx.hasInput(input)) {
                rows.add(recalibrationRow(input, m, "ce"));
            }
        }
        if (rows.isEmpty()) {
            throw new BadInputException("nothing to evaluate: give --input lgr=<lgr manifest> and/or"
                    + " --input recalibration-<method>=<recalibration manifest> (method one of " + METHODS + ";"
                    + " recalibration-ce-<method> for backbone=ce runs)");
        }
        return new Loaded(rows, classNames, trainCounts, valLabels, testLabels, sources);
    }

    private List<ModelRow> lgrRows() throws IOException {
        JsonNode lgr = readJson(UpstreamFiles.fetch(ctx, LGR, "lgr.json"), "lgr.json");
        double alpha = lgr.path("alpha").asDouble(Double.NaN);
        if (!(alpha >= 0 && alpha <= 1)) {
            throw new BadInputException("lgr.json: field 'alpha' must be a number in [0, 1], got " + lgr.path("alpha"));
        }
        FeatureTable val = table(LGR, "features-val.vlft");
        FeatureTable test = table(LGR, "features-test.vlft");
        names(val.classNames(), "lgr features-val.vlft");
        names(test.classNames(), "lgr features-test.vlft");
        counts(ints(lgr.path("trainClassCounts"), "lgr.json", "trainClassCounts"), "lgr.json");
        labels(val.labels(), test.labels(), "lgr features-val/test.vlft");
        float[][] vi = array(val, "logits_image", "lgr features-val.vlft");
        float[][] vt = array(val, "logits_text", "lgr features-val.vlft");
        float[][] ti = array(test, "logits_image", "lgr features-test.vlft");
        float[][] tt = array(test, "logits_text", "lgr features-test.vlft");
        String a = String.format(Locale.ROOT, "%.2f", alpha);
        Map<String, String> mixDetails = Map.of("alpha", a, "rule", "α softmax(P^I) + (1−α) softmax(P^T)");
        List<ModelRow> rows = new ArrayList<>();
        rows.add(new ModelRow("lgr_mix", "LGR α-mix (α=" + a + ")", "lgr", "lgr", LGR, mix(vi, vt, alpha),
                mix(ti, tt, alpha), true, mixDetails));
        rows.add(new ModelRow("lgr_sum", "LGR argmax(P^I+P^T)", "lgr", "lgr", LGR, sum(vi, vt), sum(ti, tt), false,
                Map.of("rule", "P^I + P^T (raw logits; VL-LTR's many/medium/few)")));
        rows.add(new ModelRow("lgr_image", "LGR P^I (visual branch)", "lgr", "lgr", LGR, vi, ti, false,
                Map.of("rule", "P^I")));
        rows.add(new ModelRow("lgr_text", "LGR P^T (language branch)", "lgr", "lgr", LGR, vt, tt, false,
                Map.of("rule", "P^T")));
        return rows;
    }

    /** @param requiredBackbone the backbone the input must have been run with, or null for any */
    private ModelRow recalibrationRow(String input, String expectedMethod, String requiredBackbone)
            throws IOException {
        JsonNode c = readJson(UpstreamFiles.fetch(ctx, input, "classifier.json"), input + " classifier.json");
        String method = c.path("method").asText("");
        if (!method.equals(expectedMethod)) {
            throw new BadInputException(input + " classifier.json: field 'method' is '" + method + "', expected '"
                    + expectedMethod + "' (inputs are named recalibration-<method>)");
        }
        String backbone = c.path("backbone").asText("?");
        if (requiredBackbone != null && !requiredBackbone.equals(backbone)) {
            throw new BadInputException(input + " classifier.json: field 'backbone' is '" + backbone + "', expected '"
                    + requiredBackbone + "' (inputs named recalibration-ce-<method> take backbone=ce runs)");
        }
        FeatureTable val = table(input, "logits-val.vlft");
        FeatureTable test = table(input, "logits-test.vlft");
        names(val.classNames(), input + " logits-val.vlft");
        names(test.classNames(), input + " logits-test.vlft");
        counts(ints(c.path("trainClassCounts"), input + " classifier.json", "trainClassCounts"),
                input + " classifier.json");
        labels(val.labels(), test.labels(), input + " logits-val/test.vlft");
        Map<String, String> details = new LinkedHashMap<>();
        details.put("features", c.path("features").asText(""));
        details.put("recipe", c.path("recipe").asText(""));
        String name = display(method);
        if (c.has("tau")) {
            String tau = String.format(Locale.ROOT, "%.1f", c.get("tau").asDouble());
            details.put("tau", tau);
            name += " (τ=" + tau + ")";
        }
        if (c.has("base")) {
            details.put("base", c.get("base").asText());
        }
        name += backbone.equals("ce") ? " [CE ResNet]" : " [lgr " + c.path("features").asText("") + "]";
        // the row key is the method; the CE input's rows get their own keys so both sets can be in one report
        String key = requiredBackbone == null ? method : requiredBackbone + "_" + method;
        return new ModelRow(key, name, method, backbone, input, array(val, "logits", input + " logits-val.vlft"),
                array(test, "logits", input + " logits-test.vlft"), false, details);
    }

    static String display(String method) {
        return switch (method) {
            case "crt" -> "cRT";
            case "ncm" -> "NCM";
            case "tau" -> "τ-norm";
            case "lws" -> "LWS";
            case "joint" -> "Joint";
            default -> method;
        };
    }

    /** α softmax(P^I) + (1−α) softmax(P^T), by {@link LgrInference} (the official rule). */
    static float[][] mix(float[][] pI, float[][] pT, double alpha) {
        int n = pI.length;
        int c = pI[0].length;
        try (NDManager m = NDManager.newBaseManager()) {
            NDArray i = m.create(flatten(pI), new Shape(n, c));
            NDArray t = m.create(flatten(pT), new Shape(n, c));
            float[] p = new LgrInference(alpha).mixedProbabilities(i, t).toFloatArray();
            float[][] out = new float[n][];
            for (int r = 0; r < n; r++) {
                out[r] = Arrays.copyOfRange(p, r * c, (r + 1) * c);
            }
            return out;
        }
    }

    static float[][] sum(float[][] a, float[][] b) {
        float[][] out = new float[a.length][a[0].length];
        for (int i = 0; i < a.length; i++) {
            for (int j = 0; j < a[0].length; j++) {
                out[i][j] = a[i][j] + b[i][j];
            }
        }
        return out;
    }

    private static float[] flatten(float[][] a) {
        float[] f = new float[a.length * a[0].length];
        for (int i = 0; i < a.length; i++) {
            System.arraycopy(a[i], 0, f, i * a[0].length, a[0].length);
        }
        return f;
    }

    private FeatureTable table(String input, String file) throws IOException {
        Path p = UpstreamFiles.fetch(ctx, input, file);
        sources.put(input + ":" + file, ctx.inputManifest(input).output(UpstreamFiles.outputName(ctx, input, file))
                .uri().toString());
        try (InputStream in = Files.newInputStream(p)) {
            return FeatureTable.readFrom(in, input + " " + file);
        } catch (IOException e) {
            throw new BadInputException(e.getMessage(), e);
        }
    }

    private float[][] array(FeatureTable t, String name, String what) {
        float[][] a = t.arrays().get(name);
        if (a == null) {
            throw new BadInputException(what + ": no array '" + name + "' (it has " + t.arrays().keySet() + ")");
        }
        if (a[0].length != classNames.size()) {
            throw new BadInputException(what + ": array '" + name + "' has " + a[0].length + " columns, expected one"
                    + " per class (" + classNames.size() + ")");
        }
        return a;
    }

    private void names(List<String> names, String what) {
        if (classNames == null) {
            classNames = names;
        } else if (!classNames.equals(names)) {
            throw new BadInputException(what + ": classNames " + names + " differ from the other inputs' "
                    + classNames);
        }
    }

    private void counts(int[] counts, String what) {
        if (counts.length != classNames.size()) {
            throw new BadInputException(what + ": field 'trainClassCounts' has " + counts.length + " entries, expected"
                    + " one per class (" + classNames.size() + ")");
        }
        if (trainCounts == null) {
            trainCounts = counts;
            countsFrom = what;
        } else if (!Arrays.equals(trainCounts, counts)) {
            throw new BadInputException(what + ": field 'trainClassCounts' " + Arrays.toString(counts) + " differs from "
                    + countsFrom + "'s " + Arrays.toString(trainCounts) + " (models trained on different splits"
                    + " cannot share shot groups)");
        }
    }

    private void labels(int[] val, int[] test, String what) {
        if (valLabels == null) {
            valLabels = val;
            testLabels = test;
            labelsFrom = what;
        } else if (!Arrays.equals(valLabels, val) || !Arrays.equals(testLabels, test)) {
            throw new BadInputException(what + ": labels differ from " + labelsFrom + " (" + val.length + "/"
                    + test.length + " vs " + valLabels.length + "/" + testLabels.length + " rows): the rows must"
                    + " be the same images in the same order");
        }
    }

    private static int[] ints(JsonNode n, String what, String field) {
        if (!n.isArray()) {
            throw new BadInputException(what + ": field '" + field + "' must be an array of integers");
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            if (!n.get(i).canConvertToInt() || n.get(i).asInt() < 0) {
                throw new BadInputException(what + ": field '" + field + "[" + i + "]' must be an integer >= 0");
            }
            out[i] = n.get(i).asInt();
        }
        return out;
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
