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
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;

/**
 * A hand-made output of the lgr stage, published through the real stage runtime (manifest and all): three classes,
 * long-tailed train counts 60/20/6, 5 val and 10 test images per class, image features f (D = 4) drawn around
 * separated class means, hidden_image = ReLU(f A) (4D = 16), P^I = hidden · Wᵀ + b with the visual classifier
 * written to visual-classifier.json, P^T = f Bᵀ.
 */
public final class LgrFixture {

    public static final List<String> CLASSES = List.of("head", "middle", "tail");
    public static final int[] TRAIN_COUNTS = {60, 20, 6};
    static final int D = 4;
    static final int H = 16;

    /** What a test may tamper with before the files are written. */
    public static final class Spec {
        public int[] declaredCounts = TRAIN_COUNTS.clone();
        public List<String> testClassNames = CLASSES;
        public int classifierWidth = H;
        public String classifierInput = "hidden_image";
        public double alpha = 0.2;
    }

    public final Map<String, FeatureTable> tables = new LinkedHashMap<>();
    public float[][] weight;
    public float[] bias;
    public final Path manifest;

    private LgrFixture(Path manifest) {
        this.manifest = manifest;
    }

    public static LgrFixture publish(Path root, String runId, Path work) throws Exception {
        return publish(root, runId, work, s -> {});
    }

    public static LgrFixture publish(Path root, String runId, Path work, Consumer<Spec> tamper) throws Exception {
        Spec spec = new Spec();
        tamper.accept(spec);
        Random rnd = new Random(42);
        float[][] means = {{3, 0, 0, 1}, {0, 3, 0, 1}, {0, 0, 3, 1}};
        float[][] a = randomMatrix(rnd, D, H, 0.8);
        float[][] b = randomMatrix(rnd, CLASSES.size(), D, 1.0);
        float[][] w = randomMatrix(rnd, CLASSES.size(), spec.classifierWidth, 0.5);
        float[] bias = {0.3f, -0.1f, -0.2f};
        StageDefinition def = new StageDefinition("lgr", "test fixture", List.of(), List.of());
        LgrFixture fx = new LgrFixture(root.resolve(runId).resolve("lgr").resolve("manifest.json"));
        fx.weight = w;
        fx.bias = bias;
        StageRunner runner = new StageRunner(new FileArtifactStore(), work, new XcomWriter(work.resolve("no-xcom")));
        runner.run(def, new StageConfig(runId, root.toString(), "none", null, Map.of(), Map.of()), true,
                (StageContext ctx) -> {
                    int[][] perClass = {TRAIN_COUNTS, {5, 5, 5},
                        {10, 10, 10}};
                    String[] splits = {"train", "val", "test"};
                    for (int s = 0; s < 3; s++) {
                        List<String> names = s == 2 ? spec.testClassNames : CLASSES;
                        FeatureTable t = table(splits[s], names, perClass[s], means, a, b, w, bias, rnd);
                        fx.tables.put(splits[s], t);
                        try (OutputStream out = Files.newOutputStream(ctx.output("features-" + splits[s],
                                "features-" + splits[s] + ".vlft"))) {
                            t.writeTo(out);
                        }
                    }
                    ObjectMapper json = new ObjectMapper();
                    ObjectNode vc = json.createObjectNode();
                    vc.put("input", spec.classifierInput);
                    vc.set("weight", json.valueToTree(w));
                    vc.set("bias", json.valueToTree(bias));
                    json.writeValue(ctx.output("visual-classifier", "visual-classifier.json").toFile(), vc);
                    ObjectNode lgr = json.createObjectNode();
                    lgr.put("alpha", spec.alpha);
                    lgr.set("classNames", json.valueToTree(CLASSES));
                    lgr.set("trainClassCounts", json.valueToTree(spec.declaredCounts));
                    lgr.put("logitScale", 14.285714);
                    json.writeValue(ctx.output("lgr", "lgr.json").toFile(), lgr);
                });
        return fx;
    }

    static FeatureTable table(String split, List<String> names, int[] counts, float[][] means, float[][] a,
            float[][] b, float[][] w, float[] bias, Random rnd) {
        int n = 0;
        for (int c : counts) {
            n += c;
        }
        int[] labels = new int[n];
        float[][] f = new float[n][D];
        float[][] h = new float[n][H];
        float[][] pi = new float[n][3];
        float[][] pt = new float[n][3];
        int i = 0;
        for (int c = 0; c < counts.length; c++) {
            for (int k = 0; k < counts[c]; k++, i++) {
                labels[i] = c;
                for (int j = 0; j < D; j++) {
                    f[i][j] = (float) (means[c][j] + 1.2 * rnd.nextGaussian());
                }
                for (int j = 0; j < H; j++) {
                    double s = 0;
                    for (int q = 0; q < D; q++) {
                        s += f[i][q] * a[q][j];
                    }
                    h[i][j] = (float) Math.max(0, s);
                }
                for (int k2 = 0; k2 < 3; k2++) {
                    double s = bias[k2];
                    for (int j = 0; j < Math.min(H, w[k2].length); j++) {
                        s += w[k2][j] * h[i][j];
                    }
                    pi[i][k2] = (float) s;
                    double t = 0;
                    for (int q = 0; q < D; q++) {
                        t += b[k2][q] * f[i][q];
                    }
                    pt[i][k2] = (float) t;
                }
            }
        }
        Map<String, float[][]> arrays = new LinkedHashMap<>();
        arrays.put("features", f);
        arrays.put("hidden_image", h);
        arrays.put("logits_image", pi);
        arrays.put("logits_text", pt);
        return new FeatureTable(split, names, labels, arrays);
    }

    static float[][] randomMatrix(Random rnd, int rows, int cols, double scale) {
        float[][] m = new float[rows][cols];
        for (float[] r : m) {
            for (int j = 0; j < cols; j++) {
                r[j] = (float) (scale * rnd.nextGaussian());
            }
        }
        return m;
    }

}
